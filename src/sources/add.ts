import { appendSource, type SourceEntry } from '../config/edit.js';
import type { Config } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { ConfigError, NotAFeedError, UserError } from '../errors.js';
import { discoverFeedLinks } from '../fetch/discover.js';
import { fetchFeed } from '../fetch/fetch-feed.js';
import { clientOptions, HttpClient } from '../fetch/http-client.js';
import { charsetFromContentType, decodeFeedBytes } from '../feed/decode.js';
import { parseFeedBytes } from '../feed/parse.js';
import { StateStore } from '../store/state.js';
import { RsshubInstances } from './rsshub/instances.js';
import { RsshubMetadata } from './rsshub/metadata.js';
import { suggestRoutes, type RouteSuggestion } from './rsshub/radar.js';

export interface AddOptions {
  config: Config;
  /** `rsshub:/route` or an http(s) URL (a feed, or a page). */
  target: string;
  name?: string;
  categories?: string[];
  dryRun?: boolean;
  /** The User-Agent used when fetch.userAgent is "". */
  userAgent: string;
}

export type AddResult =
  | { added: { kind: 'rsshub' | 'url'; location: string; categories: string[] }; suggestions: [] }
  | { added: null; suggestions: RouteSuggestion[] };

/**
 * `newsstand add`: an RSSHub route is added with categories from the instance's metadata; a URL is added
 * when it is a feed or a page announcing one; otherwise the page's RSSHub routes are suggested.
 */
export async function addSource(options: AddOptions): Promise<AddResult> {
  const { config } = options;
  const client = new HttpClient(clientOptions(config.fetch, options.userAgent));
  try {
    if (options.target.startsWith('rsshub:')) {
      const route = options.target.slice('rsshub:'.length).trim();
      if (!route.startsWith('/')) throw new ConfigError(`${options.target}: an RSSHub route starts with "/", e.g. rsshub:/aljazeera/chinese/news`);
      const categories = options.categories ?? (await metadataCategories(config, client, route));
      return await add(options, 'rsshub', route, categories);
    }
    if (!/^https?:\/\//i.test(options.target)) {
      throw new ConfigError(`${options.target}: give an http(s) URL or rsshub:/route (for a local file, add "- file: PATH" to ${config.file})`);
    }
    const feedUrl = await findFeed(options.target, client, config);
    if (feedUrl) return await add(options, 'url', feedUrl, options.categories ?? []);
    return { added: null, suggestions: await suggestRoutes(options.target, { rsshub: config.rsshub, client }) };
  } finally {
    await client.close();
  }
}

async function add(options: AddOptions, kind: 'rsshub' | 'url', location: string, categories: string[]): Promise<AddResult> {
  const { config } = options;
  const existing = config.sources.find((source) => source.kind === kind && (source.location === location || sameUrl(source.location, location)));
  if (existing) throw new ConfigError(`${config.file}:${existing.line}: ${kind}:${location} is already configured`);
  const entry: SourceEntry = { [kind]: location };
  if (options.name) entry.name = options.name;
  if (categories.length > 0) entry.categories = categories;
  await appendSource(config.file, entry, { dryRun: options.dryRun });
  return { added: { kind, location, categories }, suggestions: [] };
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

/** The feed at `url`: the URL itself when it is a feed, the feed an HTML page announces, else null. */
async function findFeed(url: string, client: HttpClient, config: Config): Promise<string | null> {
  const fetched = await fetchFeed(url, { client, maxBytes: config.fetch.maxBytes });
  try {
    parseFeedBytes(fetched.bytes, { url: fetched.url, contentType: fetched.contentType });
    return fetched.permanentUrl ?? url;
  } catch (error) {
    if (!(error instanceof NotAFeedError)) throw new UserError(`${url}: ${(error as Error).message}`);
  }
  const { text } = decodeFeedBytes(fetched.bytes, charsetFromContentType(fetched.contentType));
  return discoverFeedLinks(text, fetched.url)[0] ?? null;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}
