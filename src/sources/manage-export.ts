/**
 * `newsstand export`: the sources as OPML 2.0 that any reader can import, and that `newsstand import` reads
 * back to the same sources:
 * - name → `text` and `title`; a source without one gets the name it is shown under.
 * - URL → `xmlUrl`; an RSSHub route → its URL on the first instance (never with the access key or code);
 *   a `file:` source → a file: URL, which only newsstand on this machine can read (said in a note).
 * - categories → folders, the inverse of how import reads folders ([Folder, name, 全部] is one folder
 *   holding the feed; other shapes nest by their categories), and exactly, in the OPML 2.0 `category`
 *   attribute ("/Folder/name/全部").
 * - `disabled: true` → `isComment="true"`: listed, switched off.
 */
import { pathToFileURL } from 'node:url';
import type { Config, SourceConfig } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { StateStore } from '../store/state.js';
import { rsshubUrl } from './locate.js';
import { categoryPath, wholeFeedCategory } from './opml/category.js';
import { writeOpml, type OpmlFeedOut } from './opml/write.js';

export interface ExportResult {
  opml: string;
  /** What was exported, in order, for --json. */
  feeds: Array<{ name: string; xmlUrl: string; kind: SourceConfig['kind']; categories: string[]; disabled: boolean }>;
  notes: string[];
}

export function exportOpml(config: Config, now = new Date()): ExportResult {
  const store = StateStore.open(sitePaths(config).stateDb, { readonly: true });
  const all = wholeFeedCategory(config.rsshub.language);
  const feeds: ExportResult['feeds'] = [];
  const out: OpmlFeedOut[] = [];
  let files = 0;
  try {
    for (const source of config.sources) {
      const xmlUrl = feedUrl(source, config);
      // A source known by its URL only is written with the URL as its text, which import reads as "no name".
      const name = source.name || source.categories[1] || store.source(source.key)?.name || xmlUrl;
      if (source.kind === 'file') files++;
      out.push({
        name,
        xmlUrl,
        folders: foldersFor(source.categories, name, all),
        category: source.categories.length > 0 ? categoryPath(source.categories) : '',
        commented: source.disabled,
      });
      feeds.push({ name, xmlUrl, kind: source.kind, categories: [...source.categories], disabled: source.disabled });
    }
  } finally {
    store.close();
  }
  const notes: string[] = [];
  if (files > 0) notes.push(`${files} file: source${files === 1 ? ' was' : 's were'} exported as file: URLs, which only newsstand on this machine can read`);
  const opml = writeOpml({ title: 'newsstand subscriptions', dateCreated: now, feeds: out });
  return { opml, feeds, notes };
}

function feedUrl(source: SourceConfig, config: Config): string {
  if (source.kind === 'file') return pathToFileURL(source.location).href;
  if (source.kind === 'url') return source.location;
  // On the first instance, without the access code: the file leaves this site, the key must not travel with it.
  return rsshubUrl(config.rsshub.instances[0]!, source.location, '');
}

/** The folders a source sits in: the inverse of import's reading of folders, so folders alone say most. */
export function foldersFor(categories: readonly string[], name: string, all: string): string[] {
  const [first, second, third] = categories;
  if (first !== undefined && second === name && third === all) return [first];
  if (first !== undefined && second !== undefined && third === name) return [first, second];
  return [...categories];
}
