// Whole child processes for the benchmark: every measurement is one `node` process, start-up included, its
// peak RSS written at exit by bench/measure-rss.mjs.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO = join(BENCH_DIR, '..');
const MEASURE = join(BENCH_DIR, 'measure-rss.mjs');
const MB = 1024 * 1024;

/**
 * Runs `node [nodeArgs] --import=measure-rss.mjs ...args` to completion (or until `timeoutMs`, then SIGKILL).
 * Resolves { code, signal, timedOut, wallMs, stdout, stderr, rss: { maxRSSKB, vmHWMKB } | null }.
 * `env` adds to (or, with undefined values, removes from) this process's environment.
 */
export function runMeasured(args, { timeoutMs, cwd, rssFile, env = {}, nodeArgs = [] }) {
  rmSync(rssFile, { force: true });
  const childEnv = { ...process.env, NO_COLOR: '1', ...env, NEWSSTAND_BENCH_RSS_FILE: rssFile };
  for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, `--import=${pathToFileURL(MEASURE).href}`, ...args], {
      cwd,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = { stdout: '', stderr: '' };
    const collect = (name) => (chunk) => {
      if (out[name].length < MB) out[name] += chunk;
    };
    child.stdout.setEncoding('utf8').on('data', collect('stdout'));
    child.stderr.setEncoding('utf8').on('data', collect('stderr'));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      let rss = null;
      try {
        rss = JSON.parse(readFileSync(rssFile, 'utf8'));
      } catch {
        // killed, or crashed before 'exit'
      }
      resolvePromise({ code, signal, timedOut, wallMs, ...out, rss });
    });
  });
}

/** Throws a readable error unless the run finished with exit code 0. */
export function requireSuccess(run, label, timeoutMs) {
  if (run.timedOut) throw new Error(`${label}: did not finish within ${Math.round(timeoutMs / 1000)} s (killed)`);
  if (run.code !== 0) {
    throw new Error([`${label}: exited ${run.code ?? run.signal}`, run.stdout.trim(), run.stderr.trim()].filter(Boolean).join('\n'));
  }
}

/** Checks that the RSS probe reports what a child really used: one that touches 128 MB must report ≥ 128 MB. */
export async function calibrateRss(tmp) {
  const script = 'const b = Buffer.alloc(128 * 1024 * 1024, 1); let s = 0; for (let i = 0; i < b.length; i += 4096) s += b[i]; if (s < 1) process.exit(9);';
  const run = await runMeasured(['-e', script], { timeoutMs: 60_000, cwd: tmp, rssFile: join(tmp, 'calibrate.rss.json') });
  if (run.code !== 0 || !run.rss) return { ok: false, detail: `the probe wrote nothing (exit ${run.code ?? run.signal})` };
  const mb = run.rss.maxRSSKB / 1024;
  const hwm = run.rss.vmHWMKB === null ? null : run.rss.vmHWMKB / 1024;
  const agree = hwm === null || Math.abs(hwm - mb) <= Math.max(8, mb * 0.1);
  const ok = mb >= 128 && mb < 1024 && agree;
  return {
    ok,
    detail: `a child touching 128 MB reported maxRSS ${mb.toFixed(0)} MB${hwm === null ? '' : `, VmHWM ${hwm.toFixed(0)} MB`}`,
  };
}

/** Every file under `dir` (recursively) whose name ends with `suffix`, with its mtime. */
export function listFiles(dir, suffix = '') {
  const files = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(suffix)) files.push({ path, mtimeMs: statSync(path).mtimeMs });
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/** Files under `dir` modified at or after `sinceMs` (a millisecond early: a coarse clock must not hide a write). */
export function filesWrittenSince(dir, sinceMs, suffix = '') {
  return listFiles(dir, suffix).filter((file) => file.mtimeMs >= sinceMs - 1).length;
}

/** The `Sources: …` and `Posts: …` summary lines of `newsstand sync`. */
export function parseSyncSummary(stdout) {
  const sources = /Sources: (\d+) ok, (\d+) failed \(of (\d+)/.exec(stdout);
  const posts = /Posts: (\d+) new, (\d+) updated, (\d+) pruned(?: \((\d+) unchanged, (\d+) duplicates skipped, (\d+) filtered out\))?/.exec(stdout);
  return {
    sourcesOk: sources ? Number(sources[1]) : null,
    sourcesFailed: sources ? Number(sources[2]) : null,
    created: posts ? Number(posts[1]) : null,
    updated: posts ? Number(posts[2]) : null,
    pruned: posts ? Number(posts[3]) : null,
    unchanged: posts?.[4] !== undefined ? Number(posts[4]) : null,
  };
}

export function firstLines(text, count) {
  return text.split('\n').slice(0, count).join(' / ') || '(no output)';
}
