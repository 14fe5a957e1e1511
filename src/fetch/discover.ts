import { parse } from 'parse5';
import type { DefaultTreeAdapterTypes } from 'parse5';

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/json',
  'application/rdf+xml',
  'application/xml',
  'text/xml',
]);

type Node = DefaultTreeAdapterTypes.Node;

/**
 * The feeds an HTML page announces with `<link rel="alternate" type="application/rss+xml" href="…">`,
 * absolute, in page order (RSS, Atom and JSON Feed alike). Only the head is looked at, as browsers do.
 */
export function discoverFeedLinks(html: string, pageUrl: string): string[] {
  return discoverPage(html, pageUrl).feeds;
}

/** What a page's head says of it: the feeds it announces (as discoverFeedLinks) and its `<title>` as written. */
export function discoverPage(html: string, pageUrl: string): { feeds: string[]; title: string } {
  const document = parse(html.slice(0, 512 * 1024));
  const head = findElement(document, 'head');
  const found: string[] = [];
  for (const link of head ? elements(head, 'link') : []) {
    const attribute = (name: string) => link.attrs.find((a) => a.name === name)?.value.trim() ?? '';
    const rel = attribute('rel').toLowerCase().split(/\s+/);
    const type = attribute('type').toLowerCase().split(';')[0]!.trim();
    if (!rel.includes('alternate') || !FEED_TYPES.has(type) || !attribute('href')) continue;
    try {
      const url = new URL(attribute('href'), pageUrl).href;
      if (/^https?:/i.test(url) && !found.includes(url)) found.push(url);
    } catch {
      // an unusable href is skipped
    }
  }
  // The head's <title>: an <svg>'s <title> in the body is not the page's.
  const title = head ? elements(head, 'title')[0] : undefined;
  const titleText = title ? title.childNodes.map((node) => ('value' in node ? node.value : '')).join('') : '';
  return { feeds: found, title: titleText };
}

function findElement(node: Node, tag: string): DefaultTreeAdapterTypes.Element | null {
  if ('tagName' in node && node.tagName === tag) return node as DefaultTreeAdapterTypes.Element;
  for (const child of 'childNodes' in node ? node.childNodes : []) {
    const found = findElement(child, tag);
    if (found) return found;
  }
  return null;
}

function elements(node: Node, tag: string): DefaultTreeAdapterTypes.Element[] {
  const out: DefaultTreeAdapterTypes.Element[] = [];
  for (const child of 'childNodes' in node ? node.childNodes : []) {
    if ('tagName' in child && child.tagName === tag) out.push(child as DefaultTreeAdapterTypes.Element);
    out.push(...elements(child, tag));
  }
  return out;
}
