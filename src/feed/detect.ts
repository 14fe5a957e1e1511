import type { FeedFormat } from '../item.js';

/** What a document is, judged from its first element (or first character, for JSON). */
export type Sniffed =
  /**
   * `root` is the root element's lower-cased local name (rss, rdf, feed): RSS 0.9x comes as <rss> or as RDF.
   * `prefix` is the root's namespace prefix as written (`rss` for `<rss:rss>`), "" when it has none.
   */
  | { kind: 'feed'; format: FeedFormat; root: string; prefix: string }
  | { kind: 'html' }
  | { kind: 'other-xml'; root: string }
  | { kind: 'json' }
  | { kind: 'empty' }
  | { kind: 'unknown' };

// Skips the prolog — declaration, processing instructions, comments, a doctype with an internal subset.
const PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>)*/i;
const ROOT = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^>]*)>?/;

const RSS09_VERSIONS = /^0\.9\d*$/;

export function sniffFeed(text: string): Sniffed {
  const start = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (start.trim() === '') return { kind: 'empty' };
  if (/^\s*[[{]/.test(start)) return { kind: 'json' };

  const prolog = PROLOG.exec(start)?.[0] ?? '';
  if (/<!DOCTYPE\s+html/i.test(prolog)) return { kind: 'html' };
  const root = ROOT.exec(start.slice(prolog.length));
  if (!root) return { kind: 'unknown' };

  const localName = (root[2] ?? '').toLowerCase();
  const prefix = (root[1] ?? '').slice(0, -1);
  const attributes = root[3] ?? '';
  switch (localName) {
    case 'rss': {
      const version = /\sversion\s*=\s*["']([^"']*)["']/i.exec(attributes)?.[1]?.trim() ?? '';
      return { kind: 'feed', format: RSS09_VERSIONS.test(version) ? 'rss09' : 'rss2', root: localName, prefix };
    }
    case 'rdf':
      // RSS 0.90's channel lives in Netscape's namespace; RSS 1.0 in purl.org's.
      return {
        kind: 'feed',
        format: /my\.netscape\.com\/rdf\/simple\/0\.9/i.test(start.slice(0, 4096)) ? 'rss09' : 'rss1',
        root: localName,
        prefix,
      };
    case 'feed': {
      const atom03 = /\sversion\s*=\s*["']0\.3["']/.test(attributes) || /purl\.org\/atom\/ns#/.test(attributes);
      return { kind: 'feed', format: atom03 ? 'atom03' : 'atom1', root: localName, prefix };
    }
    case 'html':
      return { kind: 'html' };
    default:
      return { kind: 'other-xml', root: (root[1] ?? '') + (root[2] ?? '') };
  }
}

/** A human description of a document that is not a feed, for "not a feed" errors. */
export function describeNonFeed(sniffed: Sniffed): string {
  switch (sniffed.kind) {
    case 'html':
      return 'it is an HTML page, not a feed (give the address of its feed; "newsstand add <page>" finds a feed the page links to, or RSSHub routes for it)';
    case 'other-xml':
      return `it is an XML document with root <${sniffed.root}>, not RSS, Atom or RDF`;
    case 'json':
      return 'it is JSON but not a JSON Feed (no "version": "https://jsonfeed.org/version/1…")';
    case 'empty':
      return 'it is empty';
    default:
      return 'it is neither XML nor JSON';
  }
}
