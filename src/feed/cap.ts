/**
 * The per-feed item cap (`fetch.maxItemsPerFeed`). A feed with more items than the cap keeps the newest ones
 * by date (published, else updated), whatever order the feed lists them in — most feeds are newest first,
 * some oldest first, and both lose their oldest items. Items without a date rank as newest, as sync dates
 * them when first seen; equal dates keep the earlier item in the document. Kept items stay in document order.
 */

import { decodeHTML } from 'entities';
import { parseFeedDate, type DateContext } from './dates.js';

export const DEFAULT_MAX_ITEMS_PER_FEED = 1000;

export interface Ranked<T> {
  value: T;
  /** Milliseconds since the epoch, or null for an undated item. */
  date: number | null;
  /** Position in the document: smaller is earlier. */
  order: number;
}

/** The `max` newest of `entries`, in document order. */
export function keepNewest<T>(entries: Array<Ranked<T>>, max: number): Array<Ranked<T>> {
  if (entries.length <= max) return [...entries].sort((a, b) => a.order - b.order);
  const newestFirst = [...entries].sort((a, b) => {
    if (a.date !== b.date) {
      if (a.date === null) return -1;
      if (b.date === null) return 1;
      return b.date - a.date;
    }
    return a.order - b.order;
  });
  return newestFirst.slice(0, max).sort((a, b) => a.order - b.order);
}

export interface Span {
  start: number;
  end: number;
}

/**
 * Where each top-level `<item>` (or `<entry>`) element of an XML feed starts and ends, found without
 * building a tree, so that a feed of 100,000 items can be read a slice at a time. Comments and CDATA are
 * skipped; an item nested in another (`<item>` inside an item) belongs to the outer one. An item left
 * unclosed by a truncated document is not listed: it stays in the text after the last span.
 */
export function itemSpans(text: string, name: 'item' | 'entry'): Span[] {
  const spans: Span[] = [];
  const markup = new RegExp(`<!--|<!\\[CDATA\\[|<(/?)(?:[A-Za-z_][\\w.-]*:)?${name}(?=[\\s/>])`, 'gi');
  let depth = 0;
  let start = -1;
  for (let match = markup.exec(text); match; match = markup.exec(text)) {
    const at = match.index;
    if (match[0] === '<!--' || match[0].startsWith('<![')) {
      const terminator = match[0] === '<!--' ? '-->' : ']]>';
      const end = text.indexOf(terminator, at + match[0].length);
      if (end === -1) break;
      markup.lastIndex = end + terminator.length;
      continue;
    }
    const tagEnd = text.indexOf('>', at);
    if (tagEnd === -1) break;
    markup.lastIndex = tagEnd + 1;
    if (match[1] === '/') {
      if (depth === 0) continue; // a stray end tag
      depth--;
      if (depth === 0) spans.push({ start, end: tagEnd + 1 });
    } else if (text[tagEnd - 1] === '/') {
      if (depth === 0) spans.push({ start: at, end: tagEnd + 1 }); // <item/>
    } else {
      if (depth === 0) start = at;
      depth++;
    }
  }
  return spans;
}

// The elements the normalizers date an item by, as [prefix, local name] (lower case, as feedsmith reads
// names): published first, then updated (rss.ts, atom.ts; feedsmith maps Atom 0.3's issued and modified).
const DATE_ELEMENTS: Record<'item' | 'entry', { published: string[]; updated: string[] }> = {
  item: { published: [':pubdate', 'dc:date'], updated: ['dcterms:modified'] },
  entry: {
    published: [':published', 'atom:published', ':issued', 'atom:issued'],
    updated: [':updated', 'atom:updated', ':modified', 'atom:modified'],
  },
};
const DATE_ELEMENT =
  /<(?:([A-Za-z_][\w.-]*):)?(pubdate|date|modified|published|updated|issued)(?:\s[^>]*)?>([^<]*(?:<!\[CDATA\[[\s\S]*?\]\]>[^<]*)*)<\//gi;

/**
 * An item's date (published, else updated) in milliseconds, read from the item's own text without parsing
 * the document — or null when it has none. Values are read as feedsmith reads them (comments dropped, CDATA
 * unwrapped, entities decoded, trimmed) and dated by the same parser, in `dates`' zone and language.
 */
export function spanDate(text: string, span: Span, kind: 'item' | 'entry', dates: DateContext): number | null {
  const found = new Map<string, string>();
  const element = new RegExp(DATE_ELEMENT.source, 'gi');
  const item = text.slice(span.start, span.end);
  for (let match = element.exec(item); match; match = element.exec(item)) {
    const name = `${(match[1] ?? '').toLowerCase()}:${match[2]!.toLowerCase()}`;
    if (!found.has(name)) found.set(name, match[3] ?? '');
  }
  const first = (names: string[]) => {
    for (const name of names) {
      const value = found.get(name);
      if (value !== undefined) return parseFeedDate(elementText(value), dates);
    }
    return null;
  };
  const { published, updated } = DATE_ELEMENTS[kind];
  return (first(published) ?? first(updated))?.getTime() ?? null;
}

function elementText(raw: string): string {
  let text = '';
  let last = 0;
  for (const cdata of raw.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)) {
    text += decode(raw.slice(last, cdata.index)) + cdata[1];
    last = cdata.index + cdata[0].length;
  }
  return (text + decode(raw.slice(last))).trim();
}

function decode(text: string): string {
  return text.includes('&') ? decodeHTML(text) : text;
}
