/**
 * `newsstand export`: the sources as OPML 2.0 that any reader can import, and that `newsstand import` reads
 * back to the same sources:
 * - name → `text` and `title`; a source without one gets the name it is shown under.
 * - URL → `xmlUrl`; an RSSHub route → its URL on the first instance (never with the access key or code);
 *   a `file:` source → a file: URL, which only newsstand on this machine can read (said in a note).
 * - categories → exactly, in the OPML 2.0 `category` attribute ("/新媒体/Aljazeera/新闻"), which import reads
 *   back; and as folders, for other readers:
 *   - `flat` (the default): one folder, the top category. Feedly, Inoreader, Miniflux, NetNewsWire, FreshRSS and
 *     most readers have one level of folders and file a feed under the folder just around it, so deeper nesting
 *     would put it under its channel ("新闻") instead of its category.
 *   - `nested`: a folder per category level, for readers with folders in folders (Thunderbird, QuiteRSS); the
 *     last level is left out when it is the feed's own name (the feed stands for it), as import reads it.
 * - `disabled: true` → `isComment="true"`: listed, switched off.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config, SourceConfig } from '../config/load.js';
import { writeFileAtomic } from '../post/atomic-write.js';
import { rsshubUrl } from '../sources/locate.js';
import { categoryPath } from '../sources/opml/category.js';
import { writeOpml, type OpmlFeedOut } from '../sources/opml/write.js';
import { fetchedNames } from './state.js';

/** How categories become folders: the top category only (one level, what most readers have), or every level. */
export type FolderStyle = 'flat' | 'nested';

export interface ExportResult {
  opml: string;
  /** What was exported, in order, for --json. */
  feeds: Array<{ name: string; xmlUrl: string; kind: SourceConfig['kind']; categories: string[]; folders: string[]; disabled: boolean }>;
  notes: string[];
}

export interface ExportOptions {
  config: Config;
  folders?: FolderStyle;
  /** Where to write the OPML; without it, the OPML is only returned. */
  file?: string;
  /** Told each note before the file is written. */
  warn?: (note: string) => void;
}

/** `newsstand export`: the OPML, written atomically to `file` when one is given (`file` is then its absolute path). */
export async function exportSources({ config, folders, file, warn }: ExportOptions): Promise<ExportResult & { file: string | null }> {
  const result = exportOpml(config, { folders });
  for (const note of result.notes) warn?.(note);
  if (!file) return { ...result, file: null };
  const written = resolve(file);
  await writeFileAtomic(written, result.opml);
  return { ...result, file: written };
}

export function exportOpml(config: Config, options: { now?: Date; folders?: FolderStyle } = {}): ExportResult {
  const now = options.now ?? new Date();
  const style = options.folders ?? 'flat';
  const names = fetchedNames(config);
  const feeds: ExportResult['feeds'] = [];
  const out: OpmlFeedOut[] = [];
  let files = 0;
  for (const source of config.sources) {
    const xmlUrl = feedUrl(source, config);
    // A source known by its URL only is written with the URL as its text, which import reads as "no name".
    const name = source.name || source.categories[1] || names.get(source.key) || xmlUrl;
    if (source.kind === 'file') files++;
    const folders = foldersFor(source.categories, name, style);
    out.push({
      name,
      xmlUrl,
      folders,
      category: source.categories.length > 0 ? categoryPath(source.categories) : '',
      commented: source.disabled,
    });
    feeds.push({ name, xmlUrl, kind: source.kind, categories: [...source.categories], folders, disabled: source.disabled });
  }
  const notes: string[] = [];
  if (files > 0)
    notes.push(
      `${files} file: source${files === 1 ? ' was' : 's were'} exported as file: URLs, which only newsstand on this machine can read`,
    );
  const opml = writeOpml({ title: 'newsstand subscriptions', dateCreated: now, feeds: out });
  return { opml, feeds, notes };
}

function feedUrl(source: SourceConfig, config: Config): string {
  if (source.kind === 'file') return pathToFileURL(source.location).href;
  if (source.kind === 'url') return source.location;
  // On the first instance, without the access code: the file leaves this site, the key must not travel with it.
  return rsshubUrl(config.rsshub.instances[0]!, source.location, '');
}

/**
 * The folders a source sits in. `flat`: its top category (none without categories). `nested`: its categories,
 * but for a last one that is the feed's own name — the inverse of how import reads folders, so that a reader
 * that drops the `category` attribute still hands most shapes back whole.
 */
export function foldersFor(categories: readonly string[], name: string, style: FolderStyle): string[] {
  if (categories.length === 0) return [];
  if (style === 'flat') return [categories[0]!];
  return categories.length > 1 && categories.at(-1) === name ? categories.slice(0, -1) : [...categories];
}
