import { hash } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type Hexo from 'hexo';
import { isEmptyPage } from '../empty-page.js';
import { swapIn } from '../swap.js';
import { BuildCache, buildCachePath, type CachedCategory, type CachedPost } from './build-cache.js';
import { type BuildMemory, newGeneration } from './memory.js';
import { pageDigest, siteDigest } from './digest.js';
import { type SiteLocals, siteModel } from './model.js';
import { scanPosts } from './posts.js';
import { SEARCH_GENERATOR, type SearchFile, searchStatePath, themeHasSearch, updateSearch } from './search.js';
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
}

interface GeneratorResult {
  path: string;
  layout?: string | string[];
  data?: unknown;
}

interface Output {
  path: string;
  digest: string;
  produce: () => Promise<Buffer>;
}

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
  try {
    await memory?.settled();
    const generation = { now: cache.generation(), next: newGeneration() };
    const kept = memory?.recall(generation.now) ?? null;
    const previous = kept?.routes ?? new Map(cache.routes().map((route) => [route.path, route]));
    const full = previous.size === 0 || !existsSync(request.publicDir);
    await hexo.theme.process();
    lap('theme');
    const scan = await scanPosts(hexo, cache, request.postsDir, kept?.posts ?? null);
    lap(`posts (${scan.changed.size} made)`);
    const { postsDir, now } = request;
    const locals = cachedSiteModel({ hexo, cache, posts: scan.posts, categories: cache.categories(), postsDir, now, memory });
    // The filters a generate runs first (the theme registers its listing generators in one).
    await hexo.execFilter('before_generate', null, { context: hexo });
    const site = siteDigest(locals, request.environment, new Date(request.now).getFullYear());
    lap('model');
    const search = themeHasSearch(hexo)
      ? await updateSearch({
          hexo,
          locals,
          statePath: searchStatePath(request.root),
          environment: request.environment,
          full,
          kept: kept?.search ?? null,
          generation,
        })
      : null;
    lap('search');
    const outputs = [
      ...(await routes(hexo, locals, site, new Set([SEARCH_GENERATOR]))),
      ...(search ? searchOutputs(search.files, previous) : []),
      ...staticOutputs(await staticFiles(request.sourceDir)),
    ];
    lap(`routes (${outputs.length})`);

    const current = new Set(outputs.map((output) => output.path));
    const written: Array<{ path: string; digest: string; outputHash: string }> = [];
    await rm(request.stagingDir, { recursive: true, force: true });
    const writes = new Writes();
    const emptyPages: string[] = [];
    // A kept worker trusts the pages it wrote itself (45,000 checks a build); a build in a new process checks each.
    const present = (path: string) => kept !== null || existsSync(join(request.publicDir, path));
    for (const output of outputs) {
      const before = previous.get(output.path);
      if (!full && before?.digest === output.digest && present(output.path)) continue;
      const bytes = await output.produce();
      if (isEmptyPage(output.path, bytes)) emptyPages.push(output.path);
      const outputHash = contentHash(bytes);
      written.push({ path: output.path, digest: output.digest, outputHash });
      // Same bytes as the page written before (only what it was made from is new): the file stays.
      if (!full && before?.outputHash === outputHash && present(output.path)) continue;
      await writes.add(join(request.stagingDir, output.path), bytes);
    }
    await writes.done();
    lap(`render (${written.length})`);
    const deleted = [...previous.keys()].filter((path) => !current.has(path));
    if (emptyPages.length > 0) {
      await rm(request.stagingDir, { recursive: true, force: true });
      return { files: outputs.length, written: [], deleted: [], full, postsMade: scan.changed.size, emptyPages: emptyPages.sort() };
    }
    // The pages about to change, and the search state, are forgotten before they move: a build stopped while
    // moving them renders them again next time, whatever their posts became meanwhile.
    cache.transaction(() => {
      if (full) cache.clearRoutes();
      else for (const route of written) cache.deleteRoute(route.path);
    });
    await search?.discard();
    const moved = await publish(request, written, deleted, full);
    lap('publish');
    cache.transaction(() => {
      for (const route of written) cache.saveRoute(route);
      for (const path of deleted) cache.deleteRoute(path);
      for (const name of scan.removed) cache.deletePost(name);
      cache.setGeneration(generation.next);
    });
    if (search && memory) memory.defer(search.save);
    else await search?.save();
    if (memory) {
      const routes = new Map(previous);
      for (const route of written) routes.set(route.path, route);
      for (const path of deleted) routes.delete(path);
      memory.keep({
        generation: generation.next,
        posts: new Map(scan.posts.map((post) => [post.name, post])),
        routes,
        search: search?.kept ?? null,
      });
    }
    built = true;
    return { files: outputs.length, written: moved, deleted, full, postsMade: scan.changed.size, emptyPages };
  } finally {
    // A build that did not finish may have changed what was kept (the search index) without publishing it.
    if (!built) memory?.forget();
    cache.close();
  }
}

/** The model of the cache's posts and categories, as Hexo's generators and layouts read it (model.ts). */
export function cachedSiteModel(options: {
  hexo: Hexo;
  cache: BuildCache;
  posts: readonly CachedPost[];
  categories: readonly CachedCategory[];
  postsDir: string;
  now: number;
  memory?: BuildMemory;
}): SiteLocals {
  const { cache } = options;
  return siteModel({
    posts: options.posts,
    categories: options.categories,
    postsDir: options.postsDir,
    content: (name) => cache.content(name),
    future: options.hexo.config.future !== false,
    now: options.now,
    made: options.memory?.madePosts,
  });
}

/** Every route the generators make, with its digest and how to produce its bytes (Hexo's view or the route's data). */
async function routes(hexo: Hexo, locals: SiteLocals, site: string, skip: ReadonlySet<string>): Promise<Output[]> {
  const generators = hexo.extend.generator.list() as unknown as Record<string, (this: Hexo, locals: SiteLocals) => unknown>;
  const results: GeneratorResult[] = [];
  for (const [name, generator] of Object.entries(generators)) {
    if (skip.has(name)) continue;
    const made = await Reflect.apply(generator, hexo, [locals]);
    if (Array.isArray(made)) results.push(...(made as GeneratorResult[]));
    else if (made && typeof made === 'object') results.push(made as GeneratorResult);
  }
  const byPath = new Map<string, Output>();
  // As Hexo's router does, a later route replaces an earlier one of the same path.
  for (const result of results) {
    if (!result || typeof result !== 'object' || result.path == null) continue;
    const path = hexo.route.format(result.path);
    if (result.layout) {
      const layout = [...new Set(Array.isArray(result.layout) ? result.layout : [result.layout])];
      byPath.set(path, {
        path,
        digest: pageDigest({ site, path, layout, data: result.data, locals }),
        produce: () => renderPage(hexo, locals, path, layout, result.data),
      });
    } else {
      // Feeds, assets, search files: cheap to make, compared by what they are.
      const bytes = await routeBytes(hexo, path, result.data);
      byPath.set(path, { path, digest: bytesDigest(bytes), produce: async () => bytes });
    }
  }
  return [...byPath.values()];
}

/** Renders a page as Hexo's router would: template locals, the first layout the theme has, injectors, after_render:html. */
async function renderPage(hexo: Hexo, site: SiteLocals, path: string, layouts: readonly string[], data: unknown): Promise<Buffer> {
  const Locals = localsClass(hexo, site);
  const locals = await hexo.execFilter('template_locals', new Locals(path, (data ?? {}) as object), { context: hexo });
  for (const name of layouts) {
    const view = hexo.theme.getView(name);
    if (!view) continue;
    const html = await view.render(locals);
    const injected = (hexo.extend as unknown as { injector: { exec(html: string, locals: unknown): string } }).injector.exec(html, locals);
    const result = await hexo.execFilter('_after_html_render', injected, { context: hexo, args: [locals] });
    return Buffer.from(String(result ?? ''));
  }
  throw new Error(`No layout for ${path} (${layouts.join(', ')}) in the theme`);
}

/** Hexo's template locals (hexo/index.js _generateLocals), with this build's site instead of Hexo's database. */
function localsClass(hexo: Hexo, site: SiteLocals) {
  const { config, env, theme } = hexo;
  const themeDir = (hexo as unknown as { theme_dir: string }).theme_dir;
  const fullUrlFor = (hexo.extend.helper.get('full_url_for') as (this: unknown, path: string) => string).bind({
    config: { url: config.url },
  });
  return class Locals {
    page: Record<string, unknown>;
    path: string;
    url: string;
    config = config;
    theme = theme.config;
    layout = 'layout';
    env = env;
    view_dir = join(themeDir, 'layout') + sep;
    site = site;
    cache = false;
    constructor(path: string, data: object) {
      this.page = { ...data };
      if (this.page.path == null) this.page.path = path;
      this.path = path;
      this.url = fullUrlFor(path);
    }
  };
}

/** A route's data as Hexo's router streams it: a string, a Buffer, an object (as JSON), or a function of these or a stream. */
async function routeBytes(hexo: Hexo, path: string, data: unknown): Promise<Buffer> {
  hexo.route.set(path, data as never);
  const stream = hexo.route.get(path) as unknown as Readable;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  hexo.route.remove(path);
  return Buffer.concat(chunks);
}

/** The heap in use, after a collection when node runs with --expose-gc (what the phase keeps, not its garbage). */
function liveHeap(): string {
  (globalThis as { gc?: () => void }).gc?.();
  return `heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`;
}

function contentHash(bytes: Buffer): string {
  return hash('sha256', bytes, 'hex').slice(0, 32);
}

function bytesDigest(bytes: Buffer): string {
  return `bytes:${contentHash(bytes)}`;
}

/**
 * The search index's files: one the kept index did not change keeps the digest it was written with (its text is
 * not even made); a changed one, or one the route cache does not know, is compared by its bytes.
 */
function searchOutputs(files: SearchFile[], previous: ReadonlyMap<string, { digest: string }>): Output[] {
  return files.map((file) => {
    const known = previous.get(file.path);
    if (!file.changed && known) return { path: file.path, digest: known.digest, produce: async () => Buffer.from(file.data()) };
    const bytes = Buffer.from(file.data());
    return { path: file.path, digest: bytesDigest(bytes), produce: async () => bytes };
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
  for (const path of staged) {
    const target = join(publicDir, path);
    await mkdir(dirname(target), { recursive: true });
    await rename(join(stagingDir, path), target).catch(async () => {
      await copyFile(join(stagingDir, path), target);
    });
  }
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

/** Files written while the next page renders, a few at a time: rendering waits on the disk no more than it must. */
class Writes {
  private readonly pending = new Set<Promise<void>>();
  private readonly directories = new Set<string>();
  private failure: unknown = null;

  async add(path: string, bytes: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    const write = this.write(path, bytes).catch((error: unknown) => {
      this.failure ??= error;
    });
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
    if (this.pending.size >= 16) await Promise.race(this.pending);
  }

  async done(): Promise<void> {
    await Promise.all(this.pending);
    if (this.failure) throw this.failure;
  }

  private async write(path: string, bytes: Buffer): Promise<void> {
    const directory = dirname(path);
    if (!this.directories.has(directory)) {
      await mkdir(directory, { recursive: true });
      this.directories.add(directory);
    }
    await writeFile(path, bytes);
  }
}
