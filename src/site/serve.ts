import { createReadStream, existsSync, readdirSync, statSync, watch, type FSWatcher, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, isAbsolute, join, relative, sep } from 'node:path';
import type { Config } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { LockedError, UserError } from '../errors.js';
import { acquireLock } from '../store/lock.js';
import { buildSite, type BuildResult } from './build.js';
import { hexoLayout, type HexoLayout } from './hexo-config.js';

export interface ServeOptions {
  config: Config;
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Build before serving; without it an unbuilt site is built anyway. */
  buildFirst: boolean;
  /** Stops serving: the rebuild under way finishes, watchers and connections close. */
  signal: AbortSignal;
  log: (line: string) => void;
  verbose?: boolean;
  /** Wait this long after the last change before rebuilding, so saving many files builds once. */
  debounceMs?: number;
}

/**
 * Previews a site: builds it, serves its public directory on `host:port` below Hexo's `root`, and rebuilds
 * when the sources, the site's themes or its Hexo configuration change. A failed rebuild is logged and the
 * last good build stays served. Resolves once `signal` stops it.
 */
export async function serveSite(options: ServeOptions): Promise<void> {
  const { config, signal, log } = options;
  const { root, lock } = sitePaths(config);
  let layout = hexoLayout(root);
  const server = createServer((request, response) => {
    void answer(layout, request, response).catch(() => response.destroy());
  });
  await listen(server, options.port, options.host);
  const origin = originOf(server.address() as AddressInfo);
  try {
    const build = () => buildWhenUnlocked(root, lock, options.verbose ?? false, log, signal);
    if (options.buildFirst || !existsSync(join(layout.publicDir, 'index.html'))) {
      const built = await build();
      if (!built || signal.aborted) return;
      log(`Built the site with Hexo: ${buildStats(built)}`);
      layout = hexoLayout(root);
    }
    log(`Serving ${root} at ${origin}${layout.root} — Ctrl-C to stop`);

    const rebuild = async () => {
      try {
        const built = await build();
        if (!built) return;
        log(`Rebuilt: ${buildStats(built)}`);
        const previous = layout.root;
        layout = hexoLayout(root);
        if (layout.root !== previous) log(`Serving ${root} at ${origin}${layout.root}`);
      } catch (error) {
        log(`Rebuild failed, still serving the last good build: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const rebuilds = new Rebuilds(rebuild, options.debounceMs ?? 300);
    const stopWatching = watchSite(root, layout.sourceDir, () => rebuilds.request());
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    stopWatching();
    await rebuilds.stop();
  } finally {
    await closeServer(server);
  }
}

function buildStats(built: BuildResult): string {
  return `${built.files} files in ${(built.ms / 1000).toFixed(1)}s`;
}

/**
 * Builds holding the site's lock, so a preview never renders while `newsstand run` or `watch` writes posts
 * or builds; while another run holds the lock, waits for it. Resolves to null when stopped while waiting.
 */
async function buildWhenUnlocked(root: string, lockPath: string, verbose: boolean, log: (line: string) => void, signal: AbortSignal): Promise<BuildResult | null> {
  let told = false;
  while (!signal.aborted) {
    let lock;
    try {
      lock = acquireLock(lockPath);
    } catch (error) {
      if (!(error instanceof LockedError)) throw error;
      if (!told) log('another newsstand run is working on the site; building when it is done');
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      return await buildSite({ root, verbose });
    } finally {
      lock.release();
    }
  }
  return null;
}

/** Debounced rebuilds, one at a time: a change during a rebuild asks for one more after it. */
class Rebuilds {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly rebuild: () => Promise<void>,
    private readonly debounceMs: number,
  ) {}

  request(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.start(), this.debounceMs);
  }

  /** Cancels waiting rebuilds and waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private start(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.rebuild().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.start();
      }
    });
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, port, host)));
    server.listen({ port, host }, () => resolve());
  });
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new UserError(`port ${port} on ${host} is already in use; choose another with --port, e.g. --port ${port + 1} (or --port 0 for any free port)`, 2);
    case 'EACCES':
      return new UserError(`not allowed to listen on port ${port} of ${host}; choose a port above 1023 with --port`, 2);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new UserError(`--host ${host}: not an address of this machine; use 127.0.0.1 (the default) or localhost`, 2);
    default:
      return new UserError(`cannot listen on ${host}:${port} (${error.code ?? error.message})`, 2);
  }
}

function originOf({ address, family, port }: AddressInfo): string {
  return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // A browser keeps idle connections open; they would hold the process up.
    server.closeAllConnections();
  });
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.vtt': 'text/vtt; charset=utf-8',
  '.pdf': 'application/pdf',
};

/** Answers one request from the public directory. GET and HEAD only; nothing outside the directory. */
async function answer(layout: HexoLayout, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('405 Method Not Allowed\n');
    return;
  }
  const target = request.url ?? '/';
  const queryAt = target.search(/[?#]/);
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : target.slice(queryAt).replace(/#.*/, '');
  if (rawPath === '/' && layout.root !== '/') {
    response.writeHead(302, { location: encodeURI(layout.root) + query, 'content-length': 0 }).end();
    return;
  }
  const file = await resolveFile(layout, rawPath);
  if (file === 'redirect') {
    // Collapsed leading slashes: "//host/dir" must not redirect to another host.
    response.writeHead(301, { location: `${rawPath.replace(/^\/+/, '/')}/${query}`, 'content-length': 0 }).end();
    return;
  }
  if (file === null) return notFound(layout, request, response);
  sendFile(request, response, 200, file.path, file.stats);
}

interface FoundFile {
  path: string;
  stats: Stats;
}

/**
 * The file a URL path names below the site's root: a directory answers with its index.html, a directory
 * named without its trailing slash with 'redirect'. Null for anything else, including every path that
 * climbs out of the public directory (`..`, encoded or not, NUL, links that lead outside).
 */
async function resolveFile(layout: HexoLayout, rawPath: string): Promise<FoundFile | 'redirect' | null> {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (!path.startsWith('/') || path.includes('\0')) return null;
  if (`${path}/` === layout.root) return 'redirect';
  if (!path.startsWith(layout.root)) return null;
  const segments = path.slice(layout.root.length).split('/');
  if (segments.some((segment) => segment === '..' || segment.includes('\\'))) return null;

  let candidate = join(layout.publicDir, ...segments);
  let stats = await stat(candidate).catch(() => null);
  if (stats?.isDirectory()) {
    if (!path.endsWith('/')) return 'redirect';
    candidate = join(candidate, 'index.html');
    stats = await stat(candidate).catch(() => null);
  }
  if (!stats?.isFile() || !(await isInside(layout.publicDir, candidate))) return null;
  return { path: candidate, stats };
}

async function isInside(directory: string, file: string): Promise<boolean> {
  const [realDirectory, realFile] = await Promise.all([realpath(directory), realpath(file)]).catch(() => [null, null]);
  if (realDirectory === null || realFile === null) return false;
  const inside = relative(realDirectory, realFile);
  return inside !== '' && !inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside);
}

async function notFound(layout: HexoLayout, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const page = join(layout.publicDir, '404.html');
  const stats = await stat(page).catch(() => null);
  if (stats?.isFile()) return sendFile(request, response, 404, page, stats);
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(request.method === 'HEAD' ? undefined : '404 Not Found\n');
}

function sendFile(request: IncomingMessage, response: ServerResponse, status: number, path: string, stats: Stats): void {
  response.writeHead(status, {
    'content-type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'content-length': stats.size,
    // A preview: every reload must show the latest build.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(path)
    .on('error', () => response.destroy())
    .pipe(response);
}

/**
 * Calls `changed` whenever something the build reads changes: the source directory, the site's themes,
 * and `_config.yml` (or `_config.<theme>.yml`). Returns a function that stops watching.
 */
function watchSite(root: string, sourceDir: string, changed: () => void): () => void {
  const stops = [sourceDir, join(root, 'themes')].filter((dir) => existsSync(dir)).map((dir) => watchTree(dir, changed));
  const configWatcher = watch(root, (_event, name) => {
    if (name && /^_config(\.[^/\\]+)?\.ya?ml$/.test(basename(name.toString()))) changed();
  });
  configWatcher.on('error', () => configWatcher.close());
  return () => {
    configWatcher.close();
    for (const stop of stops) stop();
  };
}

/**
 * Watches a directory tree. macOS and Windows watch a tree natively; elsewhere Node's recursive mode
 * watches every file and runs out of inotify watches on a site of some thousand posts, so each directory
 * is watched instead. Where watching is refused (no watches left, a network file system), the tree is
 * polled every two seconds.
 */
function watchTree(dir: string, changed: () => void): () => void {
  try {
    if (process.platform === 'darwin' || process.platform === 'win32') {
      const watcher = watch(dir, { recursive: true }, () => changed());
      watcher.on('error', () => watcher.close());
      return () => watcher.close();
    }
    return watchEachDirectory(dir, changed);
  } catch {
    return pollTree(dir, changed);
  }
}

function watchEachDirectory(top: string, changed: () => void): () => void {
  const watchers = new Map<string, FSWatcher>();
  const add = (dir: string) => {
    if (watchers.has(dir)) return;
    const watcher = watch(dir, (event, name) => {
      changed();
      // An entry appeared or went: it may be a directory to watch or to forget.
      if (event === 'rename' && name) look(join(dir, name.toString()));
    });
    watcher.on('error', () => forget(dir));
    watchers.set(dir, watcher);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) add(join(dir, entry.name));
  };
  const forget = (dir: string) => {
    for (const [watched, watcher] of watchers) {
      if (watched === dir || watched.startsWith(dir + sep)) {
        watcher.close();
        watchers.delete(watched);
      }
    }
  };
  const look = (path: string) => {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats?.isDirectory()) return forget(path);
    try {
      add(path);
    } catch {
      // No watches left for it: the rest of the tree is still watched.
    }
  };
  try {
    add(top);
  } catch (error) {
    forget(top);
    throw error;
  }
  return () => forget(top);
}

function pollTree(dir: string, changed: () => void): () => void {
  let last = treeSignature(dir);
  const timer = setInterval(() => {
    const now = treeSignature(dir);
    if (now !== last) changed();
    last = now;
  }, 2_000);
  return () => clearInterval(timer);
}

/** Every file's path, size and modification time, as one string. */
function treeSignature(dir: string): string {
  const parts: string[] = [];
  const visit = (current: string) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) visit(path);
      else {
        const stats = statSync(path, { throwIfNoEntry: false });
        if (stats) parts.push(`${path}\t${stats.size}\t${stats.mtimeMs}`);
      }
    }
  };
  visit(dir);
  return parts.sort().join('\n');
}
