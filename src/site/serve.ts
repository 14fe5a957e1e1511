import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { hexoLayout } from '../config/hexo-config.js';
import type { Config } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { LockedError, UserError } from '../errors.js';
import { acquireLock } from '../store/lock.js';
import { buildOptionsFor, buildSite, type BuildOptions, type BuildResult, prepareBuild } from './build.js';
import { KeptWorker } from './build-worker.js';
import { answer } from './static-files.js';
import { watchSite } from './watch-files.js';

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
  // One Hexo worker for the whole preview, loaded now: a rebuild does not start Node, Hexo and the theme again.
  const worker = new KeptWorker();
  try {
    const buildOptions = { ...buildOptionsFor(config, options.verbose), worker };
    void prepareBuild(buildOptions);
    const build = () => buildWhenUnlocked(buildOptions, lock, log, signal);
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
    await Promise.all([closeServer(server), worker.close()]);
  }
}

function buildStats(built: BuildResult): string {
  return `${built.files} files in ${(built.ms / 1000).toFixed(1)}s`;
}

/**
 * Builds holding the site's lock, so a preview never renders while `newsstand run` or `watch` writes posts
 * or builds; while another run holds the lock, waits for it. Resolves to null when stopped while waiting.
 */
async function buildWhenUnlocked(
  build: BuildOptions,
  lockPath: string,
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<BuildResult | null> {
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
      const built = await buildSite(build);
      for (const warning of built.warnings) log(`Hexo: ${warning}`);
      return built;
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
      return new UserError(
        `port ${port} on ${host} is already in use; choose another with --port, e.g. --port ${port + 1} (or --port 0 for any free port)`,
        2,
      );
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
