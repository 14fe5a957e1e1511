import type { Config, SourceConfig } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { removeImages } from '../content/mirror/image-store.js';
import type { PrepareOptions } from '../content/prepare.js';
import { markBuildNeeded } from '../site/build-needed.js';
import { siteImages, type SiteImages } from '../site/site-images.js';
import { ConfigError, FetchError, UserError } from '../errors.js';
import { clientOptions, HttpClient, type HttpClientOptions } from '../fetch/http-client.js';
import { readFeed, type FeedRead } from './read-feed.js';
import { postSettings, retentionChanged, sourceFingerprint } from '../publish/fingerprint.js';
import { describeKeptOut } from '../publish/retention.js';
import { publishSource } from '../publish/publish-source.js';
import { type PostsListing, preparePostsDir } from '../post/files.js';
import { acquireLock } from '../store/lock.js';
import { rebuildStateFromPosts } from '../publish/rebuild-state.js';
import type { SourceRecord } from '../store/sources.js';
import { StateStore } from '../store/state.js';
import { matchSources } from '../sources/match.js';
import { RsshubInstances } from '../sources/rsshub/instances.js';
import { RsshubMetadata } from '../sources/rsshub/metadata.js';
import { nextDueAfterFailure, nextDueAfterSuccess } from './schedule.js';
import { userAgent } from '../fetch/user-agent.js';
import { errorKind } from './source-errors.js';
import { addOutcome, emptySummary, siteChanged, type SourceOutcome, type SyncReporter, type SyncSummary } from './summary.js';

/** Which sources a run fetches: the due ones (default), all of them, or those named. */
export type SourceSelection = { due: true } | { all: true } | { names: string[] };

export interface SyncOptions {
  config: Config;
  dryRun?: boolean;
  reporter?: SyncReporter;
  now?: Date;
  select?: SourceSelection;
  /** Stops the run between sources (in-flight fetches are aborted); what was published stays published. */
  signal?: AbortSignal;
  /** The caller holds the site's lock already (watch). */
  lockHeld?: boolean;
  /** HTTP tuning (tests, benchmarks). */
  http?: Partial<HttpClientOptions>;
}

/**
 * One run: take the site's lock, open the state (rebuilding it from the posts if it is gone), pick the
 * sources that are due, read them concurrently (a few ahead of publishing, so memory stays flat), then
 * publish them one by one in the order configured — so that when two sources carry the same article the
 * first one wins — and record how each source fared and when it is due next.
 */
export async function syncSite(options: SyncOptions): Promise<SyncSummary> {
  const { config, dryRun = false, reporter, signal, now = new Date() } = options;
  const paths = sitePaths(config);
  const lock = dryRun || options.lockHeld ? null : acquireLock(paths.lock);
  let store: StateStore | null = null;
  const client = new HttpClient({ ...clientOptions(config.fetch, userAgent()), ...options.http });
  try {
    store = StateStore.open(paths.stateDb, { readonly: dryRun });
    const images = siteImages(paths.root);
    if (store.created) await rebuildStateFromPosts(store, paths.postsDir, now.getTime(), images.urlPrefix);
    const postsListing = dryRun ? null : await preparePostsDir(paths.postsDir);

    const states = new Map(config.sources.map((source) => [source.key, store!.sources.get(source.key)]));
    const instances = new RsshubInstances();
    const metadata = new RsshubMetadata({ rsshub: config.rsshub, client, instances, store, now: now.getTime(), signal });
    const chosen = chooseSources(config, states, options.select ?? { due: true }, now.getTime());
    const summary = emptySummary(config.sources.length, chosen.length, dryRun);

    // Reading runs ahead of publishing by a bounded window: enough to keep the network busy, never
    // the whole list held in memory at once.
    const window = Math.max(2, config.fetch.concurrency * 2);
    const reads: Array<Promise<FeedRead> | undefined> = [];
    const startRead = (index: number) => {
      const source = chosen[index];
      if (!source || signal?.aborted) return;
      reporter?.sourceStarted?.(source);
      reads[index] = readFeed({ config, source, state: states.get(source.key), client, instances, signal });
    };
    for (let index = 0; index < Math.min(window, chosen.length); index++) startRead(index);
    let buildMarked = false;

    for (const [index, source] of chosen.entries()) {
      if (signal?.aborted || !reads[index]) {
        summary.interrupted = true;
        break;
      }
      const read = await reads[index]!;
      reads[index] = undefined; // the feed's bytes and items are not needed once published
      startRead(index + window);
      if (signal?.aborted && 'error' in read) {
        summary.interrupted = true;
        break;
      }
      const outcome = await publishOne({
        config,
        source,
        read,
        state: states.get(source.key),
        store,
        metadata,
        client,
        images,
        postsListing,
        dryRun,
        now: now.getTime(),
        signal,
      });
      addOutcome(summary, outcome);
      // Remembered at once: a run killed before its build still has the site built by the next one.
      if (!buildMarked && siteChanged(summary)) {
        await markBuildNeeded(paths.root);
        buildMarked = true;
      }
      reporter?.sourceDone(outcome, summary);
    }
    // Retention and rewrites may have left mirrored images that no post shows: the state forgets them, then
    // they are deleted (a crash in between leaves a stray file, never a post pointing at a missing one).
    if (!dryRun) await removeImages(images.dir, store.images.takeUnused());
    return summary;
  } finally {
    await client.close().catch(() => undefined);
    store?.close();
    lock?.release();
  }
}

function chooseSources(
  config: Config,
  states: Map<string, SourceRecord | undefined>,
  select: SourceSelection,
  now: number,
): SourceConfig[] {
  // A disabled source is never fetched, whatever the selection; naming only disabled ones is a mistake to report.
  const enabled = config.sources.filter((source) => !source.disabled);
  if ('all' in select) return enabled;
  if ('names' in select) {
    // Named as `remove`, `disable` and `enable` name them: name, URL under any spelling, route or file.
    const stateNames = new Map([...states].flatMap(([key, row]) => (row?.name ? [[key, row.name] as const] : [])));
    const chosen = new Set<SourceConfig>();
    for (const name of select.names) {
      const matches = matchSources(config, name, stateNames);
      if (matches.length > 0 && matches.every((source) => source.disabled)) {
        throw new ConfigError(
          `${config.file}:${matches[0]!.line}: source ${JSON.stringify(name)} is disabled; enable it with: newsstand enable ${JSON.stringify(name)}`,
        );
      }
      for (const source of matches) if (!source.disabled) chosen.add(source);
    }
    if (chosen.size === 0) {
      throw new ConfigError(
        `${config.file}: no source matches ${select.names.map((n) => JSON.stringify(n)).join(', ')} (give a source's name, URL, route or file; "newsstand sources" lists them)`,
      );
    }
    // In the configured order, which decides which of two sources carrying the same article wins.
    return enabled.filter((source) => chosen.has(source));
  }
  return enabled.filter((source) => {
    const state = states.get(source.key);
    return !state || (!state.gone && (state.nextDue === null || state.nextDue <= now));
  });
}

interface PublishOneInput {
  config: Config;
  source: SourceConfig;
  read: FeedRead;
  state: SourceRecord | undefined;
  store: StateStore;
  metadata: RsshubMetadata;
  client: HttpClient;
  images: SiteImages;
  postsListing: PostsListing;
  dryRun: boolean;
  now: number;
  signal?: AbortSignal;
}

async function publishOne(input: PublishOneInput): Promise<SourceOutcome> {
  const { config, source, read, state, store, metadata, dryRun, now } = input;
  const fallbackName = source.name || state?.name || source.location;
  if ('error' in read) {
    const failures = (state?.failures ?? 0) + 1;
    const message = read.error instanceof UserError ? read.error.message : `unexpected error: ${String(read.error)}`;
    const fetchError = read.error instanceof FetchError ? read.error : null;
    const kind = errorKind(read.error);
    if (!dryRun) {
      store.sources.recordFailure({
        key: source.key,
        name: fallbackName,
        at: now,
        error: message,
        kind,
        nextDue: nextDueAfterFailure({ now, intervalMs: source.intervalMs, failures, retryAfterMs: fetchError?.retryAfterMs }),
        httpStatus: read.httpStatus,
        gone: kind === 'gone',
      });
    }
    return { source, name: fallbackName, ok: false, error: message, errorKind: kind };
  }

  const { fetched } = read;
  // Configured categories always win; an RSSHub route without them takes them from the instance's metadata.
  const categories =
    source.categories.length > 0 || source.kind !== 'rsshub' ? source.categories : ((await metadata.categoriesFor(source.location)) ?? []);
  const name = source.name || categories[1] || read.parsed?.feed.title || fallbackName;
  // A feed that did not change is not parsed; publishing nothing still lets retention prune by age.
  const content = read.parsed ? await loadContentStage() : null;
  const items = read.parsed && content ? read.parsed.items.filter(content.itemFilter(source.include, source.exclude)) : [];
  // One set per source: its ImageMirror shares downloads in flight and remembers failures across items.
  const options = content ? prepareOptions(input, content) : null;
  const filed = categories.length > 0 ? categories : [name];
  const { counts, contentProblems, retryLater } = await publishSource(
    { store, postsDir: sitePaths(config).postsDir, postsListing: input.postsListing, filenamePattern: config.site.filename, dryRun, now },
    {
      key: source.key,
      name,
      categories: filed,
      comments: source.comments,
      retention: source.retention,
      retentionChanged: retentionChanged(state?.settings, source),
      settings: postSettings({ name, categories: filed }, source, config.theme.keys),
      themeKeys: config.theme.keys,
    },
    items,
    (item, id) => content!.prepareArticle(item, options!, id),
  );
  // A feed that did not change published nothing: what was said about its content still stands.
  const skipped = read.parsed?.skippedItems ?? 0;
  const keptOut = read.parsed ? describeKeptOut(counts, source.retention) : '';
  const contentWarning = !read.parsed
    ? (state?.contentWarning ?? '')
    : [
        skipped > 0
          ? `${skipped} older item${skipped === 1 ? '' : 's'} beyond fetch.maxItemsPerFeed (${config.fetch.maxItemsPerFeed}) not read`
          : '',
        contentProblems.items > 0
          ? `${contentProblems.items} item${contentProblems.items === 1 ? '' : 's'} published without all of their content — last: ${contentProblems.last}`
          : '',
      ]
        .filter(Boolean)
        .join('; ');
  // What status shows of the last read: what was left out, then what could not be done.
  const lastReadNote = !read.parsed ? (state?.contentWarning ?? '') : [keptOut, contentWarning].filter(Boolean).join('; ');
  if (!dryRun) {
    store.sources.recordSuccess({
      key: source.key,
      name,
      at: now,
      nextDue: nextDueAfterSuccess({
        now,
        intervalMs: source.intervalMs,
        feedRefreshMs: read.parsed?.feed.refreshMs ?? state?.feedRefreshMs,
        maxAgeMs: fetched.maxAgeMs,
      }),
      httpStatus: fetched.status,
      etag: fetched.validators.etag,
      lastModified: fetched.validators.lastModified,
      feedUrl: read.feedUrl,
      notModified: fetched.notModified,
      feedRefreshMs: read.parsed?.feed.refreshMs ?? null,
      settings: sourceFingerprint(source, config.theme.keys),
      instance: read.instance,
      contentWarning: lastReadNote,
      contentRetry: read.parsed ? retryLater : Boolean(state?.contentRetry),
    });
  }
  return {
    source,
    name,
    ok: true,
    notModified: fetched.notModified,
    counts,
    filtered: (read.parsed?.items.length ?? 0) - items.length,
    warning: contentWarning,
    keptOut,
  };
}

type ContentStage = Awaited<ReturnType<typeof loadContentStage>>;

/**
 * The content stage (parse5, the cleaner, filters, full text, mirroring) is loaded by the first feed that
 * changed: a run in which every feed is unchanged never needs it (~30 ms of start-up on every cron run).
 */
async function loadContentStage() {
  const [{ itemFilter }, { fullTextFetcher }, { ImageMirror }, { prepareArticle }] = await Promise.all([
    import('../content/filter.js'),
    import('../content/full-text.js'),
    import('../content/mirror/mirror.js'),
    import('../content/prepare.js'),
  ]);
  return { itemFilter, fullTextFetcher, ImageMirror, prepareArticle };
}

function prepareOptions(
  { config, source, store, client, images, dryRun, now, signal }: PublishOneInput,
  { ImageMirror, fullTextFetcher }: ContentStage,
): PrepareOptions {
  // Pages and images are named by the feed, not the user: a hostile feed must not reach the machine's own network.
  const publicOnly = !config.fetch.allowPrivateNetworks;
  // A dry run writes nothing, images included: its posts would show the remote ones.
  const mirror =
    source.images.mirror && !dryRun
      ? new ImageMirror({
          client,
          imagesDir: images.dir,
          urlPrefix: images.urlPrefix,
          maxBytes: source.images.maxBytes,
          cache: store.images,
          publicOnly,
          signal,
        })
      : null;
  return {
    sourceKey: source.key,
    images: source.images,
    embeds: source.embeds,
    convert: source.convert,
    fullText: source.fullText
      ? fullTextFetcher({
          cache: store.fullTexts,
          client,
          selector: source.fullText.selector,
          maxBytes: config.fetch.maxBytes,
          publicOnly,
          now,
          signal,
        })
      : undefined,
    mirror: mirror ? { imageMirror: mirror, referer: source.images.referer } : undefined,
  };
}
