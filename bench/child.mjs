// Whole child processes for the benchmark: every measurement is one `node` process, start-up included, its
// peak RSS written at exit by bench/measure-rss.mjs (its and its forked Hexo worker's); Hugo runs under GNU time.
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO = join(BENCH_DIR, '..');
const MEASURE = join(BENCH_DIR, 'measure-rss.mjs');
const MB = 1024 * 1024;

/**
 * Runs `node [nodeArgs] --import=measure-rss.mjs ...args` to completion (or until `timeoutMs`, then SIGKILL to
 * it and every process under it). Resolves { code, signal, timedOut, wallMs, stdout, stderr, pid, rss }, where
 * rss is { maxRSSKB, vmHWMKB, ownKB, forkedKB, processes } or null when the child itself wrote nothing (killed).
 * `env` adds to (or, with undefined values, removes from) this process's environment. `onChild(child)` is
 * called once the child is running, for a caller that talks to it (signals, its output as it comes).
 */
export async function runMeasured(args, { timeoutMs, cwd, rssFile, env = {}, nodeArgs = [], onChild }) {
  rmSync(rssFile, { force: true });
  settleDisk();
  const argv = [...nodeArgs, `--import=${pathToFileURL(MEASURE).href}`, ...args];
  const run = await runProcess(process.execPath, argv, { timeoutMs, cwd, env: { ...env, NEWSSTAND_BENCH_RSS_FILE: rssFile }, onChild });
  return { ...run, rss: readRss(rssFile, run.pid) };
}

/**
 * Peak RSS of a Node child and the Node processes it forked, from measure-rss.mjs's lines. newsstand forks one
 * Hexo worker per build, one at a time; a worker of a large full build forks a helper that runs beside it
 * (src/site/fast/build-helper.ts). So the tree's peak is at most the child's own peak plus, for the highest of
 * its forks, that fork's peak and its own forks' peaks added up: that sum is `maxRSSKB` (for a child that forks
 * nothing, its own peak, as before), each process's peak its own (ownPeak). `processes` keeps every line (pid,
 * ppid, peaks, V8 heap limit) for the checks.
 */
function readRss(rssFile, pid) {
  let processes;
  try {
    processes = readFileSync(rssFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  } catch {
    return null; // killed, or crashed before 'exit'
  }
  const own = processes.find((p) => p.pid === pid);
  if (!own) return null;
  const forked = processes.filter((p) => p.ppid === own.pid);
  // A fork's peak with its helpers' added (they run at the same time as it).
  const withHelpers = (fork, peak) =>
    peak(fork) + processes.filter((p) => p.ppid === fork.pid).reduce((sum, helper) => sum + peak(helper), 0);
  const highest = (peak) => Math.max(0, ...forked.map((fork) => withHelpers(fork, peak)));
  return {
    maxRSSKB: ownPeak(own) + highest(ownPeak),
    vmHWMKB: own.vmHWMKB === null ? null : own.vmHWMKB + highest((p) => p.vmHWMKB ?? 0),
    ownKB: ownPeak(own),
    forkedKB: forked.length ? highest(ownPeak) : null,
    processes,
  };
}

/**
 * A process's own peak RSS: VmHWM, the high-water mark of its own memory, where Linux tells it. getrusage's
 * maxRSS also counts what the process was before its exec, a copy of its parent at the fork (checked: the child
 * of a 343 MB parent reported maxRSS 304 MB and VmHWM 40 MB), so a child of this benchmark's runner, grown past
 * 100 MB by the parts before, read as large as the runner; newsstand's forks were not affected (each peaks above
 * its parent). maxRSS where VmHWM is not known.
 */
function ownPeak(line) {
  return line.vmHWMKB ?? line.maxRSSKB ?? 0;
}

export const GNU_TIME = '/usr/bin/time';

/**
 * Flushes what earlier processes left the kernel to write (`sync`), outside any timing: a measured process then
 * starts from a settled disk, and the writeback and the journal of the one before (2,000 post files; a deleted
 * site of 100,000) are not in its time. Where there is no `sync`, nothing.
 */
export function settleDisk() {
  try {
    execFileSync('sync', { stdio: 'ignore', timeout: 60_000 });
  } catch {
    // not on this platform, or it took too long: measured as before
  }
}

/**
 * Runs a program that is not Node (Hugo) under GNU time, `/usr/bin/time -f %M -o <rssFile> command ...args`:
 * %M is the ru_maxrss that wait4() returns for the program — the kernel's peak RSS of that process (KB),
 * whatever language it is written in. (measure-rss.mjs works only inside Node, and a Node wrapper cannot
 * read its children's rusage: process.resourceUsage() is RUSAGE_SELF.) The wall time includes starting
 * `time` itself, about a millisecond. Resolves like runMeasured; rss is null when `time` is missing or
 * wrote no number.
 */
export async function runUnderTime(command, args, { timeoutMs, cwd, rssFile, env = {} }) {
  rmSync(rssFile, { force: true });
  settleDisk();
  if (!existsSync(GNU_TIME)) return { ...(await runProcess(command, args, { timeoutMs, cwd, env })), rss: null };
  const run = await runProcess(GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args], { timeoutMs, cwd, env });
  let rss = null;
  try {
    // `time` writes "Command exited with non-zero status N" before the number when the program failed.
    const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(kb) && kb > 0) rss = { maxRSSKB: kb, vmHWMKB: null, ownKB: kb, forkedKB: null, processes: [] };
  } catch {
    // killed before `time` wrote
  }
  return { ...run, rss };
}

/** One child process to completion or `timeoutMs`; on the limit, it and everything under it is killed. */
function runProcess(file, argv, { timeoutMs, cwd, env = {}, onChild }) {
  const childEnv = { ...process.env, NO_COLOR: '1', ...env };
  for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    const collect = (name) => (chunk) => {
      if (out[name].length < MB) out[name] += chunk;
    };
    child.stdout.setEncoding('utf8').on('data', collect('stdout'));
    child.stderr.setEncoding('utf8').on('data', collect('stderr'));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('spawn', () => onChild?.(child));
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      resolvePromise({ code, signal, timedOut, wallMs, ...out, pid: child.pid });
    });
  });
}

/**
 * Sends `signal` to `pid` and every process under it (Linux: found through /proc). A child killed alone would
 * leave its own children behind — newsstand's Hexo worker, the program under GNU time — running on for minutes.
 */
export function killTree(pid, signal) {
  const pids = [pid];
  try {
    const parents = new Map();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
        parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // ended meanwhile
      }
    }
    for (let i = 0; i < pids.length; i++) for (const [child, parent] of parents) if (parent === pids[i]) pids.push(child);
  } catch {
    // no /proc: the child alone
  }
  for (const target of pids) {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Whether a run died of V8 heap exhaustion: its own (V8 aborts: SIGABRT, "heap out of memory" on standard
 * error), or its Hexo worker's, which newsstand reports as "Hexo stopped (signal SIGABRT)" — the worker's
 * own stderr is not shown without -v, and V8 aborts only on fatal errors, of which this is the one a build meets.
 */
export function outOfMemory(run) {
  const text = `${run.stdout}\n${run.stderr}`;
  return run.signal === 'SIGABRT' || /heap out of memory|Reached heap limit|Hexo stopped \(signal SIGABRT\)/i.test(text);
}

/** `NODE_OPTIONS` with `options` added to any already set: Node reads it in the child and in every process it forks. */
export function withNodeOptions(options) {
  return { NODE_OPTIONS: [process.env.NODE_OPTIONS, ...options].filter(Boolean).join(' ') };
}

/**
 * Node options (for withNodeOptions) that make every Node process of a run — newsstand and its Hexo worker —
 * write a diagnostic report into `dir` when it dies of a fatal error, V8's heap exhaustion included. A process
 * V8 aborts runs no exit handler (measure-rss.mjs writes nothing) and the worker's stderr is not shown without
 * -v; its report says what killed it, and its peak RSS. Creates `dir` (Node does not).
 */
export function fatalReportOptions(dir) {
  mkdirSync(dir, { recursive: true });
  return ['--report-on-fatalerror', `--report-directory=${JSON.stringify(dir)}`, '--report-compact'];
}

/** The reports fatalReportOptions' processes left: [{ pid, event, worker, maxRSSKB }]; `worker` when it was Hexo's. */
export function readFatalReports(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      const report = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      return {
        pid: report.header?.processId,
        event: String(report.header?.event ?? ''),
        worker: (report.header?.commandLine ?? []).some((arg) => /hexo-generate\.js$/.test(arg)),
        maxRSSKB: report.resourceUsage?.maxRss ? Math.round(report.resourceUsage.maxRss / 1024) : null, // bytes in the report
      };
    });
}

/** The full path of `name` on PATH, or null. */
export function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** Throws a readable error unless the run finished with exit code 0. */
export function requireSuccess(run, label, timeoutMs) {
  if (run.timedOut) throw new Error(`${label}: did not finish within ${Math.round(timeoutMs / 1000)} s (killed)`);
  if (run.code !== 0) {
    throw new Error([`${label}: exited ${run.code ?? run.signal}`, run.stdout.trim(), run.stderr.trim()].filter(Boolean).join('\n'));
  }
}

/** A child that touches 128 MB of memory. */
const PROBE_SCRIPT =
  'const b = Buffer.alloc(128 * 1024 * 1024, 1); let s = 0; for (let i = 0; i < b.length; i += 4096) s += b[i]; if (s < 1) process.exit(9);';

/** Checks that the RSS probe reports what a child really used: one that touches 128 MB must report ≥ 128 MB. */
export async function calibrateRss(tmp) {
  const run = await runMeasured(['-e', PROBE_SCRIPT], { timeoutMs: 60_000, cwd: tmp, rssFile: join(tmp, 'calibrate.rss.json') });
  if (run.code !== 0 || !run.rss) return { ok: false, detail: `the probe wrote nothing (exit ${run.code ?? run.signal})` };
  // The probe's own line: getrusage's maxRSS and VmHWM agree for a child of a small parent (the runner, so far).
  const line = run.rss.processes.find((p) => p.pid === run.pid) ?? run.rss.processes[0];
  const mb = line.maxRSSKB / 1024;
  const hwm = line.vmHWMKB === null ? null : line.vmHWMKB / 1024;
  const agree = hwm === null || Math.abs(hwm - mb) <= Math.max(8, mb * 0.1);
  const ok = mb >= 128 && mb < 1024 && agree;
  return {
    ok,
    detail: `a child touching 128 MB reported maxRSS ${mb.toFixed(0)} MB${hwm === null ? '' : `, VmHWM ${hwm.toFixed(0)} MB`}`,
  };
}

/** The same check for GNU time's %M (Hugo's peak RSS): the 128 MB child, run under `time`, must report ≥ 128 MB. */
export async function calibrateGnuTime(tmp) {
  if (!existsSync(GNU_TIME)) return { ok: false, detail: `${GNU_TIME} is missing: Hugo's peak RSS is not measured` };
  const run = await runUnderTime(process.execPath, ['-e', PROBE_SCRIPT], {
    timeoutMs: 60_000,
    cwd: tmp,
    rssFile: join(tmp, 'calibrate-time.txt'),
  });
  if (run.code !== 0 || !run.rss) return { ok: false, detail: `\`time -f %M\` wrote no number (exit ${run.code ?? run.signal})` };
  const mb = run.rss.maxRSSKB / 1024;
  return { ok: mb >= 128 && mb < 1024, detail: `a child touching 128 MB reported ${mb.toFixed(0)} MB under \`${GNU_TIME} -f %M\`` };
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
  const posts = /Posts: (\d+) new, (\d+) updated, (\d+) pruned(?: \((\d+) unchanged, (\d+) duplicates skipped, (\d+) filtered out\))?/.exec(
    stdout,
  );
  return {
    sourcesOk: sources ? Number(sources[1]) : null,
    sourcesFailed: sources ? Number(sources[2]) : null,
    created: posts ? Number(posts[1]) : null,
    updated: posts ? Number(posts[2]) : null,
    pruned: posts ? Number(posts[3]) : null,
    unchanged: posts?.[4] !== undefined ? Number(posts[4]) : null,
  };
}

/** Of entries with a `run`, the one whose run took the median wall time (the upper median of an even count). */
export function medianRun(entries) {
  return [...entries].sort((a, b) => a.run.wallMs - b.run.wallMs)[Math.floor(entries.length / 2)];
}

/** The highest of some peak RSS figures (KB), those not measured (null, undefined) left out; null when none was. */
export function highestKB(figures) {
  const measured = figures.filter((kb) => kb !== null && kb !== undefined);
  return measured.length ? Math.max(...measured) : null;
}

export function firstLines(text, count) {
  return text.split('\n').slice(0, count).join(' / ') || '(no output)';
}
