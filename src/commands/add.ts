/**
 * `newsstand add`: one source appended to `newsstand.yml`, after making sure it is a feed that can be read.
 * - `rsshub:/route` → categories from the instance's route metadata (unless given);
 * - an http(s) URL → the feed itself, or the feed an HTML page links to (`<link rel="alternate">`), fetched and
 *   parsed before it is added; a page that links none → the RSSHub routes RSSHub's radar knows for it;
 * - a local file (`PATH`, `file:PATH` as sources are written, or a `file://` URL) → a `file:` source, parsed first.
 * Without --name, a feed's own title (else the page's) becomes the source's name.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendSource, type SourceEntry } from '../config/edit.js';
import type { Config, SourceConfig } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { isHttpUrl } from '../config/units.js';
import { ConfigError, FetchError, InvalidFeedError, NotAFeedError, UserError } from '../errors.js';
import { discoverPage } from '../fetch/discover.js';
import { fetchFeed, type FetchedFeed } from '../fetch/fetch-feed.js';
import { clientOptions, HttpClient, type HttpClientOptions, type HttpRequest, type HttpResponse } from '../fetch/http-client.js';
import { userAgent } from '../fetch/user-agent.js';
import { charsetFromContentType, decodeFeedBytes } from '../feed/decode.js';
import { sniffFeed } from '../feed/detect.js';
import { parseFeedBytes } from '../feed/parse.js';
import { MAX_NAME_LENGTH, plainText } from '../feed/text.js';
import { StateStore } from '../store/state.js';
import { literal } from '../sources/literal.js';
import { describeSource, sameFeedKey } from '../sources/match.js';
import { RsshubInstances } from '../sources/rsshub/instances.js';
import { RsshubMetadata } from '../sources/rsshub/metadata.js';
import { suggestRoutes, type RouteSuggestion } from '../sources/rsshub/radar.js';

export interface AddOptions {
  config: Config;
  /** `rsshub:/route`, an http(s) URL (a feed, or a page), or a local feed file (`PATH`, `file:PATH`, `file://…`). */
  target: string;
  name?: string;
  categories?: string[];
  dryRun?: boolean;
  /** What a relative file path is relative to first (then the configuration file's directory). Default: the working directory. */
  cwd?: string;
}

export interface AddedSource {
  kind: SourceConfig['kind'];
  /** The route, the URL, or the file as written into newsstand.yml. */
  location: string;
  categories: string[];
  /** The name written (--name, else the feed's title, else the page's); absent when there is none. */
  name?: string;
  /** The page whose `<link rel="alternate">` named the feed, when the URL given was a page. */
  foundOn?: string;
}

type Found = { added: AddedSource; suggestions: [] } | { added: null; suggestions: RouteSuggestion[] };

/** The source added; or, for a page that links no feed, the RSSHub routes for it and exit code 1 (nothing was added). */
export type AddResult = Found & { exitCode: number };

export async function addSource(options: AddOptions): Promise<AddResult> {
  const found = await findAndAdd(options);
  return { ...found, exitCode: found.added ? 0 : 1 };
}

async function findAndAdd(options: AddOptions): Promise<Found> {
  const { config } = options;
  const target = options.target.trim();
  const client = new HttpClient(clientOptions(config.fetch, userAgent()));
  try {
    if (target.startsWith('rsshub:')) {
      const route = target.slice('rsshub:'.length).trim();
      if (!route.startsWith('/')) throw new ConfigError(`${target}: an RSSHub route starts with "/", e.g. rsshub:/aljazeera/chinese/news`);
      notConfigured(config, 'rsshub', route);
      const categories = options.categories ?? (await metadataCategories(config, client, route));
      return await add(options, { kind: 'rsshub', location: route, categories });
    }
    if (isHttpUrl(target)) return await addUrl(options, target, client);
    return await addFile(options, target, client);
  } finally {
    await client.close();
  }
}

async function add(
  options: AddOptions,
  source: { kind: SourceConfig['kind']; location: string; categories: string[]; title?: string; foundOn?: string },
): Promise<Found> {
  const { config } = options;
  notConfigured(config, source.kind, source.kind === 'file' ? path.resolve(config.dir, source.location) : source.location);
  // Text from a feed or a page is written literally; what the user typed is written as typed.
  const name = options.name?.trim() || source.title || '';
  const entry: SourceEntry = { [source.kind]: source.kind === 'rsshub' ? source.location : literal(source.location) };
  if (name) entry.name = options.name?.trim() ? name : literal(name);
  if (source.categories.length > 0) entry.categories = source.categories;
  await appendSource(config.file, entry, { dryRun: options.dryRun });
  const added: AddedSource = { kind: source.kind, location: source.location, categories: source.categories };
  if (name) added.name = name;
  if (source.foundOn) added.foundOn = source.foundOn;
  return { added, suggestions: [] };
}

/** Exit 2 when the feed is configured already, under any spelling of its URL (as import compares them). */
function notConfigured(config: Config, kind: SourceConfig['kind'], location: string): void {
  const feedKey = sameFeedKey(kind, location, config.rsshub);
  const existing = config.sources.find((source) => sameFeedKey(source.kind, source.location, config.rsshub) === feedKey);
  if (existing)
    throw new ConfigError(`${config.file}:${existing.line}: ${describeSource(existing)} is already configured — nothing was added`);
}

async function metadataCategories(config: Config, client: HttpClient, route: string): Promise<string[]> {
  const store = StateStore.open(sitePaths(config).stateDb, { readonly: true });
  try {
    const metadata = new RsshubMetadata({ rsshub: config.rsshub, client, instances: new RsshubInstances(), store, now: Date.now() });
    return (await metadata.categoriesFor(route)) ?? [];
  } finally {
    store.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// A URL: a feed, or a page linking one, or a page RSSHub may have routes for.

async function addUrl(options: AddOptions, url: string, client: HttpClient): Promise<Found> {
  const { config } = options;
  const categories = options.categories ?? [];
  notConfigured(config, 'url', url);
  let fetched: FetchedFeed;
  try {
    fetched = await fetchFeed(url, { client, maxBytes: config.fetch.maxBytes });
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    throw new UserError(
      `${url} could not be fetched (${error.message}) — nothing was added; check the URL (or your connection) and try again`,
    );
  }
  const feed = readFeed(fetched, url);
  if ('title' in feed) return add(options, { kind: 'url', location: fetched.permanentUrl ?? url, categories, title: feed.title });
  if (feed.kind !== 'html')
    throw new UserError(
      `${url}: ${feed.problem} — newsstand reads RSS, Atom and JSON Feed; give the URL of a feed, or of a page that links one`,
    );

  // The page is decoded once (by readFeed) and parsed once, for its feed links and its title.
  const page = discoverPage(feed.text, fetched.url || url);
  const links = page.feeds;
  const pageTitle = plainText(page.title, { html: false, maxLength: MAX_NAME_LENGTH });
  if (links.length > 0) {
    const problems: string[] = [];
    for (const link of links) {
      let linked: FetchedFeed;
      try {
        linked = await fetchFeed(link, { client, maxBytes: config.fetch.maxBytes });
      } catch (error) {
        if (!(error instanceof FetchError)) throw error;
        problems.push(`${link}: ${error.message}`);
        continue;
      }
      const read = readFeed(linked, link);
      if ('title' in read)
        return add(options, {
          kind: 'url',
          location: linked.permanentUrl ?? link,
          categories,
          title: read.title || pageTitle,
          foundOn: url,
        });
      problems.push(`${link}: ${read.problem}`);
    }
    const what =
      links.length === 1 ? 'the feed it links to could not be read' : `none of the ${links.length} feeds it links to could be read`;
    throw new UserError(
      `${url}: ${what}:\n${problems.map((line) => `  ${line}`).join('\n')}\n` +
        'Nothing was added; try again later, or add the feed by its URL if you know a working one',
    );
  }

  const radar = new RadarClient(clientOptions(config.fetch, userAgent()), config.rsshub.instances);
  try {
    const suggestions = await suggestRoutes(url, { rsshub: config.rsshub, client: radar });
    const unreachable = radar.unreachable();
    if (suggestions.length === 0 && unreachable.length > 0) {
      const instances = unreachable.map(({ instance, error }) => `RSSHub unreachable (instance ${instance}): ${error}`).join('\n');
      throw new UserError(
        `${url}: the page links no feed, and RSSHub could not be asked for routes for it:\n${instances}\n` +
          'Nothing was added; try again (check rsshub.instances and your connection), or add the feed URL itself: newsstand add https://…/feed.xml',
      );
    }
    return { added: null, suggestions };
  } finally {
    await radar.close();
  }
}

/** A fetched document as a feed (its title), or what it is instead. Throws for a feed that cannot be read. */
function readFeed(fetched: FetchedFeed, where: string): { title: string } | { kind: string; problem: string; text: string } {
  try {
    const parsed = parseFeedBytes(fetched.bytes, { url: fetched.url || undefined, contentType: fetched.contentType });
    return { title: plainText(parsed.feed.title, { maxLength: MAX_NAME_LENGTH }) };
  } catch (error) {
    if (error instanceof InvalidFeedError) throw new UserError(`${where}: ${error.message} — nothing was added`);
    if (!(error instanceof NotAFeedError)) throw error;
    const { text } = decodeFeedBytes(fetched.bytes, charsetFromContentType(fetched.contentType));
    const kind = sniffFeed(text).kind;
    // The parser's own advice ("newsstand add <page>") is no help to someone running newsstand add.
    return { kind, problem: kind === 'html' ? 'an HTML page, not a feed' : error.message, text };
  }
}

/**
 * The client RSSHub's radar is asked through, remembering how each instance answered: "RSSHub knows no route"
 * is only true when an instance answered; when none could be reached, that is what the user must hear.
 */
class RadarClient extends HttpClient {
  private readonly answered = new Set<string>();
  private readonly failures = new Map<string, string>();

  constructor(
    options: HttpClientOptions,
    private readonly instances: readonly string[],
  ) {
    super(options);
  }

  override async get(url: string, request: HttpRequest = {}): Promise<HttpResponse> {
    const instance = this.instances.find((base) => url.startsWith(`${base.replace(/\/+$/, '')}/`)) ?? url;
    let response: HttpResponse;
    try {
      response = await super.get(url, request);
    } catch (error) {
      // A 404 is RSSHub saying it has no rules for the domain: an answer.
      if (error instanceof FetchError && error.status === 404) this.answered.add(instance);
      // The first failure: it names the page's own domain, the later ones only shorter parts of it.
      else if (!this.failures.has(instance)) this.failures.set(instance, error instanceof Error ? error.message : String(error));
      throw error;
    }
    const text = Buffer.from(response.bytes).toString('utf8').trim();
    if (text === '' || /^[[{]/.test(text)) this.answered.add(instance);
    // A captive portal or a proxy's error page answers too, but it is not RSSHub.
    else if (!this.failures.has(instance))
      this.failures.set(
        instance,
        `${url} answered ${response.contentType ?? 'something'} that is not RSSHub's radar API (HTTP ${response.status})`,
      );
    return response;
  }

  /** The instances that never answered, and their last error; [] when any instance answered. */
  unreachable(): Array<{ instance: string; error: string }> {
    if (this.answered.size > 0) return [];
    return [...this.failures].map(([instance, error]) => ({ instance, error }));
  }
}

// ---------------------------------------------------------------------------------------------------------
// A local file.

async function addFile(options: AddOptions, target: string, client: HttpClient): Promise<Found> {
  const { config } = options;
  const file = await localFile(target, options.cwd ?? process.cwd(), config);
  let fetched: FetchedFeed;
  try {
    fetched = await fetchFeed(file, { client, maxBytes: config.fetch.maxBytes });
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    throw new UserError(`${target}: ${error.message} — nothing was added`);
  }
  const feed = readFeed(fetched, target);
  if (!('title' in feed)) {
    throw new UserError(`${target}: ${feed.problem} — newsstand reads RSS, Atom and JSON Feed files; nothing was added`);
  }
  // Written as sources are: relative to newsstand.yml when the file is under its directory, else absolute.
  const relative = path.relative(config.dir, file).split(path.sep).join('/');
  const location = relative.startsWith('../') || path.isAbsolute(relative) ? file : `./${relative}`;
  return add(options, { kind: 'file', location, categories: options.categories ?? [], title: feed.title });
}

/** The absolute path `target` names: relative to `cwd` (as typed), else to newsstand.yml's directory (as sources are written). */
async function localFile(target: string, cwd: string, config: Config): Promise<string> {
  let given = target;
  if (/^file:\/\//i.test(target)) {
    try {
      given = fileURLToPath(target);
    } catch (error) {
      throw new ConfigError(
        `${target}: not a usable file: URL (${(error as Error).message}) — give the file's path, e.g. ./feeds/local.xml`,
      );
    }
  } else if (/^file:/i.test(target)) {
    given = target.slice('file:'.length).trim();
  }
  if (given === '') throw new ConfigError(`${target}: give the feed file's path, e.g. file:./feeds/local.xml`);
  const candidates = [...new Set([path.resolve(cwd, given), path.resolve(config.dir, given)])];
  for (const candidate of candidates) {
    const info = await stat(candidate).catch(() => null);
    if (info?.isFile()) return candidate;
    if (info?.isDirectory()) throw new ConfigError(`${target}: is a directory (${candidate}) — give the feed file in it`);
  }
  const looked = candidates.join(' and ');
  // "example.com/feed" is a URL without its scheme far more often than a file.
  const host = /^((?:[a-z0-9-]+\.)+([a-z]{2,}))(?::\d+)?(?:\/|$)/i.exec(given);
  const url =
    host && !/^file:/i.test(target) && !/^(xml|json|rss|atom|rdf|html?|txt|opml)$/i.test(host[2]!)
      ? ` (did you mean https://${given}?)`
      : '';
  throw new ConfigError(
    `${target}: no such file (looked for ${looked})${url} — give rsshub:/route, an http(s) URL, or the path of a local feed file`,
  );
}
