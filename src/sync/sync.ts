import { mkdir } from 'node:fs/promises';
import type { Config, SourceConfig } from '../config/load.js';
import { itemFilter } from '../content/filter.js';
import { prepareArticle } from '../content/prepare.js';
import { UserError } from '../errors.js';
import { fetchFeed } from '../fetch/fetch-feed.js';
import { parseFeedBytes } from '../feed/parse.js';
import type { ParsedFeed } from '../item.js';
import { publishSource, type PublishCounts } from '../publish/publish-source.js';
import { removeStaleTemporaries } from '../publish/write.js';
import { feedLocations } from '../sources/locate.js';
import { acquireLock } from '../store/lock.js';
import { rebuildStateFromPosts } from '../store/rebuild.js';
import { StateStore } from '../store/state.js';
import { sitePaths } from '../config/paths.js';
import { errorKind, userAgent } from './source-errors.js';
import { emptySummary, type SourceOutcome, type SyncReporter, type SyncSummary } from './summary.js';

export interface SyncOptions {
  config: Config;
  dryRun?: boolean;
  reporter?: SyncReporter;
  now?: Date;
}

const MAX_BACKOFF_MS = 24 * 60 * 60 * 1000;

/**
 * One run: take the site's lock, open the state (rebuilding it from the posts if it is gone), read every
 * source concurrently, then publish them one by one in the order configured — so that when two sources
 * carry the same article the first one wins — and record how each source fared.
 */
export async function syncSite({ config, dryRun = false, reporter, now = new Date() }: SyncOptions): Promise<SyncSummary> {
  const paths = sitePaths(config);
  const lock = dryRun ? null : acquireLock(paths.lock);
  let store: StateStore | null = null;
  try {
    store = StateStore.open(paths.stateDb, { readonly: dryRun });
    if (store.created) await rebuildStateFromPosts(store, paths.postsDir, now.getTime());
    if (!dryRun) {
      await mkdir(paths.postsDir, { recursive: true });
      await removeStaleTemporaries(paths.postsDir);
    }

    const summary = emptySummary(config.sources.length, dryRun);
    const feeds = readAllSources(config);
    for (const [index, source] of config.sources.entries()) {
      const outcome = await publishOne({ config, source, feed: feeds[index]!, store, dryRun, now: now.getTime() });
      addOutcome(summary, outcome);
      reporter?.sourceDone(outcome, summary);
    }
    return summary;
  } finally {
    store?.close();
    lock?.release();
  }
}

type SourceRead = { parsed: ParsedFeed } | { error: unknown };

/** Starts reading every source, at most `fetch.concurrency` at a time; each promise settles, never rejects. */
function readAllSources(config: Config): Array<Promise<SourceRead>> {
  let running = 0;
  const waiting: Array<() => void> = [];
  const slot = async () => {
    while (running >= config.fetch.concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
  };
  const free = () => {
    running--;
    waiting.shift()?.();
  };
  return config.sources.map(async (source) => {
    await slot();
    try {
      return await readSource(config, source);
    } catch (error) {
      return { error };
    } finally {
      free();
    }
  });
}

/** Fetches and parses one source, trying each location (RSSHub instances) until one answers with a feed. */
async function readSource(config: Config, source: SourceConfig): Promise<SourceRead> {
  let lastError: unknown = null;
  for (const location of feedLocations(source, config.rsshub)) {
    try {
      const fetched = await fetchFeed(location, {
        timeoutMs: config.fetch.timeoutMs,
        maxBytes: config.fetch.maxBytes,
        userAgent: config.fetch.userAgent || userAgent(),
      });
      const parsed = parseFeedBytes(fetched.bytes, { url: fetched.url, contentType: fetched.contentType, timeZone: source.timezone });
      return { parsed };
    } catch (error) {
      lastError = error;
    }
  }
  return { error: lastError };
}

interface PublishOneInput {
  config: Config;
  source: SourceConfig;
  feed: Promise<SourceRead>;
  store: StateStore;
  dryRun: boolean;
  now: number;
}

async function publishOne({ config, source, feed, store, dryRun, now }: PublishOneInput): Promise<SourceOutcome> {
  const read = await feed;
  const previous = store.source(source.key);
  if ('error' in read) {
    const failures = (previous?.failures ?? 0) + 1;
    const message = read.error instanceof UserError ? read.error.message : `unexpected error: ${String(read.error)}`;
    const kind = errorKind(read.error);
    if (!dryRun) {
      const backoff = Math.min(source.intervalMs * 2 ** (failures - 1), MAX_BACKOFF_MS);
      store.recordFailure({ key: source.key, name: source.name || previous?.name || source.location, at: now, error: message, kind, nextDue: now + backoff });
    }
    return { source, name: source.name || previous?.name || source.location, ok: false, error: message, errorKind: kind };
  }

  const name = source.name || source.categories[1] || read.parsed.feed.title || source.location;
  const keep = itemFilter(source.include, source.exclude);
  const items = read.parsed.items.filter(keep);
  const counts = await publishSource(
    { store, postsDir: sitePaths(config).postsDir, filenamePattern: config.site.filename, dryRun, now },
    {
      key: source.key,
      name,
      categories: source.categories.length > 0 ? source.categories : [name],
      comments: source.comments,
      retention: source.retention,
      contentSettings: source.images,
    },
    items,
    (item, id) => prepareArticle(item, { sourceKey: source.key, images: source.images }, id),
  );
  if (!dryRun) store.recordSuccess({ key: source.key, name, at: now, nextDue: now + source.intervalMs });
  return { source, name, ok: true, counts, filtered: read.parsed.items.length - items.length };
}

function addOutcome(summary: SyncSummary, outcome: SourceOutcome): void {
  if (!outcome.ok) {
    summary.sources.failed++;
    summary.failures.push({ source: outcome.name, kind: outcome.errorKind, message: outcome.error });
    return;
  }
  summary.sources.ok++;
  const posts: PublishCounts & { filtered: number } = summary.posts;
  posts.created += outcome.counts.created;
  posts.updated += outcome.counts.updated;
  posts.pruned += outcome.counts.pruned;
  posts.unchanged += outcome.counts.unchanged;
  posts.duplicates += outcome.counts.duplicates;
  posts.filtered += outcome.filtered;
}
