import { createHash } from 'node:crypto';
import { isHttpUrl } from '../config/units.js';
import { FetchError, UserError } from '../errors.js';
import type { HttpClient } from '../fetch/http-client.js';
import type { FeedItem } from '../item.js';
import type { FullTextRecord } from '../store/caches.js';

/** The article page's content, or why it could not be had (and whether another run should try again). */
export type FullText = { html: string; baseUrl: string; image: string } | { error: string; retry: boolean };

/** Where fetched full texts are kept between runs (the site's state). */
export interface FullTextCache {
  get(itemId: string): FullTextRecord | undefined;
  save(record: FullTextRecord): void;
}

/** Runs that try a failing page before the feed's own content is kept for good. */
export const FULL_TEXT_ATTEMPTS = 3;

export interface FullTextOptions {
  cache: FullTextCache;
  client: HttpClient;
  /** A CSS selector for the article, or "" for automatic extraction. */
  selector: string;
  maxBytes: number;
  /** Refuse article pages on private, loopback and link-local addresses (the feed names them, not the user). */
  publicOnly: boolean;
  now: number;
  signal?: AbortSignal;
}

/**
 * `fullText` for one source: each item's page is fetched once and kept in the state, so re-publishing an
 * item (a settings change, an edited title) does not fetch it again unless its link, title or update time
 * changed. A failure is remembered too: the page is tried again on the next runs, up to FULL_TEXT_ATTEMPTS.
 */
export function fullTextFetcher(options: FullTextOptions): (item: FeedItem, id: string) => Promise<FullText> {
  const { cache, client, selector, maxBytes, publicOnly, now, signal } = options;
  return async (item, id) => {
    if (!isHttpUrl(item.link)) return { error: 'the item has no http(s) link to fetch', retry: false };
    const version = fullTextVersion(item, selector);
    const cached = cache.get(id);
    const known = cached?.version === version ? cached : undefined;
    if (known && !known.error) return { html: known.html, baseUrl: known.url, image: known.image };
    if (known && known.attempts >= FULL_TEXT_ATTEMPTS) return { error: known.error, retry: false };

    const record = { itemId: id, version, url: item.link, html: '', image: '', error: '', attempts: 0, fetchedAt: now };
    try {
      // Loaded on first use: the DOM and Readability cost ~27 MB that runs without full text do not need.
      const { fetchArticle } = await import('./fetch-article.js');
      const article = await fetchArticle(item.link, { client, selector: selector || undefined, signal, maxBytes, publicOnly });
      cache.save({ ...record, url: article.baseUrl, html: article.html, image: article.image });
      return { html: article.html, baseUrl: article.baseUrl, image: article.image };
    } catch (error) {
      // Stopped by SIGINT/SIGTERM: the feed's content for now, and no attempt counted against the page.
      if (signal?.aborted) return { error: 'the run was interrupted', retry: true };
      const message = error instanceof UserError ? error.message : `unexpected error: ${String(error)}`;
      const attempts = (known?.attempts ?? 0) + 1;
      cache.save({ ...record, error: message, attempts });
      // A refused address stays refused: no point reading the feed again for it.
      const refused = error instanceof FetchError && error.kind === 'blocked';
      return { error: message, retry: !refused && attempts < FULL_TEXT_ATTEMPTS };
    }
  };
}

function fullTextVersion(item: FeedItem, selector: string): string {
  const facts = [item.link, selector, item.title, item.updated?.toISOString() ?? ''];
  return createHash('sha256').update(facts.join('\u0000')).digest('hex').slice(0, 16);
}
