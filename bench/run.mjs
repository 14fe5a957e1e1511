#!/usr/bin/env node
// newsstand benchmark: generates RSS feeds, serves them from a loopback server and times three whole
// `newsstand sync --all` runs (first sync, all-304 sync, sync after a few feeds gained an item).
// See bench/README.md. Exits non-zero only when something crashed, never because a target was missed.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Random, describeFeed, generateItem, generateItems, renderFeed } from './generate.mjs';
import { FeedServer } from './server.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(BENCH_DIR, '..');
const MEASURE = join(BENCH_DIR, 'measure-rss.mjs');
const DEFAULT_FEEDS = 1000;
const DEFAULT_ITEMS = 20;
const DEFAULT_BUILD_POSTS = 5000;
const MB = 1024 * 1024;

/** The targets from the issue (they are stated for 1,000 feeds × 20 items). */
const TARGETS = {
  first: { label: 'first sync', maxSeconds: 15 },
  unchanged: { label: 'all-304 sync', maxSeconds: 2 },
  bumped: { label: 'sync with new items', maxSeconds: 3 },
  rssMB: 300,
};

const USAGE = `Usage: node bench/run.mjs [options]     (npm run bench -- [options])

  --feeds N       number of feeds (default ${DEFAULT_FEEDS})
  --items M       items per feed (default ${DEFAULT_ITEMS})
  --bump K        feeds that gain one new item before the third sync (default 10, at most N)
  --build-posts P posts rendered by the \`newsstand build\` phase, taken from the synced site (default ${DEFAULT_BUILD_POSTS}; 0 skips it)
  --seed S        PRNG seed (default 20240601)
  --timeout SEC   limit for each newsstand process (default 300)
  --keep          keep the generated inputs and site (under the OS temp directory)
  --write         write BENCHMARKS.md even for a non-default size
  --no-write      never write BENCHMARKS.md
  --bin FILE      the newsstand entry point to run (default bin/newsstand.js of this repository)
  --no-all        run \`sync\` without --all (only for builds before \`sync --all\` existed)
  -h, --help      this text`;

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        feeds: { type: 'string' },
        items: { type: 'string' },
        bump: { type: 'string' },
        'build-posts': { type: 'string' },
        seed: { type: 'string' },
        timeout: { type: 'string' },
        keep: { type: 'boolean', default: false },
        write: { type: 'boolean', default: false },
        'no-write': { type: 'boolean', default: false },
        bin: { type: 'string' },
        'no-all': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const int = (name, fallback, min) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      process.stderr.write(`--${name} wants a whole number ≥ ${min}, not ${JSON.stringify(raw)}\n`);
      process.exit(2);
    }
    return value;
  };
  const feeds = int('feeds', DEFAULT_FEEDS, 1);
  const items = int('items', DEFAULT_ITEMS, 1);
  const defaultSize = feeds === DEFAULT_FEEDS && items === DEFAULT_ITEMS;
  return {
    feeds,
    items,
    bump: Math.min(feeds, int('bump', 10, 1)),
    buildPosts: Math.min(feeds * items, int('build-posts', DEFAULT_BUILD_POSTS, 0)),
    seed: int('seed', 20240601, 0),
    timeoutMs: int('timeout', 300, 1) * 1000,
    keep: values.keep,
    write: !values['no-write'] && (defaultSize || values.write),
    defaultSize,
    bin: resolve(values.bin ?? join(REPO, 'bin', 'newsstand.js')),
    all: !values['no-all'],
  };
}

// ── child processes ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * Runs `node --import=measure-rss.mjs ...args` to completion (or until `timeoutMs`, then SIGKILL).
 * Resolves { code, signal, timedOut, wallMs, stdout, stderr, rss: { maxRSSKB, vmHWMKB } | null }.
 */
function runMeasured(args, { timeoutMs, cwd, rssFile }) {
  rmSync(rssFile, { force: true });
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [`--import=${pathToFileURL(MEASURE).href}`, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', NEWSSTAND_BENCH_RSS_FILE: rssFile },
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

/** Checks that the RSS probe reports what a child really used: one that touches 128 MB must report ≥ 128 MB. */
async function calibrateRss(tmp) {
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

// ── the site ─────────────────────────────────────────────────────────────────────────────────────────────────

function yamlString(value) {
  return JSON.stringify(value); // a JSON string is a valid double-quoted YAML scalar
}

function writeSite(siteDir, server, feeds) {
  mkdirSync(join(siteDir, 'source', '_posts'), { recursive: true });
  copyFileSync(join(REPO, 'templates', 'site', '_config.yml'), join(siteDir, '_config.yml'));
  const lines = [
    '# Generated by bench/run.mjs',
    'site:',
    '  root: .',
    '  postsDir: source/_posts',
    'fetch:',
    '  concurrency: 16',
    '  perHost: 16',
    '  timeout: 30s',
    'defaults:',
    '  retention: { maxAge: 90d, maxItems: 500 }',
    'sources:',
  ];
  for (const feed of feeds) {
    lines.push(`  - url: ${server.url(feed.n)}`);
    lines.push(`    name: ${yamlString(feed.name)}`);
    lines.push(`    categories: [${feed.categories.map(yamlString).join(', ')}]`);
  }
  const config = join(siteDir, 'newsstand.yml');
  writeFileSync(config, `${lines.join('\n')}\n`);
  return config;
}

/** Every post file under `dir`, with its mtime. */
function listPosts(dir) {
  const posts = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) posts.push({ path, mtimeMs: statSync(path).mtimeMs });
    }
  };
  if (existsSync(dir)) walk(dir);
  return posts;
}

function parseSummary(stdout) {
  const sources = /Sources: (\d+) ok, (\d+) failed \(of (\d+)\)/.exec(stdout);
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

// ── reporting ────────────────────────────────────────────────────────────────────────────────────────────────

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) cpu = match[1].trim();
  } catch {
    // not Linux
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['-C', REPO, 'status', '--porcelain', '--', 'src', 'bin', 'package.json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (dirty) commit += ' (with uncommitted changes)';
  } catch {
    // not a git checkout
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    memoryGB: os.totalmem() / 1024 ** 3,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    commit,
    load: os.loadavg()[0],
  };
}

const fmt = {
  s: (ms) => (ms / 1000).toFixed(2),
  mb: (kb) => (kb === null || kb === undefined ? 'n/a' : (kb / 1024).toFixed(0)),
  n: (v) => (v === null || v === undefined ? '?' : v.toLocaleString('en-US')),
};

function table(phases) {
  const header = ['phase', 'wall (s)', 'target (s)', 'met', 'items/s', 'posts new / updated', '.md written', 'requests', '200', '304', 'peak RSS (MB)'];
  const rows = phases.map((p) => [
    p.label,
    fmt.s(p.wallMs),
    String(p.target.maxSeconds),
    p.wallMs <= p.target.maxSeconds * 1000 ? 'yes' : 'NO',
    p.itemsPerSecond === null ? '—' : fmt.n(Math.round(p.itemsPerSecond)),
    `${fmt.n(p.summary.created)} / ${fmt.n(p.summary.updated)}`,
    fmt.n(p.filesWritten),
    fmt.n(p.server.requests),
    fmt.n(p.server.ok),
    fmt.n(p.server.notModified),
    fmt.mb(p.rss?.maxRSSKB),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function targetLines(phases, options) {
  const peakKB = Math.max(...phases.map((p) => p.rss?.maxRSSKB ?? -1));
  const lines = phases.map((p) => {
    const met = p.wallMs <= p.target.maxSeconds * 1000;
    return `- ${met ? '✅ pass' : '❌ fail'} — ${p.target.label} ≤ ${p.target.maxSeconds} s: ${fmt.s(p.wallMs)} s`;
  });
  if (peakKB < 0) lines.push(`- ❔ unknown — peak RSS ≤ ${TARGETS.rssMB} MB: not measured`);
  else lines.push(`- ${peakKB / 1024 <= TARGETS.rssMB ? '✅ pass' : '❌ fail'} — peak RSS ≤ ${TARGETS.rssMB} MB: ${fmt.mb(peakKB)} MB (highest of the three runs)`);
  if (!options.defaultSize) lines.push(`- note: the targets are stated for ${DEFAULT_FEEDS} feeds × ${DEFAULT_ITEMS} items; this run used ${options.feeds} × ${options.items}.`);
  return lines;
}

function benchmarksMarkdown({ info, options, inputs, phases, build, checks, rssCheck }) {
  return `# Benchmarks

Written by \`npm run bench\` ([bench/run.mjs](bench/run.mjs); what it measures: [bench/README.md](bench/README.md)).
Each phase is one whole \`newsstand sync${options.all ? ' --all' : ''} --quiet\` process, start-up included, against a loopback
HTTP server (keep-alive, strong ETag + Last-Modified, 304 on a match).

## Machine

- CPU: ${info.cpu} — ${info.cores} cores available (\`os.availableParallelism()\`)
- Memory: ${info.memoryGB.toFixed(1)} GB; 1-minute load average at the start: ${info.load.toFixed(2)} (other work on the machine skews the times)
- OS: ${info.platform}
- Node.js: ${info.node}
- Date: ${info.date}
- newsstand: commit ${info.commit}

## Inputs

- ${fmt.n(options.feeds)} RSS 2.0 feeds × ${options.items} items = ${fmt.n(options.feeds * options.items)} items (seed ${options.seed}), ${(inputs.bytes / MB).toFixed(1)} MB of XML,
  ${(inputs.bytes / (options.feeds * options.items) / 1024).toFixed(1)} KB per item on average (Chinese text, 1–3 images, some lazy-loaded, some tracking pixels).
- All dated within the last 20 days. Sources: \`concurrency: 16\`, \`perHost: 16\`, \`timeout: 30s\`,
  retention \`{ maxAge: 90d, maxItems: 500 }\`. Phase 3 adds one item to each of ${options.bump} feeds.

## Results

${table(phases)}

- items/s: posts written per second of wall time (first sync only).
- .md written: post files whose modification time falls in the phase.
- requests / 200 / 304: counted by the feed server during the phase.
- peak RSS: \`process.resourceUsage().maxRSS\` of the newsstand process at exit (${rssCheck.ok ? 'probe verified' : 'probe NOT verified'}: ${rssCheck.detail}).

${build ? `## Build

One whole \`newsstand build\` process over ${fmt.n(build.posts)} of the posts the first sync wrote (bundled theme, empty Hexo cache):

${buildTable(build)}

` : ''}## Targets

${targetLines(phases, options).join('\n')}
${checks.length ? `\n## Checks that did not hold\n\n${checks.map((c) => `- ${c}`).join('\n')}\n` : ''}`;
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const options = parseOptions();
  const info = machine();
  if (!existsSync(options.bin)) fail(`${options.bin} does not exist`);
  if (options.bin === join(REPO, 'bin', 'newsstand.js') && !existsSync(join(REPO, 'dist', 'cli', 'main.js'))) {
    fail('dist/ is missing: run `npm run build` first');
  }

  const tmp = mkdtempSync(join(os.tmpdir(), 'newsstand-bench-'));
  const server = new FeedServer();
  // Whatever happens, nothing outlives the benchmark: a watchdog ends it after every phase's limit plus slack.
  const watchdog = setTimeout(() => {
    process.stderr.write('bench: watchdog: the benchmark ran far past its limits; stopping\n');
    server.close().finally(() => process.exit(1));
  }, options.timeoutMs * 4 + 10 * 60_000);
  watchdog.unref();

  let crashed = false;
  try {
    console.log(`newsstand benchmark — ${options.feeds} feeds × ${options.items} items, seed ${options.seed}`);
    console.log(`machine: ${info.cpu}, ${info.cores} cores, ${info.memoryGB.toFixed(1)} GB, Node ${info.node}, load ${info.load.toFixed(2)}`);
    console.log(`work dir: ${tmp}${options.keep ? ' (kept)' : ''}`);

    // 0. Does the CLI have what the benchmark uses, and does the RSS probe work?
    const help = await runMeasured([options.bin, 'sync', '--help'], { timeoutMs: 60_000, cwd: tmp, rssFile: join(tmp, 'help.rss.json') });
    if (help.code !== 0) throw new Error(`\`newsstand sync --help\` failed (exit ${help.code ?? help.signal}):\n${help.stderr.trim()}`);
    if (options.all && !/--all\b/.test(help.stdout)) {
      throw new Error('this build of newsstand has no `sync --all` (run `npm run build`; --no-all benchmarks an older build)');
    }
    const rssCheck = await calibrateRss(tmp);
    console.log(`RSS probe: ${rssCheck.ok ? 'ok' : 'NOT VERIFIED'} — ${rssCheck.detail}`);

    // 1. Inputs.
    const generated = performance.now();
    const now = Date.now();
    const inputsDir = join(tmp, 'inputs', 'feeds');
    mkdirSync(inputsDir, { recursive: true });
    const feeds = [];
    let inputBytes = 0;
    for (let n = 1; n <= options.feeds; n++) {
      const feed = describeFeed(options.seed, n);
      const items = generateItems(options.seed, feed, options.items, now);
      const xml = renderFeed(feed, items);
      writeFileSync(join(inputsDir, `${n}.xml`), xml);
      server.setFeed(n, xml, Math.max(...items.map((i) => i.publishedMs)));
      inputBytes += Buffer.byteLength(xml);
      feeds.push({ ...feed, items });
    }
    console.log(`inputs: ${(inputBytes / MB).toFixed(1)} MB of RSS in ${((performance.now() - generated) / 1000).toFixed(1)} s (${inputsDir})`);

    // 2. Server and site.
    await server.listen();
    const siteDir = join(tmp, 'site');
    const config = writeSite(siteDir, server, feeds);
    const postsDir = join(siteDir, 'source', '_posts');
    console.log(`server: http://127.0.0.1:${server.port}/feeds/<n>.xml; site: ${siteDir}\n`);

    // 3. Phases.
    const syncArgs = [options.bin, 'sync', ...(options.all ? ['--all'] : []), '--quiet', '--config', config];
    const phases = [];
    const checks = [];
    const runPhase = async (key, label) => {
      server.takeStats();
      const startedMs = Date.now();
      process.stdout.write(`${label}… `);
      const run = await runMeasured(syncArgs, { timeoutMs: options.timeoutMs, cwd: siteDir, rssFile: join(tmp, `${key}.rss.json`) });
      const stats = server.takeStats();
      if (run.timedOut) throw new Error(`${label}: newsstand did not finish within ${options.timeoutMs / 1000} s (killed)`);
      if (run.code !== 0) {
        throw new Error([`${label}: newsstand exited ${run.code ?? run.signal}`, run.stdout.trim(), run.stderr.trim()].filter(Boolean).join('\n'));
      }
      const posts = listPosts(postsDir);
      const phase = {
        key,
        label,
        target: TARGETS[key],
        wallMs: run.wallMs,
        summary: parseSummary(run.stdout),
        files: posts.length,
        // mtimes are taken a millisecond early: a coarse filesystem clock must not hide a write
        filesWritten: posts.filter((p) => p.mtimeMs >= startedMs - 1).length,
        server: stats,
        rss: run.rss,
        stderr: run.stderr.trim(),
      };
      const written = (phase.summary.created ?? 0) + (phase.summary.updated ?? 0);
      phase.itemsPerSecond = key === 'first' ? written / (run.wallMs / 1000) : null;
      phases.push(phase);
      console.log(`${fmt.s(run.wallMs)} s, ${written} posts written, ${stats.requests} requests (${stats.ok}× 200, ${stats.notModified}× 304), peak RSS ${fmt.mb(run.rss?.maxRSSKB)} MB`);
      if (phase.summary.created === null) checks.push(`${label}: no \`Posts: …\` summary line in the output`);
      if (phase.summary.sourcesFailed) checks.push(`${label}: ${phase.summary.sourcesFailed} sources failed — ${firstLines(phase.stderr, 3)}`);
      if (!run.rss) checks.push(`${label}: the RSS probe wrote nothing`);
      return phase;
    };
    const expect = (label, what, actual, expected) => {
      if (actual !== expected) checks.push(`${label}: expected ${what} ${expected}, got ${actual}`);
    };

    const total = options.feeds * options.items;
    const a = await runPhase('first', '1. first sync');
    expect(a.label, 'new posts', a.summary.created, total);
    expect(a.label, 'post files', a.files, total);
    expect(a.label, 'HTTP 200s', a.server.ok, options.feeds);

    const b = await runPhase('unchanged', '2. all-304 sync');
    expect(b.label, 'posts written', (b.summary.created ?? 0) + (b.summary.updated ?? 0), 0);
    expect(b.label, 'post files written', b.filesWritten, 0);
    expect(b.label, 'HTTP 304s', b.server.notModified, options.feeds);
    expect(b.label, 'HTTP 200s', b.server.ok, 0);

    // Bump: one new item at the top of `bump` feeds spread over the list; new body, new ETag, new Last-Modified.
    const bumped = [];
    for (let i = 0; i < options.bump; i++) bumped.push(1 + Math.floor((i * options.feeds) / options.bump));
    const bumpRandom = new Random(options.seed ^ 0x5eed);
    for (const n of bumped) {
      const feed = feeds[n - 1];
      const publishedMs = Date.now() - 60_000;
      feed.items = [generateItem(bumpRandom, feed, options.items + 1, publishedMs), ...feed.items];
      const xml = renderFeed(feed, feed.items);
      writeFileSync(join(inputsDir, `${n}.xml`), xml);
      server.setFeed(n, xml, Date.now());
    }
    const c = await runPhase('bumped', `3. sync after ${options.bump} new items`);
    c.target = { ...TARGETS.bumped, label: `sync with ${options.bump} new items` };
    expect(c.label, 'new posts', c.summary.created, options.bump);
    expect(c.label, 'updated posts', c.summary.updated, 0);
    expect(c.label, 'post files written', c.filesWritten, options.bump);
    expect(c.label, 'HTTP 200s', c.server.ok, options.bump);
    expect(c.label, 'HTTP 304s', c.server.notModified, options.feeds - options.bump);

    // 4. Build: a site of the first synced posts, rendered by one whole `newsstand build` process.
    const build = options.buildPosts > 0 ? await runBuild({ options, tmp, postsDir, checks }) : null;

    // 5. Report.
    console.log(`\n${table(phases)}\n`);
    if (build) console.log(`${buildTable(build)}\n`);
    for (const line of targetLines(phases, options)) console.log(line);
    if (checks.length) {
      console.log('\nchecks that did not hold:');
      for (const check of checks) console.log(`  ⚠ ${check}`);
    }
    if (options.write) {
      const file = join(REPO, 'BENCHMARKS.md');
      writeFileSync(file, benchmarksMarkdown({ info, options, inputs: { bytes: inputBytes }, phases, build, checks, rssCheck }));
      console.log(`\nwrote ${file}`);
    } else {
      console.log(`\nBENCHMARKS.md not written (${options.defaultSize ? '--no-write' : 'not the default size; add --write to write it anyway'})`);
    }
  } catch (error) {
    crashed = true;
    process.stdout.write('\n');
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  } finally {
    await server.close();
    clearTimeout(watchdog);
    if (options.keep) console.log(`kept: ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  process.exitCode = crashed ? 1 : 0;
}

/** Copies the first `options.buildPosts` posts into a fresh site and times `newsstand build` over them. */
async function runBuild({ options, tmp, postsDir, checks }) {
  const label = `4. build of ${fmt.n(options.buildPosts)} posts`;
  process.stdout.write(`${label}… `);
  const siteDir = join(tmp, 'build-site');
  const buildPostsDir = join(siteDir, 'source', '_posts');
  mkdirSync(buildPostsDir, { recursive: true });
  copyFileSync(join(REPO, 'templates', 'site', '_config.yml'), join(siteDir, '_config.yml'));
  const config = join(siteDir, 'newsstand.yml');
  writeFileSync(config, 'site:\n  root: .\nsources: []\n');
  const names = listPosts(postsDir).map((post) => post.path).sort().slice(0, options.buildPosts);
  for (const path of names) copyFileSync(path, join(buildPostsDir, path.slice(path.lastIndexOf('/') + 1)));
  const run = await runMeasured([options.bin, 'build', '--config', config], { timeoutMs: options.timeoutMs * 4, cwd: siteDir, rssFile: join(tmp, 'build.rss.json') });
  if (run.timedOut) throw new Error(`${label}: newsstand did not finish within ${(options.timeoutMs * 4) / 1000} s (killed)`);
  if (run.code !== 0) throw new Error([`${label}: newsstand exited ${run.code ?? run.signal}`, run.stdout.trim(), run.stderr.trim()].filter(Boolean).join('\n'));
  const files = /(\d+) files/.exec(run.stdout);
  if (!files) checks.push(`${label}: no \`Built the site …: N files\` line in the output`);
  if (!run.rss) checks.push(`${label}: the RSS probe wrote nothing`);
  const result = { label, posts: names.length, wallMs: run.wallMs, files: files ? Number(files[1]) : null, rss: run.rss };
  console.log(`${fmt.s(run.wallMs)} s, ${fmt.n(result.files)} files, peak RSS ${fmt.mb(run.rss?.maxRSSKB)} MB`);
  return result;
}

function buildTable(build) {
  const header = ['phase', 'posts', 'wall (s)', 'posts/s', 'files written', 'peak RSS (MB)'];
  const row = [build.label, fmt.n(build.posts), fmt.s(build.wallMs), fmt.n(Math.round(build.posts / (build.wallMs / 1000))), fmt.n(build.files), fmt.mb(build.rss?.maxRSSKB)];
  const widths = header.map((h, i) => Math.max(h.length, row[i].length));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, line(row)].join('\n');
}

function firstLines(text, count) {
  const lines = text.split('\n').filter(Boolean);
  return lines.slice(0, count).join(' | ') + (lines.length > count ? ` (+${lines.length - count} more)` : '');
}

await main();
