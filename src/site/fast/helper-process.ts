import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Hexo from 'hexo';
import { isEmptyPage } from '../empty-page.js';
import { BuildCache, buildCachePath } from './build-cache.js';
import type { HelperCommand, HelperMessage, HelperSite, RenderedPage } from './build-helper.js';
import { outputHash } from './digest.js';
import { cachedSiteModel } from './model.js';
import { type PostFile, processBatch } from './posts.js';
import { generateRoutes, pageRenderer } from './render.js';
import { SEARCH_GENERATOR } from './search.js';

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
  let loaded: Promise<Hexo> = untold('load the site');
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
  let pages: Promise<PageMaker> = untold('prepare the pages');
  process.on('message', (command: HelperCommand) => {
    if (command.kind === 'load') {
      loaded = load(command.request, log);
      loaded.catch(fail);
    } else if (command.kind === 'more') grants.answer(command.items);
    else if (command.kind === 'return') send({ kind: 'returned', items: grants.giveBack() });
    else if (command.kind === 'prepare') {
      working = true;
      pages = loaded.then((hexo) => preparePages(hexo, cacheOf(command.site), command.site, command.removed));
      pages.catch(fail);
    } else {
      working = true;
      grants = new Grants<unknown>(command.items);
      const phase = grants;
      const work =
        command.kind === 'posts'
          ? loaded.then((hexo) => makePosts(hexo, cacheOf(command.site), command.site, phase as Grants<PostFile[]>, send))
          : pages.then((maker) => renderPages(maker, phase as Grants<string>, send));
      work.catch(fail);
    }
  });
  process.on('disconnect', () => {
    cache?.close();
    process.exit(0);
  });
}

/** What the helper needs and was not told to make yet: work that waits on it fails. */
function untold<T>(what: string): Promise<T> {
  const never = Promise.reject<T>(new Error(`the helper was not told to ${what}`));
  never.catch(() => undefined);
  return never;
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

  /** The later half of what is pending, given back to the build (which ran out of work of its own). */
  giveBack(): T[] {
    return this.pending.splice(Math.ceil(this.pending.length / 2));
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
    else continue;
    // Rendering does no I/O a page: after a report, the build's messages (more work, a reclaim) are read.
    await new Promise(setImmediate);
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
    // One batch in hand while the next is asked for: the build answers between batches of its own.
    low: 1,
    send,
  });
}

/** Renders a page into the staging directory: what the helper does with each page it is granted. */
type PageMaker = (path: string) => Promise<RenderedPage>;

/**
 * The build's model made from the cache (every post is in it by now, but those whose files are gone), the
 * generators run: made while the build makes its own, before the helper is granted pages.
 */
async function preparePages(hexo: Hexo, cache: BuildCache, site: HelperSite, removed: readonly string[]): Promise<PageMaker> {
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
  return async (path) => {
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
    return { path, outputHash: outputHash(bytes), empty: isEmptyPage(path, bytes) };
  };
}

/** The helper's pages: each granted page rendered and written. */
async function renderPages(makePage: PageMaker, grants: Grants<string>, send: (message: HelperMessage) => void): Promise<void> {
  await workThrough({
    phase: 'pages',
    grants,
    work: async (path: string) => ({ key: path, results: [await makePage(path)] }),
    reportEvery: 32,
    low: 32,
    send,
  });
}
