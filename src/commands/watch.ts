/** `newsstand watch`: sync each source when it is due and rebuild after changes, until stopped. */
import type { Config } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { LockedError } from '../errors.js';
import { acquireLock } from '../store/lock.js';
import { siteChanged, type SyncReporter, type SyncSummary } from '../sync/summary.js';
import { syncSite } from '../sync/sync.js';
import { withInterrupt } from './interrupt.js';
import { readState } from './state.js';

export interface WatchOptions {
  config: Config;
  /** One line per event. */
  log: (line: string) => void;
  reporter?: SyncReporter;
  /** Wait this long after the last change before rebuilding, so a burst of sources builds once. */
  debounceMs?: number;
  /** Look again at least this often (sources added by hand, a lock that was busy). */
  maxSleepMs?: number;
}

/**
 * Stays up: syncs each source when it is due, rebuilds the site after changes (debounced). The lock is
 * taken for each sync or build, not for the whole watch, so a manual `newsstand sync` can run in between
 * — and never at the same time. SIGINT/SIGTERM stop it: the current source finishes, nothing is left
 * half-written, the lock is released.
 */
export async function watchSite(options: WatchOptions): Promise<void> {
  await withInterrupt(
    (signal) => watchUntilStopped(options, signal),
    () => options.log('stopping after the current source…'),
  );
}

async function watchUntilStopped(options: WatchOptions, signal: AbortSignal): Promise<void> {
  const { config, log } = options;
  const debounceMs = options.debounceMs ?? 5_000;
  const maxSleepMs = options.maxSleepMs ?? 60_000;
  // One Hexo worker for the whole watch, loaded now: a new post's build does not start Node, Hexo and the theme
  // again, nor read the caches again.
  const { buildSite, buildOptionsFor, prepareBuild } = await import('../site/build.js');
  const { KeptWorker } = await import('../site/build-worker.js');
  const worker = new KeptWorker();
  const buildOptions = { ...buildOptionsFor(config), worker };
  const build = () => buildSite(buildOptions);
  // Said once it is done (a build asked for sooner waits for it): from then on a new post's build is a warm one.
  void prepareBuild(buildOptions).then((ready) => ready && log('ready to build: Hexo and the site are loaded'));
  const paths = sitePaths(config);
  let buildAt: number | null = null;

  log(`watching ${config.sources.length} sources of ${paths.root} (Ctrl-C to stop)`);
  try {
    while (!signal.aborted) {
      const now = Date.now();
      if (buildAt !== null && now >= buildAt) {
        const built = await underLock(paths.lock, log, () => build());
        if (built) {
          log(`built the site: ${built.files} files in ${(built.ms / 1000).toFixed(1)}s`);
          buildAt = null;
        }
      }
      if (signal.aborted) break;
      if (nextDue(config).at <= Date.now()) {
        const summary = await underLock(paths.lock, log, () =>
          syncSite({ config, select: { due: true }, lockHeld: true, signal, reporter: options.reporter }),
        );
        if (summary) {
          log(describeCycle(summary));
          if (siteChanged(summary)) buildAt = Date.now() + debounceMs;
          // Between cycles the watch is silent for minutes: say when it will next do something.
          const next = nextDue(config);
          if (!signal.aborted)
            log(
              next.at === Infinity
                ? 'no source is due again (all gone or disabled)'
                : `next due: ${next.name} at ${localTime(new Date(Math.max(next.at, Date.now())))}`,
            );
        }
      }
      const wake = Math.min(nextDue(config).at, buildAt ?? Infinity, Date.now() + maxSleepMs);
      await sleep(Math.max(250, wake - Date.now()), signal);
    }
  } finally {
    // After what the worker deferred (the search state) is saved.
    await worker.close();
  }
  log('stopped');
}

/** Runs `work` holding the site's lock; when another run holds it, says so and returns null (try later). */
async function underLock<T>(lockPath: string, log: (line: string) => void, work: () => Promise<T>): Promise<T | null> {
  let lock;
  try {
    lock = acquireLock(lockPath);
  } catch (error) {
    if (error instanceof LockedError) {
      log('another run is working on the site; trying again shortly');
      return null;
    }
    throw error;
  }
  try {
    return await work();
  } finally {
    lock.release();
  }
}

/** The source due first, and when (now, for sources never fetched; Infinity when none will be). */
function nextDue(config: Config): { at: number; name: string } {
  return readState(config, (store) => {
    let earliest = { at: Infinity, name: '' };
    for (const source of config.sources) {
      if (source.disabled) continue; // never due: counting it as "never fetched" would wake the loop at once, forever
      const row = store.sources.get(source.key);
      const name = source.name || row?.name || source.location;
      if (!row || row.nextDue === null) return { at: Date.now(), name };
      if (!row.gone && row.nextDue < earliest.at) earliest = { at: row.nextDue, name };
    }
    return earliest;
  });
}

function describeCycle(summary: SyncSummary): string {
  const { sources, posts } = summary;
  const { fetched: chosen } = sources;
  return (
    `synced ${chosen} due source${chosen === 1 ? '' : 's'}: ${sources.ok} ok, ${sources.failed} failed; ` +
    `${posts.created} new, ${posts.updated} updated, ${posts.pruned} pruned`
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** A moment as the watch's log writes it: the machine's local date and time, `2026-12-03 14:05:09`. */
export function localTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
