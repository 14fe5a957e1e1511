import { type ChildProcess, fork } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { CachedPost } from './build-cache.js';
import type { PostFile } from './posts.js';
import type { Helping, WorkQueue } from './work-queue.js';

/** A page the helper rendered and wrote into the staging directory. */
export interface RenderedPage {
  path: string;
  outputHash: string;
  empty: boolean;
}

/** What a helper did for a build: posts it made, pages it rendered, and whether it failed (the build did the rest). */
export interface HelperWork {
  posts: number;
  pages: number;
  failed: boolean;
}

/** The site the helper works on, as the build sees it. */
export interface HelperSite {
  root: string;
  environment: string;
  postsDir: string;
  stagingDir: string;
  now: number;
}

/**
 * What the build tells its helper: to load the site (as the Hexo worker was told), to make batches of posts into
 * the build cache, to prepare the pages once every post is in the cache (the model of the cache's posts but those
 * whose files are gone, which the cache holds until the build is over), to render pages, after each time the
 * helper asked, more of the same work (none: there is no more), and to give back part of what it was granted.
 */
export type HelperCommand =
  | { kind: 'load'; request: unknown }
  | { kind: 'posts'; site: HelperSite; items: PostFile[][] }
  | { kind: 'prepare'; site: HelperSite; removed: string[] }
  | { kind: 'pages'; items: string[] }
  | { kind: 'more'; items: unknown[] }
  | { kind: 'return' };

/**
 * What the helper tells the build: items done (by key) and what they made, `want` when it is about to run out;
 * items it gives back, not begun.
 */
export type HelperMessage =
  | { kind: 'done'; keys: string[]; results: unknown[]; want: boolean }
  | { kind: 'returned'; items: unknown[] }
  | { kind: 'log'; level: 'warn' | 'error'; text: string }
  | { kind: 'failed'; text: string };

/** Posts from which a full build is worth a helper: below, the work is about what loading Hexo again costs. */
const HELPER_MIN_POSTS = 2000;
/** How long the helper may be silent while it has work (it reports every few pages or every batch) before it is given up on. */
const SILENCE_MS = 60_000;
const SILENCE_TICK_MS = SILENCE_MS / 10;
/** How long a helper told to end may take to exit (it does nothing on the way out) before it is killed. */
const STOP_WAIT_MS = 2000;

/**
 * Node's flags for the helper: the build's, and a heap that grows to one and a half times what was live at its
 * last full collection, not V8's up to four times. The helper renders while holding a model of the site, ~140 MB
 * live at 20,000 posts, and V8 let it grow to 360–420 MB; held to 1.5, ~310 MB, with no more time collecting that
 * alternating builds could tell. (The build process's peak is most of it live: there it cost seconds.) A factor
 * the user gave Node is kept.
 */
export function helperExecArgv(execArgv: readonly string[]): string[] {
  const given = execArgv.some((flag) => /^--heap[-_]growing[-_]percent\b/.test(flag));
  return given ? [...execArgv] : [...execArgv, '--heap-growing-percent=50'];
}

/**
 * Whether a full build of the site at postsDir gets a helper: on a machine of more than one core, for a site of
 * HELPER_MIN_POSTS posts or more. NEWSSTAND_BUILD_HELPER=0 never starts one (its memory is that of a second
 * Hexo), =1 always (tests).
 */
export function helperWanted(postsDir: string): boolean {
  const setting = process.env.NEWSSTAND_BUILD_HELPER;
  if (setting === '0' || setting === '1') return setting === '1';
  if (availableParallelism() < 2) return false;
  let posts = 0;
  try {
    for (const name of readdirSync(postsDir)) if (name.endsWith('.md')) posts++;
  } catch {
    return false;
  }
  return posts >= HELPER_MIN_POSTS;
}

/** One kind of work shared with the helper: how much to grant, and what to do with what it made. */
interface Share<T, R> {
  queue: WorkQueue<T>;
  key: (item: T) => string;
  /** Items granted when the helper asks for more. */
  grant: number;
  onResults: (results: R[]) => void;
}

/**
 * A second Hexo process that takes part of a full build's work on another core: a full build of newsstand's theme
 * is making posts (Hexo's processor and renderer, one file independent of the next) and rendering pages (45,000
 * routes at 20,000 posts, one independent of the next). The helper loads the same site while the build starts;
 * it makes the batches of posts it is granted into the build cache, and then, from the cache, the same model as
 * the build, and renders the pages it is granted straight into the staging directory — while the build works
 * through the same queues from the other end, and makes the search index. Whatever becomes of the helper — it
 * fails to load, a post or page fails, it is killed — what it did not report done is done by the build itself:
 * the helper can make a build faster, never different or broken.
 */
export class BuildHelper {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private failed = false;
  /** The build ended the helper: its exit is no failure. */
  private stopping = false;
  /** When the helper last said something. */
  private heard = 0;
  /** Resolves a reclaim the helper has not answered yet with how many items came back. */
  private reclaiming: ((count: number) => void) | null = null;
  /** What the helper did: results it reported (posts made, pages rendered), and whether it failed. */
  readonly work: HelperWork = { posts: 0, pages: 0, failed: false };
  /** The work shared now, what the helper was granted of it and not done, and how the sharing ends. */
  private current: {
    share: Share<unknown, unknown>;
    /** What its results are counted as in `work`. */
    made: 'posts' | 'pages';
    granted: Map<string, unknown>;
    exhausted: boolean;
    finish: () => void;
  } | null = null;

  /**
   * Forks `script` (the Hexo worker's, which loads the site as `load` says) with the helper's role; what its Hexo
   * says while it works goes to `log`.
   */
  constructor(
    script: string,
    load: unknown,
    private readonly log: (level: 'warn' | 'error', text: string) => void,
  ) {
    this.child = fork(script, [], {
      env: { ...process.env, NEWSSTAND_HEXO_WORKER: 'helper' },
      execArgv: helperExecArgv(process.execArgv),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.child.on('exit', () => resolve()));
    this.child.on('error', () => this.fail());
    this.child.on('exit', () => this.fail());
    this.child.on('message', (message: HelperMessage) => this.receive(message));
    void this.send({ kind: 'load', request: load });
  }

  /** Has the helper make batches of posts from `queue`, two at first. */
  makePosts(site: HelperSite, share: Share<PostFile[], CachedPost>): Promise<Helping> {
    return this.share(share, 'posts', 2, (items) => ({ kind: 'posts', site, items }));
  }

  /** Has the helper make its model and routes while the build makes its own: every post is in the cache now. */
  preparePages(site: HelperSite, removed: string[]): void {
    if (!this.failed) void this.send({ kind: 'prepare', site, removed });
  }

  /**
   * Has the helper render pages from `queue`, `first` of them at once: the build is busy for a while after this
   * (the search index) and answers only after it. Resolves once the helper has its first pages (a large grant
   * waits in the pipe while the build is busy).
   */
  renderPages(first: number, share: Share<string, RenderedPage>): Promise<Helping> {
    return this.share(share, 'pages', first, (items) => ({ kind: 'pages', items }));
  }

  /** Ends the helper (a build that is over, or failed) and waits for it to be gone: at once if it does not go. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.connected) this.child.disconnect();
    const killer = setTimeout(() => this.child.kill('SIGKILL'), STOP_WAIT_MS);
    await this.exited;
    clearTimeout(killer);
    // A build that failed while it shared work waits for it no more.
    this.current?.finish();
    this.current = null;
    this.reclaimed(0);
  }

  private async share<T, R>(
    share: Share<T, R>,
    made: 'posts' | 'pages',
    first: number,
    command: (items: T[]) => HelperCommand,
  ): Promise<Helping> {
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const reclaim = () => this.reclaim();
    if (this.failed) return { done: Promise.resolve(), reclaim };
    const items = share.queue.takeFront(first);
    const granted = new Map(items.map((item) => [share.key(item), item as unknown]));
    this.current = { share: share as Share<unknown, unknown>, made, granted, exhausted: false, finish };
    // A helper that stops reporting (a theme's helper that never returns, say) is given up on, not waited for.
    // Silence is counted while this process listens: after a long stretch of work here (the search index of a
    // large site), its messages are still in the pipe.
    this.heard = Date.now();
    let tick = Date.now();
    const watch = setInterval(() => {
      const now = Date.now();
      if (now - tick > SILENCE_TICK_MS * 2) this.heard = now;
      tick = now;
      if (now - this.heard > SILENCE_MS) this.fail();
    }, SILENCE_TICK_MS).unref();
    void done.finally(() => clearInterval(watch));
    await this.send(command(items));
    return { done, reclaim };
  }

  /**
   * Asks the helper to give back part of what it was granted and has not begun (the build has run out of work
   * of its own); resolves with how many items came back into the queue: none, when there are none to give.
   */
  private reclaim(): Promise<number> {
    if (this.failed || !this.current || this.current.granted.size < 2) return Promise.resolve(0);
    return new Promise((resolve) => {
      this.reclaiming = resolve;
      void this.send({ kind: 'return' });
    });
  }

  private reclaimed(count: number): void {
    const reclaiming = this.reclaiming;
    this.reclaiming = null;
    reclaiming?.(count);
  }

  private receive(message: HelperMessage): void {
    this.heard = Date.now();
    const current = this.current;
    if (this.failed) return;
    if (message.kind === 'log') this.log(message.level, message.text);
    else if (message.kind === 'failed') this.fail();
    else if (message.kind === 'returned') {
      // None, when the helper had done all it was granted (its reports may have ended the share meanwhile).
      if (current) {
        for (const item of message.items) current.granted.delete(current.share.key(item));
        current.share.queue.giveBack(message.items);
      }
      this.reclaimed(message.items.length);
    }
    if (message.kind !== 'done' || !current) return;
    for (const key of message.keys) current.granted.delete(key);
    this.work[current.made] += message.results.length;
    current.share.onResults(message.results);
    if (message.want) {
      const items = current.share.queue.takeFront(current.share.grant);
      for (const item of items) current.granted.set(current.share.key(item), item);
      current.exhausted = items.length === 0;
      void this.send({ kind: 'more', items });
    }
    if (current.exhausted && current.granted.size === 0) {
      this.current = null;
      current.finish();
      // A reclaim the helper is yet to answer: there is nothing left to give back.
      this.reclaimed(0);
    }
  }

  /**
   * The helper is of no more use: once its process is gone (so that nothing it still writes can land on a page
   * the build writes), what it was granted goes back to the build.
   */
  private fail(): void {
    if (this.failed || this.stopping) return;
    this.failed = true;
    this.work.failed = true;
    this.child.kill('SIGKILL');
    void this.exited.then(() => {
      const current = this.current;
      this.current = null;
      if (!current) return;
      current.share.queue.giveBack([...current.granted.values()]);
      current.finish();
    });
    // What it was granted comes back with `done` (once the process is gone), not as a reclaim.
    this.reclaimed(0);
  }

  /** Resolves when the command is written to the helper's pipe (or could not be). */
  private send(command: HelperCommand): Promise<void> {
    return new Promise((resolve) => {
      if (!this.child.connected) return resolve();
      this.child.send(command, (error) => {
        if (error) this.fail();
        resolve();
      });
    });
  }
}
