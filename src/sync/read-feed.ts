import type { Config, SourceConfig } from '../config/load.js';
import { FetchError, NotAFeedError } from '../errors.js';
import { fetchFeed, type FetchedFeed } from '../fetch/fetch-feed.js';
import type { HttpClient } from '../fetch/http-client.js';
import { decodeFeedBytes, charsetFromContentType } from '../feed/decode.js';
import { sniffFeed } from '../feed/detect.js';
import type { ParsedFeed } from '../item.js';
import { feedLocations, signRedirect, type FeedLocation } from '../sources/locate.js';
import { InstanceSkipped, type RsshubInstances } from '../sources/rsshub/instances.js';
import { sourceFingerprint } from '../publish/fingerprint.js';
import type { SourceRecord } from '../store/sources.js';

/** A source read: its feed parsed (null when it had not changed), or why it could not be read. */
export type FeedRead =
  | { fetched: FetchedFeed; parsed: ParsedFeed | null; feedUrl: string; instance: string }
  | { error: unknown; httpStatus: number | null };

export interface ReadFeedInput {
  config: Config;
  source: SourceConfig;
  state: SourceRecord | undefined;
  client: HttpClient;
  instances: RsshubInstances;
  signal?: AbortSignal;
}

/**
 * Fetches and parses one source. It is read where it lives now (a remembered permanent redirect or
 * discovered feed) before where it was configured; an RSSHub route on each live instance in turn, an
 * instance that fails being skipped for the rest of the run. A conditional GET skips parsing when nothing
 * changed; an HTML page is followed to the feed it announces. Never rejects.
 */
export async function readFeed({ config, source, state, client, instances, signal }: ReadFeedInput): Promise<FeedRead> {
  const configured = feedLocations(source, config.rsshub).filter((location) => !location.instance || !instances.isDead(location.instance));
  const remembered: FeedLocation[] = state?.feedUrl ? [{ url: state.feedUrl, instance: null }] : [];
  const locations = [...remembered, ...configured.filter((location) => location.url !== state?.feedUrl)];
  // A conditional GET only while the source's configuration is as it was: after a change (categories,
  // filters, name, retention…) the feed is read again so every post is rewritten to match. Items waiting for another
  // full-text attempt need the feed's items too.
  const unchanged =
    state && state.lastSuccess !== null && state.settings === sourceFingerprint(source, config.theme.keys) && !state.contentRetry;
  const validators = unchanged ? { etag: state.etag, lastModified: state.lastModified } : null;
  let lastError: unknown =
    source.kind === 'rsshub' && configured.length === 0
      ? new FetchError('every RSSHub instance failed earlier in this run', 'network')
      : null;
  let httpStatus: number | null = null;
  for (const [index, location] of locations.entries()) {
    if (location.instance && instances.isDead(location.instance)) continue;
    httpStatus = null;
    // With another instance to ask, a failing one is not retried: the next instance is the retry.
    const retries = location.instance && index < locations.length - 1 ? 0 : undefined;
    try {
      const redirectTo = location.instance ? signRedirect(location.instance, config.rsshub.accessKey) : undefined;
      const fetchOnce = () =>
        fetchFeed(location.url, {
          client,
          maxBytes: config.fetch.maxBytes,
          headers: source.headers,
          validators,
          signal,
          retries,
          redirectTo,
        });
      const fetched = location.instance ? await instances.use(location.instance, fetchOnce) : await fetchOnce();
      httpStatus = fetched.status;
      const feedUrl =
        fetched.permanentUrl && !location.instance ? fetched.permanentUrl : location.url === state?.feedUrl ? location.url : '';
      const instance = location.instance ?? '';
      if (fetched.notModified) return { fetched, parsed: null, feedUrl, instance };
      try {
        return { fetched, parsed: await parse(fetched, source, config.fetch.maxItemsPerFeed), feedUrl, instance };
      } catch (error) {
        const discovered = error instanceof NotAFeedError ? await announcedFeed(fetched) : null;
        if (!discovered) throw error;
        const feed = await fetchFeed(discovered, { client, maxBytes: config.fetch.maxBytes, headers: source.headers, signal });
        httpStatus = feed.status;
        return {
          fetched: feed,
          parsed: await parse(feed, source, config.fetch.maxItemsPerFeed),
          feedUrl: feed.permanentUrl ?? discovered,
          instance,
        };
      }
    } catch (error) {
      if (error instanceof InstanceSkipped) {
        lastError ??= new FetchError(`RSSHub instance ${location.instance} failed earlier in this run`, 'network');
        continue;
      }
      lastError = error;
      // A failed fetch knows its own status; a document that was fetched but is no feed keeps the fetch's.
      if (error instanceof FetchError) httpStatus = error.status;
      if (signal?.aborted) break;
    }
  }
  return { error: lastError, httpStatus };
}

async function parse(fetched: FetchedFeed, source: SourceConfig, maxItems: number): Promise<ParsedFeed> {
  // Loaded when a feed changed: the parsers cost ~50 ms of start-up that a run of unchanged feeds does not need.
  const { parseFeedBytes } = await import('../feed/parse.js');
  return parseFeedBytes(fetched.bytes, { url: fetched.url, contentType: fetched.contentType, timeZone: source.timezone, maxItems });
}

/** The first feed an HTML page announces, when the bytes are an HTML page from the web. */
async function announcedFeed(fetched: FetchedFeed): Promise<string | null> {
  if (!fetched.url) return null;
  const { text } = decodeFeedBytes(fetched.bytes, charsetFromContentType(fetched.contentType));
  if (sniffFeed(text).kind !== 'html') return null;
  // Loaded for this rare case only: it brings parse5 (~20 ms of start-up).
  const { discoverFeedLinks } = await import('../fetch/discover.js');
  return discoverFeedLinks(text, fetched.url)[0] ?? null;
}
