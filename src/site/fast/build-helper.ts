import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type Hexo from 'hexo';
import { isEmptyPage } from '../empty-page.js';
import { BuildCache, buildCachePath, type CachedPost } from './build-cache.js';
import { outputHash } from './digest.js';
import { cachedSiteModel } from './model.js';
import { type PostFile, processBatch } from './posts.js';
import { generateRoutes, pageRenderer } from './render.js';
import { SEARCH_GENERATOR } from './search.js';
import type { WorkQueue } from './work-queue.js';

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
 * the build cache, to render pages from the cache's posts (but those whose files are gone, which the cache holds
 * until the build is over), and, after each time the helper asked, more of the same work (none: there is no more).
 */
export type HelperCommand =
  | { kind: 'load'; request: unknown }
  | { kind: 'posts'; site: HelperSite; items: PostFile[][] }
  | { kind: 'pages'; site: HelperSite; removed: string[]; items: string[] }
  | { kind: 'more'; items: unknown[] };

/** What the helper tells the build: items done (by key) and what they made; `want` when it is about to run out. */
export type HelperMessage =
  | { kind: 'done'; keys: string[]; results: unknown[]; want: boolean }
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
  /** What the helper did: results it reported (posts made, pages rendered), and whether it failed. */
  readonly work: HelperWork = { posts: 0, pages: 0, failed: false };
  /** The work shared now, what the helper was granted of it and not done, and how the sharing ends. */
  private current: {
    share: Share<unknown, unknown>;
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
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.child.on('exit', () => resolve()));
    this.child.on('error', () => this.fail());
    this.child.on('exit', () => this.fail());
    this.child.on('message', (message: HelperMessage) => this.receive(message));
    void this.send({ kind: 'load', request: load });
  }

  /** Has the helper make batches of posts from `queue` (one at first); resolves when it has no more, or is gone. */
  async makePosts(site: HelperSite, share: Share<PostFile[], CachedPost>): Promise<void> {
    const counted = { ...share, onResults: (posts: CachedPost[]) => ((this.work.posts += posts.length), share.onResults(posts)) };
    const { done } = await this.share(counted, 1, (items) => ({ kind: 'posts', site, items }));
    await done;
  }

  /**
   * Has the helper render pages from `queue`, `first` of them at once: the build is busy for a while after this
   * (the search index) and answers only after it. Resolves once the helper has its first pages (a large grant
   * waits in the pipe while the build is busy), with what resolves when it has no more, or is gone.
   */
  renderPages(site: HelperSite, removed: string[], first: number, share: Share<string, RenderedPage>): Promise<{ done: Promise<void> }> {
    const counted = { ...share, onResults: (pages: RenderedPage[]) => ((this.work.pages += pages.length), share.onResults(pages)) };
    return this.share(counted, first, (items) => ({ kind: 'pages', site, removed, items }));
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
  }

  private async share<T, R>(share: Share<T, R>, first: number, command: (items: T[]) => HelperCommand): Promise<{ done: Promise<void> }> {
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    if (this.failed) return { done: Promise.resolve() };
    const items = share.queue.takeFront(first);
    const granted = new Map(items.map((item) => [share.key(item), item as unknown]));
    this.current = { share: share as Share<unknown, unknown>, granted, exhausted: false, finish };
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
    return { done };
  }

  private receive(message: HelperMessage): void {
    this.heard = Date.now();
    const current = this.current;
    if (this.failed) return;
    if (message.kind === 'log') this.log(message.level, message.text);
    else if (message.kind === 'failed') this.fail();
    if (message.kind !== 'done' || !current) return;
    for (const key of message.keys) current.granted.delete(key);
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

/**
 * The helper's side, in the process BuildHelper forked: loads the site when told to (`load`, the Hexo worker's
 * own loading), then does the work it is granted, reporting as it goes and asking for more before it runs out.
 * Any error ends it with 'failed': the build does what it did not report. It ends when the build disconnects.
 */
export function serveHelper(load: (request: unknown, log: (level: 'warn' | 'error', text: string) => void) => Promise<Hexo>): void {
  const send = (message: HelperMessage) => {
    if (process.connected) process.send!(message);
  };
  // What Hexo says while the helper works; loading, the build's own Hexo says the same.
  let working = false;
  const log = (level: 'warn' | 'error', text: string) => working && send({ kind: 'log', level, text });
  let loaded: Promise<Hexo> = Promise.reject(new Error('the helper was not told to load the site'));
  loaded.catch(() => undefined);
  let grants = new Grants<unknown>([]);
  let cache: BuildCache | null = null;
  const cacheOf = (site: HelperSite) => {
    cache ??= BuildCache.attach(buildCachePath(site.root));
    return cache;
  };
  const fail = (error: unknown) => {
    const text = error instanceof Error ? error.message : String(error);
    if (process.connected) process.send!({ kind: 'failed', text } satisfies HelperMessage, () => process.exit(1));
    else process.exit(1);
  };
  process.on('message', (command: HelperCommand) => {
    if (command.kind === 'load') {
      loaded = load(command.request, log);
      loaded.catch(fail);
    } else if (command.kind === 'more') grants.answer(command.items);
    else {
      working = true;
      grants = new Grants<unknown>(command.items);
      const phase = grants;
      const work =
        command.kind === 'posts'
          ? loaded.then((hexo) => makePosts(hexo, cacheOf(command.site), command.site, phase as Grants<PostFile[]>, send))
          : loaded.then((hexo) => renderPages(hexo, cacheOf(command.site), command.site, command.removed, phase as Grants<string>, send));
      work.catch(fail);
    }
  });
  process.on('disconnect', () => {
    cache?.close();
    process.exit(0);
  });
}

/** The items granted to the helper and not done yet; an empty later grant means there are no more. */
class Grants<T> {
  readonly pending: T[];
  asked = false;
  exhausted = false;
  private arrived: () => void = () => undefined;

  constructor(items: readonly T[]) {
    this.pending = [...items];
  }

  /** A grant that answers the helper's asking: empty, there are no more. */
  answer(items: readonly T[]): void {
    this.pending.push(...items);
    this.asked = false;
    if (items.length === 0) this.exhausted = true;
    this.arrived();
  }

  /** Resolves at the next grant. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.arrived = resolve;
    });
  }
}

/**
 * Works through the grants: each item done by `work`, reported every `reportEvery` items, more asked for when no
 * more than `low` are left (so the helper does not wait on the build), until the build says there are no more.
 */
async function workThrough<T, R>(options: {
  phase: 'posts' | 'pages';
  grants: Grants<T>;
  work: (item: T) => Promise<{ key: string; results: R[] }>;
  reportEvery: number;
  low: number;
  send: (message: HelperMessage) => void;
}): Promise<void> {
  const { grants, send } = options;
  const dieAfter = faultAfter(options.phase);
  let keys: string[] = [];
  let results: R[] = [];
  const report = (want: boolean) => {
    send({ kind: 'done', keys, results, want });
    keys = [];
    results = [];
    if (want) grants.asked = true;
  };
  for (;;) {
    const item = grants.pending.shift();
    if (item === undefined) {
      if (grants.exhausted) break;
      const arrived = grants.next();
      if (!grants.asked) report(true);
      await arrived;
      continue;
    }
    const done = await options.work(item);
    if (--dieAfter.items === 0) process.exit(70);
    keys.push(done.key);
    results.push(...done.results);
    if (grants.pending.length <= options.low && !grants.asked && !grants.exhausted) report(true);
    else if (keys.length >= options.reportEvery) report(false);
  }
  if (keys.length > 0) report(false);
}

/**
 * For tests of what a helper's death leaves (NEWSSTAND_BUILD_HELPER_FAULT=pages:40): the helper exits at once,
 * unreported, when it has done that many items of that phase — its last page written, its last batch saved.
 */
function faultAfter(phase: 'posts' | 'pages'): { items: number } {
  const [faultPhase, count] = (process.env.NEWSSTAND_BUILD_HELPER_FAULT ?? '').split(':');
  return { items: faultPhase === phase ? Number(count) : -1 };
}

/** The helper's posts: batches made as the build makes its own (posts.ts), into the same cache. */
async function makePosts(
  hexo: Hexo,
  cache: BuildCache,
  site: HelperSite,
  grants: Grants<PostFile[]>,
  send: (message: HelperMessage) => void,
) {
  const named = new Set<string>();
  await workThrough({
    phase: 'posts',
    grants,
    work: async (batch: PostFile[]) => ({ key: batch[0]!.name, results: await processBatch(hexo, cache, site.postsDir, batch, named) }),
    reportEvery: 1,
    low: 0,
    send,
  });
}

/** The helper's pages: the build's model made from the cache, the generators run, each granted page rendered and written. */
async function renderPages(
  hexo: Hexo,
  cache: BuildCache,
  site: HelperSite,
  removed: readonly string[],
  grants: Grants<string>,
  send: (message: HelperMessage) => void,
): Promise<void> {
  await hexo.theme.process();
  const gone = new Set(removed);
  const posts = cache
    .posts()
    .filter((post) => !gone.has(post.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const locals = cachedSiteModel({ hexo, cache, posts, categories: cache.categories(), postsDir: site.postsDir, now: site.now });
  await hexo.execFilter('before_generate', null, { context: hexo });
  const routes = await generateRoutes(hexo, locals, new Set([SEARCH_GENERATOR]));
  const render = pageRenderer(hexo, locals);
  const directories = new Set<string>();
  await workThrough({
    phase: 'pages',
    grants,
    work: async (path: string) => {
      const route = routes.get(path);
      if (!route?.layout) throw new Error(`no page ${path} among the helper's routes`);
      const bytes = await render(path, route.layout, route.data);
      // Written synchronously: with both cores busy rendering, a write through the thread pool costs more CPU
      // than it saves in waiting (a fifth of the helper's time went to it at 20,000 posts).
      const target = join(site.stagingDir, path);
      if (!directories.has(dirname(target))) {
        mkdirSync(dirname(target), { recursive: true });
        directories.add(dirname(target));
      }
      writeFileSync(target, bytes);
      const page: RenderedPage = { path, outputHash: outputHash(bytes), empty: isEmptyPage(path, bytes) };
      return { key: path, results: [page] };
    },
    reportEvery: 32,
    low: 32,
    send,
  });
}
