/**
 * Hexo builds, in a process of their own (build-worker.ts starts it with the site as its working directory and
 * the site's node_modules/.bin on PATH): themes resolve their renderers and Babel plugins from the working
 * directory and run shell commands, and a theme that throws at load or calls process.exit takes only this
 * process down. Renders into the staging directory it is given and reports, over IPC, what Hexo warned
 * about and what made the build fail. One build, then it exits; or, kept by watch and serve, one incremental
 * build after another with the Hexo it loaded for the first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, readlink, rm, stat, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { format } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import Hexo from 'hexo';
import { escapeText } from '../content/escape.js';
import { THEME_PROFILES, themeName } from '../theme-profiles.js';
import { isEmptyPage } from './empty-page.js';
import { BUNDLED_PLUGINS, BUNDLED_THEMES } from './hexo-packages.js';
import { workerScript } from './build-worker.js';
import { fastBuild } from './fast/incremental.js';
import { BuildMemory } from './fast/memory.js';
import { prepareFastBuild } from './fast/prepare.js';
import { BuildHelper, type HelperWork } from './fast/build-helper.js';
import { serveHelper } from './fast/helper-process.js';
import { readOwnPostsDirectly } from './fast/post-reading.js';
import { keepDatabaseInMemory, lightenStoredCopies, tuneHexo } from './hexo-tuning.js';
import { withReferrerMeta } from './referrer-meta.js';

const require = createRequire(import.meta.url);

/** Files Hexo writes at once. */
const GENERATE_CONCURRENCY = 64;

export interface GenerateRequest {
  root: string;
  /** Where the site is rendered; build.ts swaps it in for public/ when the build succeeded. */
  stagingDir: string;
  theme: string;
  /** Every page gets `<meta name="referrer" content="no-referrer">` (unless it has a referrer meta). */
  noReferrer: boolean;
  verbose: boolean;
  /**
   * Build newsstand's own theme incrementally (fast/incremental.ts) into publicDir, through stagingDir; set when
   * fast/eligibility.ts allows it.
   */
  fast?: { environment: string; publicDir: string; previousDir: string; postsDir: string; sourceDir: string };
  /** Stay for the next build (build-worker.ts's KeptWorker): an incremental build only. */
  keep?: boolean;
}

/**
 * What the worker is asked: a build; or, a kept worker, to read ahead what its first build will read (it replies
 * 'prepared'), or to end once it has saved what it deferred.
 */
export type WorkerCommand = { kind: 'build'; request: GenerateRequest } | { kind: 'prepare'; request: GenerateRequest } | { kind: 'exit' };

export type GenerateMessage =
  /** First: the V8 heap limit, for the message of a worker that runs out of it. */
  | { kind: 'start'; heapLimitMB: number }
  | { kind: 'warning'; text: string }
  | { kind: 'error'; text: string }
  | {
      kind: 'done';
      files: number;
      emptyPages: string[];
      fast?: { written: number; deleted: number; full: boolean; postsMade: number; helper?: HelperWork };
    }
  /** A kept worker's build is over and the worker is ready for the next. */
  | { kind: 'idle' }
  /** A kept worker has read ahead for its first build ('prepare'). */
  | { kind: 'prepared' }
  /** The worker is about to exit. */
  | { kind: 'end' };

type Send = (message: GenerateMessage) => void;

/** One build, after which the worker exits. */
export async function generate(request: GenerateRequest, send: Send): Promise<void> {
  const { stagingDir } = request;
  const hexo = hexoFor(request);
  try {
    await loadSite(hexo, request, send);
    if (request.fast) {
      await buildFast(hexo, request, send);
      return;
    }
    // After the plugins: the tuning wraps the file processors they registered.
    tuneHexo(hexo);
    hexo.public_dir = stagingDir + sep;
    await rm(stagingDir, { recursive: true, force: true });
    // Hexo otherwise starts writing every file of the site at once: at 20,000 posts that is more open files
    // than the system allows, retried over and over, and the whole site held in memory (53 s → 39 s,
    // 2.6 → 2.1 GB peak in the benchmark). `hexo generate -c` sets the same.
    await hexo.call('generate', { concurrency: GENERATE_CONCURRENCY });
    const files = hexo.route.list().length;
    send({ kind: 'done', files, emptyPages: await emptyPages(stagingDir) });
  } catch (error) {
    send({ kind: 'error', text: describeError(error) });
  } finally {
    await hexo.exit().catch(() => undefined);
  }
}

/** The Hexo of a kept worker, loaded for its first build, and what its builds keep between them. */
let kept: { hexo: Hexo; memory: BuildMemory } | null = null;

/** One incremental build in a kept worker, with the Hexo and memory of the builds before; false when it failed. */
async function generateKept(request: GenerateRequest, send: Send): Promise<boolean> {
  try {
    const { hexo, memory } = await keptSite(request, send);
    await buildFast(hexo, request, send, memory);
    return true;
  } catch (error) {
    send({ kind: 'error', text: describeError(error) });
    return false;
  }
}

/** Loads the site and reads ahead for the first build (fast/prepare.ts); false when that failed (the build will say why). */
async function prepareKept(request: GenerateRequest, send: Send): Promise<boolean> {
  try {
    const { hexo, memory } = await keptSite(request, send);
    await prepareFastBuild(hexo, { ...request.fast!, root: request.root, memory, now: Date.now() });
    return true;
  } catch {
    return false;
  }
}

async function keptSite(request: GenerateRequest, send: Send): Promise<{ hexo: Hexo; memory: BuildMemory }> {
  if (!kept) {
    const hexo = hexoFor(request);
    await loadSite(hexo, request, send);
    kept = { hexo, memory: new BuildMemory() };
  }
  return kept;
}

/** A Hexo for the site, as `hexo generate` makes it (quiet unless verbose). */
function hexoFor(request: GenerateRequest): Hexo {
  return new Hexo(request.root, { silent: !request.verbose, debug: false, _: ['generate'] });
}

/** Hexo as `hexo generate` in the site loads it, with the bundled theme and plugins where the site has none. */
async function loadSite(hexo: Hexo, request: GenerateRequest, send: Send): Promise<void> {
  const { root, theme } = request;
  // hexo-cli sets this when it finds a site; without it Hexo skips the site's config, plugins and cache.
  hexo.env.init = true;
  reportLog(hexo, send);
  if (!siteHasTheme(root, theme) && Object.hasOwn(BUNDLED_THEMES, theme)) {
    hexo.plugin_dir = (await exposeBundledTheme(root, theme)) + sep;
  }
  await hexo.init();
  lightenStoredCopies(hexo);
  for (const plugin of missingPlugins(root)) await hexo.loadPlugin(require.resolve(plugin));
  if (request.noReferrer) hexo.extend.filter.register('after_render:html', (html: string) => withReferrerMeta(html), 99);
  if (THEME_PROFILES[themeName(theme)]?.authorData) supplyAuthorData(hexo);
  // The fast build keeps its own cache (fast/build-cache.ts) and loads posts itself.
  if (request.fast) {
    keepDatabaseInMemory(hexo);
    readOwnPostsDirectly(hexo);
  }
}

async function buildFast(hexo: Hexo, request: GenerateRequest, send: Send, memory?: BuildMemory): Promise<void> {
  const result = await fastBuild(hexo, {
    ...request.fast!,
    root: request.root,
    stagingDir: request.stagingDir,
    now: Date.now(),
    memory,
    startHelper: () => new BuildHelper(workerScript(), request, (level, text) => hexo.log[level](text)),
  });
  send({
    kind: 'done',
    files: result.files,
    emptyPages: result.emptyPages,
    fast: {
      written: result.written.length,
      deleted: result.deleted.length,
      full: result.full,
      postsMade: result.postsMade,
      helper: result.helper,
    },
  });
}

/**
 * Volantis shows a post's author from `source/_data/author.yml`, keyed by the post's `author`, and "请设置文章作者"
 * (set the author) for any name it does not list: the feed's authors are added to the site's data as they
 * are (name escaped: the theme prints it as HTML), with the theme's default avatar and link. The site's own
 * entries win.
 */
function supplyAuthorData(hexo: Hexo): void {
  hexo.locals.set('data', () => {
    const data: Record<string, unknown> = {};
    hexo.model('Data').forEach((entry) => {
      const { _id, data: value } = entry as unknown as { _id: string; data: unknown };
      data[_id] = value;
    });
    const listed = data.author && typeof data.author === 'object' ? (data.author as Record<string, unknown>) : {};
    const theme = hexo.theme.config as { article?: { body?: { meta_library?: { author?: { avatar?: string; url?: string } } } } };
    const { avatar = '', url = '/' } = theme.article?.body?.meta_library?.author ?? {};
    const authors: Record<string, unknown> = {};
    hexo.model('Post').forEach((post) => {
      const { author } = post as unknown as { author?: unknown };
      if (typeof author === 'string' && author && !Object.hasOwn(listed, author))
        authors[author] = { name: escapeText(author, false), avatar, url };
    });
    data.author = { ...authors, ...listed };
    return data;
  });
}

/**
 * Hexo reports most failures only to its log and carries on: a layout that does not compile ("Process
 * failed"), a theme script that throws ("Script load failed"), a page that does not render ("Render HTML
 * failed"), a route without a layout ("No layout", which writes an empty page). Every warning and error is
 * passed on; errors and missing layouts fail the build.
 */
function reportLog(hexo: Hexo, send: (message: GenerateMessage) => void): void {
  const log = hexo.log as unknown as Record<string, (...args: unknown[]) => void>;
  for (const level of ['warn', 'error', 'fatal'] as const) {
    const original = log[level]!.bind(log);
    const reported = (...args: unknown[]) => {
      const text = logText(args);
      send({ kind: level === 'warn' && !text.startsWith('No layout') ? 'warning' : 'error', text });
      original(...args);
    };
    log[level] = reported;
    if (level !== 'fatal') log[level[0]!] = reported;
  }
}

/** A log call's text as Hexo would print it, without colours; an `{ err }` argument adds the error's message. */
function logText(args: unknown[]): string {
  let error: unknown;
  const rest = [...args];
  if (rest[0] && typeof rest[0] === 'object') {
    const first = rest.shift() as { err?: unknown };
    error = first instanceof Error ? first : first.err;
  }
  const text = stripColours(format(...(rest as [unknown, ...unknown[]])));
  const detail = error instanceof Error ? describeError(error) : '';
  return [text, detail].filter(Boolean).join(' — ');
}

/** An error's first three lines that say something (themes frame their messages in rules of `=`). */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = stripColours(message)
    .split('\n')
    .map((line) => line.trim());
  return lines
    .filter((line) => /[\p{L}\p{N}]/u.test(line))
    .slice(0, 3)
    .join(' ');
}

function stripColours(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** HTML files with nothing in them: what a theme whose layouts did not load writes. Paths relative to `dir`. */
async function emptyPages(dir: string): Promise<string[]> {
  const empty: string[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const path = join(entry.parentPath, entry.name);
    const { size } = await stat(path);
    if (size < 64 && isEmptyPage(path, readFileSync(path))) empty.push(relative(dir, path));
  }
  return empty.sort();
}

/**
 * Hexo finds a theme in <site>/themes/<name> or <plugin_dir>/hexo-theme-<name>, and names theme files by
 * their path relative to the site: a theme outside the site loads its layouts but loses its CSS and scripts.
 * So the bundled theme is exposed inside the site, in .newsstand/hexo/ (a link, or a copy where links are
 * not allowed), and that directory becomes Hexo's plugin_dir. Returns the directory.
 */
async function exposeBundledTheme(root: string, theme: string): Promise<string> {
  const directory = join(root, '.newsstand', 'hexo');
  const target = BUNDLED_THEMES[theme]!();
  const exposed = join(directory, `hexo-theme-${theme}`);
  const current = await readlink(exposed).catch(() => null);
  if (current === target) return directory;
  await rm(exposed, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  await symlink(target, exposed, 'junction').catch(() => cp(target, exposed, { recursive: true }));
  return directory;
}

function siteHasTheme(root: string, theme: string): boolean {
  return existsSync(join(root, 'themes', theme)) || existsSync(join(root, 'node_modules', `hexo-theme-${theme}`));
}

/** Bundled plugins the site does not provide itself (listed in its package.json and installed). */
function missingPlugins(root: string): string[] {
  const declared = new Set<string>();
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) declared.add(name);
  } catch {
    // no package.json: every plugin comes from newsstand
  }
  return BUNDLED_PLUGINS.filter((name) => !(declared.has(name) && existsSync(join(root, 'node_modules', name))));
}

// Started by a fast build (fast/build-helper.ts) to take part of its work (fast/helper-process.ts): loads the site as the build's worker did.
if (process.send && process.env.NEWSSTAND_HEXO_WORKER === 'helper') {
  serveHelper(async (request, log) => {
    const generate = request as GenerateRequest;
    const hexo = hexoFor(generate);
    await loadSite(hexo, generate, (message) => {
      if (message.kind === 'warning' || message.kind === 'error') log(message.kind === 'warning' ? 'warn' : 'error', message.text);
    });
    return hexo;
  });
}

// Started by build-worker.ts with an IPC channel: builds as asked, one at a time, then exits — after its one build,
// or, kept, when asked to (or when newsstand is gone), once what its builds deferred is saved.
if (process.send && process.env.NEWSSTAND_HEXO_WORKER === '1') {
  const send: Send = (message) => {
    if (process.connected) process.send!(message);
  };
  // Themes leave timers and watchers behind: once the last message is out, the process ends.
  const end = () => {
    if (process.connected) process.send!({ kind: 'end' }, () => process.exit(0));
    else process.exit(0);
  };
  const settle = async () => {
    await kept?.memory.settled();
    await kept?.hexo.exit().catch(() => undefined);
  };
  const handle = async (command: WorkerCommand): Promise<void> => {
    if (command.kind === 'exit') return settle().then(end);
    const { request } = command;
    if (command.kind === 'prepare') {
      if (await prepareKept(request, send)) send({ kind: 'prepared' });
      else await settle().then(end);
      return;
    }
    if (request.keep && request.fast) {
      if (await generateKept(request, send)) send({ kind: 'idle' });
      else await settle().then(end);
      return;
    }
    await generate(request, send).catch((error: unknown) => send({ kind: 'error', text: describeError(error) }));
    end();
  };
  send({ kind: 'start', heapLimitMB: Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024) });
  let queue = Promise.resolve();
  process.on('message', (command: WorkerCommand) => {
    queue = queue.then(() => handle(command));
  });
  process.on('disconnect', () => {
    queue = queue.then(settle).then(() => process.exit(0));
  });
}
