import { createHash } from 'node:crypto';
import type { FeedItem } from './item.js';

/**
 * The stable id of an item: a hash of its source and its guid, else its link, else its title and date.
 * 16 hex digits — short enough for file names, 64 bits against collisions within one site.
 */
export function itemId(sourceKey: string, item: Pick<FeedItem, 'guid' | 'link' | 'title' | 'published' | 'updated'>): string {
  const date = item.published ?? item.updated;
  const identity = item.guid || item.link || `${item.title}\u0000${date ? date.toISOString() : ''}`;
  return createHash('sha256').update(`${sourceKey}\u0000${identity}`).digest('hex').slice(0, 16);
}

/**
 * The form of a link used to spot the same article arriving from two sources: scheme and host in lower
 * case (URL does that), no fragment, no trailing slash on the path.
 */
export function linkKey(link: string): string {
  if (!link) return '';
  try {
    const url = new URL(link);
    url.hash = '';
    if (url.pathname.length > 1 && url.pathname.endsWith('/')) url.pathname = url.pathname.replace(/\/+$/, '');
    return url.href;
  } catch {
    return '';
  }
}
