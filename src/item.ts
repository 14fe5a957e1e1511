/**
 * The item model: what a feed becomes once parsed, and what an item becomes once cleaned.
 * Every stage after `feed/` speaks these types and nothing format-specific.
 */

export type FeedFormat = 'rss2' | 'rss1' | 'rss09' | 'atom1' | 'atom03' | 'json1';

export interface Enclosure {
  url: string;
  type: string;
  length: number;
}

/** Channel-level facts. Absent text is "", absent dates null. */
export interface FeedInfo {
  format: FeedFormat;
  title: string;
  link: string;
  description: string;
  language: string;
  image: string;
  updated: Date | null;
  /** How often the publisher says to check (`<ttl>`, `sy:updatePeriod`), when it says. */
  refreshMs: number | null;
}

/**
 * One entry as the feed states it, normalized across formats: URLs absolute, dates real instants, the title
 * plain text. `contentHtml` is still the publisher's raw HTML; `content/` cleans it.
 */
export interface FeedItem {
  guid: string;
  title: string;
  link: string;
  published: Date | null;
  updated: Date | null;
  author: string;
  categories: string[];
  summary: string;
  contentHtml: string;
  /** The feed's own picture for the item (media:thumbnail, media:content, image enclosure, itunes:image, JSON Feed image). */
  image: string;
  enclosures: Enclosure[];
  /** What relative URLs inside `contentHtml` resolve against (xml:base, else the item link, else the feed URL). */
  baseUrl: string;
}

export interface ParsedFeed {
  feed: FeedInfo;
  /** In document order; at most the parser's `maxItems`, the newest ones when the feed has more. */
  items: FeedItem[];
  /** How many items the feed had beyond the cap (fetch.maxItemsPerFeed), not read; absent or 0 when none. */
  skippedItems?: number;
}

/** An item after cleaning: safe HTML and its lead image, tied to the source it came from. */
export interface Article {
  /** Stable id: hash of the source and the item's guid, else link, else title + date. */
  id: string;
  item: FeedItem;
  /** The title as published (converted when the source asks for it). */
  title: string;
  html: string;
  leadImage: string;
  /** Mirrored image files (relative to the site's images directory) the post shows. */
  mirroredImages: string[];
  /** What could not be done for this item (full text, images), for the source's status. */
  problems: string[];
  /** A failed full-text fetch worth another try on the next run. */
  retryLater: boolean;
}
