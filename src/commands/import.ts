/**
 * `newsstand import FILE.opml`: the subscriptions of another reader become sources, appended to
 * `newsstand.yml` in one validated, atomic edit — all of them or, when anything stops the import, none.
 *
 * Categories come from the OPML `category` attribute when it holds a path (newsstand's own exports write
 * one, so an export reads back exactly), else from the folders a feed sits in, read as newsstand's
 * category > site > channel with the feed itself as the site (or channel) — nothing the file does not say:
 *   feed at the top level            → none (its posts are filed under its name, as for any source)
 *   Folder › feed                    → [Folder, feed title]   (the reader's folder is the category, the feed the site)
 *   Folder › Sub › feed              → [Folder, Sub, feed title]
 *   A › B › C (› deeper…) › feed     → [A, B, C]
 * A feed without a title gets the folders alone.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendSources, type SourceEntry } from '../config/edit.js';
import type { Config, SourceConfig } from '../config/load.js';
import { isHttpUrl } from '../config/units.js';
import { ConfigError, UserError } from '../errors.js';
import { decodeFeedBytes } from '../feed/decode.js';
import { categoriesFromPath } from '../sources/opml/category.js';
import { OpmlError, opmlFeeds, parseOpml, type OpmlFeed } from '../sources/opml/parse/opml.js';
import { literal } from '../sources/literal.js';
import { describeSource, sameFeedKey } from '../sources/match.js';
import { routeOnInstance } from '../sources/rsshub/routes.js';

/** Largest OPML file read: a reader's export of thousands of feeds is well under a megabyte. */
export const MAX_OPML_BYTES = 10 * 1024 * 1024;
/** Most outlines (feeds and folders) one import takes. */
export const MAX_OUTLINES = 10_000;

export interface ImportOptions {
  config: Config;
  /** The OPML file, or "-" for standard input. */
  file: string;
  dryRun?: boolean;
  /** Standard input, for "-" (tests). */
  stdin?: AsyncIterable<Uint8Array>;
}

export interface ImportedSource {
  name: string;
  kind: SourceConfig['kind'];
  /** The URL, the route, or the file as written into newsstand.yml. */
  location: string;
  categories: string[];
  disabled: boolean;
  /** Line of the outline in the OPML file. */
  line: number;
}

export interface ImportResult {
  file: string;
  dryRun: boolean;
  /** The OPML's own title. */
  title: string;
  /** Outlines with an xmlUrl. */
  feeds: number;
  added: ImportedSource[];
  /** Feeds already configured, or listed twice in the file: skipped. */
  duplicates: Array<{ name: string; location: string; line: number; sameAs: string }>;
  /** Outlines that could not become sources, and why. */
  skipped: Array<{ line: number; name: string; reason: string }>;
  notes: string[];
}

export async function importOpml(options: ImportOptions): Promise<ImportResult> {
  const { config } = options;
  const file = options.file === '-' ? 'standard input' : options.file;
  const bytes = await readOpmlBytes(options.file, options.stdin);
  let feeds: OpmlFeed[];
  let problems: ImportResult['skipped'];
  let title: string;
  try {
    const document = parseOpml(decodeFeedBytes(bytes).text, { maxOutlines: MAX_OUTLINES });
    ({ feeds, problems } = opmlFeeds(document));
    title = document.title;
  } catch (error) {
    if (!(error instanceof OpmlError)) throw error;
    const where = error.line ? `${file}:${error.line}:${error.column ?? 1}` : file;
    throw new UserError(`${where}: ${error.message} — nothing was imported, ${config.file} is unchanged`);
  }
  const result: ImportResult = {
    file,
    dryRun: Boolean(options.dryRun),
    title,
    feeds: feeds.length,
    added: [],
    duplicates: [],
    skipped: [...problems],
    notes: [],
  };
  if (feeds.length === 0) {
    const outlines =
      problems.length > 0
        ? ` (${problems.length} outline${problems.length === 1 ? '' : 's'}, none with an xmlUrl)`
        : ' (its <body> is empty)';
    throw new UserError(`${file}: no feeds in it${outlines} — nothing was imported, ${config.file} is unchanged`);
  }

  const known = new Map<string, string>();
  for (const source of config.sources) {
    known.set(
      sameFeedKey(source.kind, source.location, config.rsshub),
      `${describeSource(source)} (${path.basename(config.file)} line ${source.line})`,
    );
  }
  const unknownInstances = new Set<string>();
  let deep = 0;
  const entries: SourceEntry[] = [];
  for (const feed of feeds) {
    const target = await feedTarget(feed.xmlUrl, config);
    if ('reason' in target) {
      result.skipped.push({ line: feed.line, name: feed.name, reason: target.reason });
      continue;
    }
    if (target.kind === 'url' && /(^|\.)rsshub\./i.test(new URL(target.location).hostname))
      unknownInstances.add(new URL(target.location).origin);
    const feedKey = sameFeedKey(
      target.kind,
      target.kind === 'file' ? path.resolve(config.dir, target.location) : target.location,
      config.rsshub,
    );
    // A name that is only the feed's URL (readers write one when they know no title) is no name.
    const name = feed.name === feed.xmlUrl || feed.name === target.location ? '' : feed.name;
    const sameAs = known.get(feedKey);
    if (sameAs) {
      result.duplicates.push({ name, location: target.location, line: feed.line, sameAs });
      continue;
    }
    const fromAttribute = categoriesFromPath(feed.category);
    if (!fromAttribute && feed.folders.length > 3) deep++;
    const categories = fromAttribute ?? categoriesFromFolders(feed.folders, name);
    const imported: ImportedSource = {
      name,
      kind: target.kind,
      location: target.location,
      categories,
      disabled: feed.commented,
      line: feed.line,
    };
    known.set(feedKey, `line ${feed.line} of ${path.basename(file)}`);
    result.added.push(imported);
    entries.push(entryFor(imported));
  }
  if (unknownInstances.size > 0) {
    result.notes.push(
      `${[...unknownInstances].join(', ')} look${unknownInstances.size === 1 ? 's' : ''} like RSSHub but ${unknownInstances.size === 1 ? 'is' : 'are'} not in rsshub.instances: ` +
        'those feeds were taken as plain URLs (add the instance to rsshub.instances before importing to get rsshub: routes)',
    );
  }
  if (deep > 0)
    result.notes.push(
      `${deep} feed${deep === 1 ? ' is' : 's are'} in folders more than three deep: the outermost three became the categories`,
    );
  if (entries.length > 0) await appendSources(config.file, entries, { dryRun: options.dryRun });
  return result;
}

async function readOpmlBytes(file: string, stdin: AsyncIterable<Uint8Array> = process.stdin): Promise<Uint8Array> {
  if (file === '-') {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of stdin) {
      size += chunk.length;
      if (size > MAX_OPML_BYTES)
        throw new UserError(`standard input: more than ${MAX_OPML_BYTES / 1024 / 1024} MB — not an OPML subscription list`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new ConfigError(`${file}: is a directory — give the OPML file exported by your reader`);
    if (info.size > MAX_OPML_BYTES)
      throw new UserError(
        `${file}: ${(info.size / 1024 / 1024).toFixed(1)} MB is more than an OPML subscription list (at most ${MAX_OPML_BYTES / 1024 / 1024} MB) — is it the right file?`,
      );
    return await readFile(file);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`${file}: not found — give the OPML file exported by your reader`);
    throw new UserError(`${file}: cannot be read (${code ?? String(error)})`);
  }
}

type Target = { kind: SourceConfig['kind']; location: string } | { reason: string };

/** What an outline's xmlUrl becomes: an RSSHub route, a URL, or a local file; or why it cannot be read. */
async function feedTarget(xmlUrl: string, config: Config): Promise<Target> {
  // feed:// and feed:https:// are how some pages link feeds to readers.
  const url = xmlUrl.replace(/^feed:\/\//i, 'http://').replace(/^feed:(?=https?:)/i, '');
  if (/^file:/i.test(url)) {
    let file: string;
    try {
      file = fileURLToPath(url);
    } catch {
      return { reason: `xmlUrl ${JSON.stringify(xmlUrl)} is not a usable file: URL` };
    }
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return { reason: `xmlUrl ${JSON.stringify(xmlUrl)}: no such file on this machine (${file})` };
    const relative = path.relative(config.dir, file).split(path.sep).join('/');
    return { kind: 'file', location: relative.startsWith('../') || path.isAbsolute(relative) ? relative : `./${relative}` };
  }
  if (!isHttpUrl(url)) return { reason: `xmlUrl ${JSON.stringify(xmlUrl)} is not an http(s) URL` };
  const route = routeOnInstance(url, config.rsshub.instances);
  if (route && /^\/\S*$/.test(route)) return { kind: 'rsshub', location: route };
  return { kind: 'url', location: url };
}

/** Categories from the folders a feed sits in (see the top of this file). */
export function categoriesFromFolders(folders: readonly string[], title: string): string[] {
  if (folders.length === 0) return [];
  if (folders.length >= 3) return folders.slice(0, 3);
  return title ? [...folders, title] : [...folders];
}

function entryFor(source: ImportedSource): SourceEntry {
  const entry: SourceEntry = { [source.kind]: literal(source.location) };
  if (source.name) entry.name = literal(source.name);
  if (source.categories.length > 0) entry.categories = source.categories.map(literal);
  if (source.disabled) entry.disabled = true;
  return entry;
}
