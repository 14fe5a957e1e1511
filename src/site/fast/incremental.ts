import { appendFileSync, copyFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type Hexo from 'hexo';
import { isEmptyPage } from '../empty-page.js';
import { swapIn } from '../swap.js';
import { BuildCache, buildCachePath } from './build-cache.js';
import { type BuildMemory, newGeneration } from './memory.js';
import { outputHash, pageDigest, siteDigest } from './digest.js';
import { cachedSiteModel, type SiteLocals } from './model.js';
import { generateRoutes, pageRenderer, routeBytes } from './render.js';
import { type BuildHelper, type HelperSite, type HelperWork, helperWanted } from './build-helper.js';
import { WorkQueue } from './work-queue.js';
import { scanPosts } from './posts.js';
import { SEARCH_GENERATOR, type SearchFile, type SearchState, searchStatePath, themeHasSearch, updateSearch } from './search.js';
import { type StaticFile, staticFiles } from './static-files.js';

export interface FastBuildRequest {
  root: string;
  postsDir: string;
  /** The site's source directory (Hexo's source_dir): what is not a post there is copied as it is. */
  sourceDir: string;
  publicDir: string;
  /** Where changed pages are written first; moved into publicDir only when every page rendered. */
  stagingDir: string;
  /** Where a full build moves the old publicDir while it swaps the new one in (build.ts's name for it). */
  previousDir: string;
  /** Everything that, changed, invalidates the whole cache: versions, theme, configuration (see environment()). */
  environment: string;
  now: number;
  /** Set by a long-lived worker (watch, serve): the last build kept in memory, the search state saved afterwards. */
  memory?: BuildMemory;
  /** Starts a helper (build-helper.ts) loading this site; a full build of a large site asks for one. */
  startHelper?: () => BuildHelper;
}

export interface FastBuildResult {
  /** Every file the site has. */
  files: number;
  /** Files written this time (new or changed), paths relative to publicDir. */
  written: string[];
  /** Files deleted this time (pages that are no longer). */
  deleted: string[];
  /** The build started without a cache (or with one for another environment): every page was rendered. */
  full: boolean;
  /** Posts read and rendered by Hexo this time. */
  postsMade: number;
  /** HTML pages that came out empty (a theme whose layouts did not load): the build is refused, nothing moved. */
  emptyPages: string[];
  /** What a helper (build-helper.ts) did, when the build had one. */
  helper?: HelperWork;
}

interface Output {
  path: string;
  /** What it is made from; null: it is compared by its bytes, made only when it is written. */
  digest: string | null;
  /** Rendered through a layout (a page the build helper can make too), not data written as it is. */
  page?: boolean;
  produce: () => Promise<Buffer>;
}

/**
 * Share of a full build's pages the helper is granted at first: the build makes the search index meanwhile, and
 * takes back part of what the helper has not begun once it runs out of its own (WorkQueue.drain).
 */
const HELPER_FIRST_SHARE = 0.75;
/** Pages the helper is granted each time it asks for more. */
const HELPER_GRANT = 96;

/**
 * Builds newsstand's own theme from the build cache (build-cache.ts): the posts whose files changed go through
 * Hexo's processor and renderer, every other post comes from the cache; Hexo's generators (the theme's, the
 * plugins') run over that model; a page is rendered and written only when what it is made from changed
 * (digest.ts). Hexo's own views, helpers, filters and injectors render it, so a page comes out as a full Hexo
 * build would make it. Nothing is moved into publicDir until every changed page rendered.
 */
export async function fastBuild(hexo: Hexo, request: FastBuildRequest): Promise<FastBuildResult> {
  const cache = BuildCache.open(buildCachePath(request.root), request.environment);
  let mark = performance.now();
  const lap = (what: string) => {
    if (process.env.NEWSSTAND_FAST_TIMING)
      appendFileSync(process.env.NEWSSTAND_FAST_TIMING, `${what} ${(performance.now() - mark).toFixed(0)} ms, ${liveHeap()}\n`);
    mark = performance.now();
  };

  const { memory } = request;
  let built = false;
  let helper: BuildHelper | null = null;
  let searchState: SearchState | null = null;
  try {
    await memory?.settled();
    const generation = { now: cache.generation(), next: newGeneration() };
    const kept = memory?.recall(generation.now) ?? null;
    const previous = kept?.routes ?? new Map(cache.routes().map((route) => [route.path, route]));
    const full = previous.size === 0 || !existsSync(request.publicDir);
    // Started first: it loads Hexo and the site while this process makes the posts.
    if (full && request.startHelper && helperWanted(request.postsDir)) helper = request.startHelper();
    await hexo.theme.process();
    lap('theme');
    const { postsDir, now } = request;
    const helperSite: HelperSite = { root: request.root, environment: request.environment, postsDir, stagingDir: request.stagingDir, now };
    const scan = await scanPosts(
      hexo,
      cache,
      postsDir,
      kept?.posts ?? null,
      helper
        ? (queue, onMade) => helper!.makePosts(helperSite, { queue, key: (batch) => batch[0]!.name, grant: 1, onResults: onMade })
        : undefined,
    );
    lap(`posts (${scan.changed.size} made)`);
    helper?.preparePages(helperSite, scan.removed);
    const locals = cachedSiteModel({ hexo, cache, posts: scan.posts, categories: cache.categories(), postsDir, now, memory });
    // The filters a generate runs first (the theme registers its listing generators in one).
    await hexo.execFilter('before_generate', null, { context: hexo });
    const site = siteDigest(locals, request.environment, new Date(request.now).getFullYear());
    lap('model');
    const generated = await outputsOf(hexo, locals, site);
    lap(`routes (${generated.length})`);
    await rm(request.stagingDir, { recursive: true, force: true });
    const written: Array<{ path: string; digest: string; outputHash: string }> = [];
    const emptyPages: string[] = [];
    // A full build's pages are shared with the helper, when there is one.
    const pagePaths = helper ? generated.filter((output) => output.page).map((output) => output.path) : [];
    const queue = new WorkQueue(pagePaths);
    const byPath = new Map(generated.map((output) => [output.path, output]));
    const helping = await helper?.renderPages(
      // The build makes the search index meanwhile, and answers the helper only after it.
      Math.ceil(queue.size * HELPER_FIRST_SHARE),
      {
        queue,
        key: (path) => path,
        grant: HELPER_GRANT,
        onResults: (pages) => {
          for (const page of pages) {
            written.push({ path: page.path, digest: byPath.get(page.path)!.digest!, outputHash: page.outputHash });
            if (page.empty) emptyPages.push(page.path);
          }
        },
      },
    );
    let search = themeHasSearch(hexo)
      ? await updateSearch({
          hexo,
          locals,
          statePath: searchStatePath(request.root),
          environment: request.environment,
          full,
          kept: kept?.search ?? null,
          generation,
          keep: memory !== undefined,
        })
      : null;
    lap('search');
    searchState = search?.state ?? null;
    let searchFiles = search ? searchOutputs(search.files, previous) : [];
    search = null;
    const outputs = [...generated, ...staticOutputs(await staticFiles(request.sourceDir))];
    const files = outputs.length + searchFiles.length;

    const current = new Set([...outputs, ...searchFiles].map((output) => output.path));
    const writes = new Writes();
    // A kept worker trusts the pages it wrote itself (45,000 checks a build); a build in a new process checks each.
    const present = (path: string) => kept !== null || existsSync(join(request.publicDir, path));
    const make = async (output: Output) => {
      const before = previous.get(output.path);
      const unchanged = (digest: string) => !full && before?.digest === digest && present(output.path);
      if (output.digest !== null && unchanged(output.digest)) return;
      const bytes = await output.produce();
      const hashed = outputHash(bytes);
      const digest = output.digest ?? bytesDigest(hashed);
      if (output.digest === null && unchanged(digest)) return;
      if (isEmptyPage(output.path, bytes)) emptyPages.push(output.path);
      written.push({ path: output.path, digest, outputHash: hashed });
      // Same bytes as the page written before (only what it was made from is new): the file stays.
      if (!full && before?.outputHash === hashed && present(output.path)) return;
      writes.add(join(request.stagingDir, output.path), bytes);
    };
    for (const output of searchFiles) await make(output);
    // Written now, and the index let go (unless this worker keeps it): the pages render without it in the heap.
    searchFiles = [];
    await searchState?.stage();
    // The pages in the queue are made by whoever takes them.
    for (const output of outputs) if (!(helper && output.page)) await make(output);
    await queue.drain((path) => make(byPath.get(path)!), helping);
    lap(`render (${written.length})`);
    const deleted = [...previous.keys()].filter((path) => !current.has(path));
    if (emptyPages.length > 0) {
      await rm(request.stagingDir, { recursive: true, force: true });
      return {
        files,
        written: [],
        deleted: [],
        full,
        postsMade: scan.changed.size,
        emptyPages: emptyPages.sort(),
        helper: helper?.work,
      };
    }
    // The pages about to change, and the search state, are forgotten before they move: a build stopped while
    // moving them renders them again next time, whatever their posts became meanwhile.
    cache.transaction(() => {
      if (full) cache.clearRoutes();
      else for (const route of written) cache.deleteRoute(route.path);
    });
    await searchState?.discard();
    const moved = await publish(request, written, deleted, full);
    lap('publish');
    cache.transaction(() => {
      for (const route of written) cache.saveRoute(route);
      for (const path of deleted) cache.deleteRoute(path);
      for (const name of scan.removed) cache.deletePost(name);
      cache.setGeneration(generation.next);
    });
    const saving = searchState;
    searchState = null;
    if (saving && memory) memory.defer(() => saving.commit());
    else await saving?.commit();
    if (memory) {
      const routes = new Map(previous);
      for (const route of written) routes.set(route.path, route);
      for (const path of deleted) routes.delete(path);
      memory.keep({
        generation: generation.next,
        posts: new Map(scan.posts.map((post) => [post.name, post])),
        routes,
        search: saving?.kept ?? null,
      });
    }
    built = true;
    return { files, written: moved, deleted, full, postsMade: scan.changed.size, emptyPages, helper: helper?.work };
  } finally {
    // A search state written for a build that did not publish.
    await searchState?.abandon();
    // A build that did not finish may have changed what was kept (the search index) without publishing it.
    if (!built) memory?.forget();
    await helper?.stop();
    cache.close();
  }
}

/** Every route the generators make, with its digest and how to produce its bytes (a layout's page, or the route's data). */
async function outputsOf(hexo: Hexo, locals: SiteLocals, site: string): Promise<Output[]> {
  const render = pageRenderer(hexo, locals);
  const outputs: Output[] = [];
  for (const { path, layout, data } of (await generateRoutes(hexo, locals, new Set([SEARCH_GENERATOR]))).values()) {
    if (layout) {
      const digest = pageDigest({ site, path, layout, data, locals });
      outputs.push({ path, digest, page: true, produce: () => render(path, layout, data) });
    } else {
      // Feeds, assets, search files: cheap to make, compared by what they are.
      const bytes = await routeBytes(hexo, path, data);
      outputs.push({ path, digest: bytesDigest(outputHash(bytes)), produce: async () => bytes });
    }
  }
  return outputs;
}

/** The heap in use, after a collection when node runs with --expose-gc (what the phase keeps, not its garbage). */
function liveHeap(): string {
  (globalThis as { gc?: () => void }).gc?.();
  return `heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`;
}

/** The digest of a route compared by what it is: its output hash. */
function bytesDigest(hashed: string): string {
  return `bytes:${hashed}`;
}

/**
 * The search index's files: one the kept index did not change keeps the digest it was written with (its text is
 * not even made); a changed one, or one the route cache does not know, is compared by its bytes.
 */
function searchOutputs(files: SearchFile[], previous: ReadonlyMap<string, { digest: string }>): Output[] {
  return files.map((file) => {
    const known = previous.get(file.path);
    // Made when written, not all at once: a full build's index files are 110 MB at 20,000 posts.
    return { path: file.path, digest: !file.changed && known ? known.digest : null, produce: async () => Buffer.from(file.data()) };
  });
}

function staticOutputs(files: StaticFile[]): Output[] {
  return files.map((file) => ({
    path: file.path,
    digest: `file:${file.size}:${file.mtimeMs}`,
    produce: () => readFile(file.source),
  }));
}

/**
 * Moves what was staged into publicDir and deletes the pages that are no longer; returns what was written. A
 * full build swaps the staging directory in whole, with build.ts's swap (swap.ts, same names, so that its
 * recovery of an interrupted swap applies), else file by file. The cache is saved after this: a crash in between
 * renders the same pages again next time.
 */
async function publish(request: FastBuildRequest, written: Array<{ path: string }>, deleted: string[], full: boolean): Promise<string[]> {
  const { stagingDir, publicDir } = request;
  const staged = [] as string[];
  for (const { path } of written) if (existsSync(join(stagingDir, path))) staged.push(path);
  if (full) {
    await mkdir(stagingDir, { recursive: true });
    await swapIn(stagingDir, publicDir, request.previousDir);
    return staged;
  }
  // Through Writes, synchronously: one new post moves ~960 files (~910 of them search shards, in ~20 directories),
  // and an await through the thread pool for each mkdir and each rename added 60-80 ms to the ~100 ms the renames take.
  const moves = new Writes();
  for (const path of staged) moves.move(join(stagingDir, path), join(publicDir, path));
  for (const path of deleted) await rm(join(publicDir, path), { force: true });
  await removeEmptyDirectories(publicDir, deleted);
  await rm(stagingDir, { recursive: true, force: true });
  return staged;
}

/** The directories of deleted pages that are now empty, and their parents that became so: a full build has none. */
async function removeEmptyDirectories(publicDir: string, deleted: readonly string[]): Promise<void> {
  const directories = new Set<string>();
  for (const path of deleted) for (let dir = dirname(path); dir !== '.' && dir !== ''; dir = dirname(dir)) directories.add(dir);
  // Deepest first, so that a parent is looked at after its children went.
  for (const dir of [...directories].sort((a, b) => b.split('/').length - a.split('/').length)) {
    const entries = await readdir(join(publicDir, dir)).catch(() => null);
    if (entries && entries.length === 0) await rmdir(join(publicDir, dir)).catch(() => undefined);
  }
}

/**
 * Writes the build's files, and moves them into place, synchronously, each directory made once: with both cores
 * busy rendering (the build and its helper), a write through the thread pool cost more CPU than waiting for it
 * saved — its promise, file handle and callbacks were ~1 s of the build's at 20,000 posts (the helper writes this
 * way too).
 */
class Writes {
  private readonly directories = new Set<string>();

  add(path: string, bytes: Buffer): void {
    this.makeDirectoryOf(path);
    writeFileSync(path, bytes);
  }

  /** Renames a staged file to `target`, or copies it where a rename cannot. */
  move(staged: string, target: string): void {
    this.makeDirectoryOf(target);
    try {
      renameSync(staged, target);
    } catch {
      copyFileSync(staged, target);
    }
  }

  private makeDirectoryOf(path: string): void {
    const directory = dirname(path);
    if (this.directories.has(directory)) return;
    // Once per directory: 20,000 of them a full build.
    mkdirSync(directory, { recursive: true });
    this.directories.add(directory);
  }
}
