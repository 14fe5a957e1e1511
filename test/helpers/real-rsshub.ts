/**
 * A real RSSHub (the npm build pinned in real-rsshub-install.mjs, not an imitation) for integration tests,
 * served on 127.0.0.1 with no network beyond loopback. Installed on first use into a cache directory outside
 * node_modules (about a minute, once per machine; .ci/run installs it before the tests).
 *
 *   const rsshub = await ensureRealRsshub();           // top level of the test file: installs when needed
 *   describe.skipIf(!rsshub.available)(`real RSSHub${rsshub.available ? '' : ` — skipped: ${rsshub.reason}`}`, () => {
 *     let hub: RealRsshub;
 *     beforeAll(async () => { hub = await (rsshub as RealRsshubReady).start({ accessKey: 'secret' }); });
 *     afterAll(() => hub?.close());
 *     it('…', async () => { await fetch(hub.withCode('/test/1')); });
 *   });
 *
 * or, inside a hook, `const hub = await realRsshub({ accessKey })` (null when unavailable), with
 * REAL_RSSHUB_SETUP_TIMEOUT as the hook's timeout in case it has to install. ensureRealRsshub() rejects when an
 * install fails for any reason other than an unreachable registry, so a broken install fails the suite.
 *
 * RSSHub reads its settings from the environment once, at import, so each instance is a child process of its
 * own (real-rsshub-server.mjs) on a free port, with a clean environment: whatever the test process's
 * environment holds (proxies, cookies, a stray ACCESS_KEY) does not leak in, and its working directory is the
 * cache, where there is no .env for RSSHub's dotenv to read. Several instances at once are fine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export interface RealRsshubOptions {
  /** ACCESS_KEY: every route and /api/* then needs ?key=KEY or ?code=md5(pathname + KEY). */
  accessKey?: string;
  /** More of RSSHub's settings (CACHE_EXPIRE, ALLOW_ORIGIN, …); they win over the defaults below. */
  env?: Record<string, string>;
  /** How long to wait for it to listen (it takes 3–13 s). Default 60 s. */
  startTimeoutMs?: number;
}

export interface RealRsshub {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  port: number;
  accessKey: string | undefined;
  /** The access code RSSHub expects for a pathname: md5(pathname + key), pathname as sent (percent-encoded). */
  code(pathname: string): string;
  /** The absolute URL of `path` (may carry a query), with ?code= added when the instance has a key. */
  withCode(path: string): string;
  /** What the process printed so far (the last 64 KB): for a failing test's message. */
  output(): string;
  /** Ends the process group; safe to call twice. */
  close(): Promise<void>;
}

export interface RealRsshubReady {
  available: true;
  version: string;
  /** The cache directory RSSHub is installed in. */
  dir: string;
  start(options?: RealRsshubOptions): Promise<RealRsshub>;
}
export type RealRsshubAvailability = RealRsshubReady | { available: false; reason: string };

/** A hook timeout that covers a first-run install (npm, ~650 MB) plus start-up. */
export const REAL_RSSHUB_SETUP_TIMEOUT = 15 * 60_000;

interface Installer {
  RSSHUB_VERSION: string;
  installRealRsshub(): Promise<
    { status: 'ready'; dir: string; installed: boolean } | { status: 'unreachable'; dir: string; reason: string }
  >;
}

const SERVER = fileURLToPath(new URL('./real-rsshub-server.mjs', import.meta.url));
const LOOPBACK_ONLY = new URL('./loopback-only.mjs', import.meta.url).href;

let availability: Promise<RealRsshubAvailability> | undefined;

/** Installs RSSHub when the cache lacks it (once per test process), and says whether tests can use it. */
export function ensureRealRsshub(): Promise<RealRsshubAvailability> {
  availability ??= (async () => {
    // Imported by URL: a plain .mjs shared with .ci/run, typed here by the interface above.
    const installer = (await import(new URL('./real-rsshub-install.mjs', import.meta.url).href)) as Installer;
    const result = await installer.installRealRsshub();
    if (result.status === 'unreachable') return { available: false, reason: result.reason };
    const { dir } = result;
    return {
      available: true,
      version: installer.RSSHUB_VERSION,
      dir,
      start: (options) => startRsshub(dir, installer.RSSHUB_VERSION, options),
    };
  })();
  return availability;
}

/** One started instance, or null when RSSHub cannot be installed here (ensureRealRsshub() says why). */
export async function realRsshub(options: RealRsshubOptions = {}): Promise<RealRsshub | null> {
  const rsshub = await ensureRealRsshub();
  return rsshub.available ? rsshub.start(options) : null;
}

const running = new Set<ChildProcess>();
let exitHookSet = false;

async function startRsshub(dir: string, version: string, options: RealRsshubOptions = {}): Promise<RealRsshub> {
  const { accessKey, startTimeoutMs = 60_000 } = options;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    NODE_ENV: 'production', // the prebuilt route table; other values make it scan for TypeScript sources
    CACHE_TYPE: 'memory',
    NO_LOGFILES: 'true', // else it writes logs/ into its working directory
    HEROKU_SLUG_COMMIT: version.split('.').pop() ?? 'unknown', // else it runs `git rev-parse` at start-up
    ...(accessKey !== undefined ? { ACCESS_KEY: accessKey } : {}),
    ...options.env,
  };
  // detached: a process group of its own, ended whole by close(). Its stdin is a pipe it watches, so it also
  // ends when this process dies without closing it.
  const child = spawn(process.execPath, ['--import', LOOPBACK_ONLY, SERVER, dir], {
    cwd: dir,
    env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  if (!exitHookSet) {
    exitHookSet = true;
    process.on('exit', () => {
      for (const child of running) killGroup(child);
    });
  }
  let output = '';
  const record = (chunk: Buffer) => {
    // Without the colour codes its logger writes even into a pipe.
    output = (output + chunk.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '')).slice(-65_536);
  };
  child.stderr!.on('data', record);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );

  const port = await new Promise<number>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killGroup(child);
      reject(new Error(`real RSSHub did not start: ${why}; its output:\n${output.trim() || '(none)'}`));
    };
    const timer = setTimeout(() => fail(`not listening after ${startTimeoutMs / 1000} s`), startTimeoutMs);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
    child.stdout!.on('data', (chunk: Buffer) => {
      record(chunk);
      const listening = /\{"listening":(\d+)\}/.exec(output)?.[1];
      if (listening && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(Number(listening));
      }
    });
  });

  const url = `http://127.0.0.1:${port}`;
  const code = (pathname: string) =>
    createHash('md5')
      .update(pathname + (accessKey ?? ''))
      .digest('hex');
  return {
    url,
    port,
    accessKey,
    code,
    withCode(path) {
      const target = new URL(path, url);
      if (accessKey !== undefined) target.searchParams.set('code', code(target.pathname));
      return target.href;
    },
    output: () => output,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
