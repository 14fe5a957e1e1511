#!/usr/bin/env node
// newsstand benchmark (issues 7 and 19): five parts in one run, one table, BENCHMARKS.md.
//   1. pipeline    — one 2,000-item RSS file: newsstand vs the feedsmith floor vs hexo-migrator-rss (parts/pipeline.mjs)
//   2. resync      — the same sync again on the unchanged file (parts/pipeline.mjs)
//   3. feeds       — 1,000 feeds from a loopback server: first, all-304 and bumped syncs (parts/feeds.mjs)
//   4. build       — newsstand build vs Hugo and plain hexo generate, 1,000 to 100,000 posts (parts/build.mjs)
//   5. incremental — one new post on a 20,000-post site: cold `run`, idle `run`, inside `watch` (parts/incremental.mjs)
// See bench/README.md. Exits non-zero only when something crashed, never because a target was missed.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO, calibrateRss } from './child.mjs';
import { runBuildPart } from './parts/build.mjs';
import { DEFAULT_INCREMENTAL_POSTS, runIncrementalPart } from './parts/incremental.mjs';
import { DEFAULT_FEEDS, DEFAULT_ITEMS, runFeedsPart } from './parts/feeds.mjs';
import { runPipelineParts } from './parts/pipeline.mjs';
import { benchmarksMarkdown, fmt, machine, renderTable, targetLines } from './report.mjs';

const ALL_PARTS = ['pipeline', 'resync', 'feeds', 'build', 'incremental'];
const DEFAULT_PIPELINE_ITEMS = 2000;
const DEFAULT_BUILD_SIZES = [1000, 5000, 20000, 50000, 100000];

const USAGE = `Usage: node bench/run.mjs [options]     (npm run bench -- [options])

  --parts LIST        parts to run, comma-separated: ${ALL_PARTS.join(',')} (default: all)
  --pipeline-items N  items in the pipeline's RSS file (parts 1–2; default ${DEFAULT_PIPELINE_ITEMS})
  --repeat R          runs of each fast process of parts 1–2 (newsstand sync, floor, re-sync); the median
                      wall time and the highest peak RSS count (default 5; the peer runs once)
  --feeds N           feeds of part 3 (default ${DEFAULT_FEEDS})
  --items M           items per feed of part 3 (default ${DEFAULT_ITEMS})
  --bump K            feeds that gain one new item before part 3's third sync (default 10, at most N)
  --build-sizes LIST  post counts of the build curve (part 4; default ${DEFAULT_BUILD_SIZES.join(',')}); above
                      20,000 newsstand builds with --max-old-space-size=1736 and plain Hexo is skipped; the
                      largest size is built twice (the rebuild); Hugo builds each size when \`hugo\` is on PATH
  --build-repeat R    builds of newsstand and of Hugo at the gate's size, 20,000 posts, in turn (part 4); the
                      median wall times and the highest peak RSS count (default 3)
  --build-posts P     one build size (the older option; 0 skips part 4)
  --incremental-posts N  posts of part 5's site (default ${DEFAULT_INCREMENTAL_POSTS})
  --profile-build     also run \`newsstand build\` of the largest size up to 20,000 under node --cpu-prof and
                      summarize it
  --seed S            PRNG seed (default 20240601)
  --timeout SEC       limit for each sync process (default 300); builds, runs that build and the peer
                      get 4× that
  --keep              keep the generated inputs, sites and profile (under the OS temp directory)
  --write             write BENCHMARKS.md even for a partial or non-default run
  --no-write          never write BENCHMARKS.md
  --bin FILE          the newsstand entry point to run (default bin/newsstand.js of this repository)
  --no-all            run \`sync\` without --all (only for builds before \`sync --all\` existed)
  -h, --help          this text`;

function usageError(message) {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        parts: { type: 'string' },
        'pipeline-items': { type: 'string' },
        repeat: { type: 'string' },
        'build-repeat': { type: 'string' },
        feeds: { type: 'string' },
        items: { type: 'string' },
        bump: { type: 'string' },
        'build-sizes': { type: 'string' },
        'build-posts': { type: 'string' },
        'incremental-posts': { type: 'string' },
        'profile-build': { type: 'boolean', default: false },
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
    usageError(error.message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const whole = (name, raw, min) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) usageError(`--${name} wants whole numbers ≥ ${min}, not ${JSON.stringify(raw)}`);
    return value;
  };
  const int = (name, fallback, min) => (values[name] === undefined ? fallback : whole(name, values[name], min));

  let parts = ALL_PARTS;
  if (values.parts !== undefined) {
    parts = values.parts
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const unknown = parts.filter((p) => !ALL_PARTS.includes(p));
    if (unknown.length || !parts.length) usageError(`--parts takes some of ${ALL_PARTS.join(', ')}, not ${JSON.stringify(values.parts)}`);
  }
  let buildSizes = DEFAULT_BUILD_SIZES;
  if (values['build-sizes'] !== undefined) buildSizes = values['build-sizes'].split(',').map((s) => whole('build-sizes', s.trim(), 1));
  if (values['build-posts'] !== undefined) {
    const posts = whole('build-posts', values['build-posts'], 0);
    buildSizes = posts ? [posts] : [];
  }
  if (!buildSizes.length) parts = parts.filter((p) => p !== 'build');
  if (!parts.length) usageError('nothing to run');

  const feeds = int('feeds', DEFAULT_FEEDS, 1);
  const items = int('items', DEFAULT_ITEMS, 1);
  const pipelineItems = int('pipeline-items', DEFAULT_PIPELINE_ITEMS, 1);
  const incrementalPosts = int('incremental-posts', DEFAULT_INCREMENTAL_POSTS, 1);
  // The targets are stated for the default inputs of every part; only such a run rewrites BENCHMARKS.md by itself.
  const defaultRun =
    ALL_PARTS.every((p) => parts.includes(p)) &&
    feeds === DEFAULT_FEEDS &&
    items === DEFAULT_ITEMS &&
    pipelineItems === DEFAULT_PIPELINE_ITEMS &&
    incrementalPosts === DEFAULT_INCREMENTAL_POSTS &&
    buildSizes.join() === DEFAULT_BUILD_SIZES.join();
  return {
    parts,
    pipelineItems,
    repeat: int('repeat', 5, 1),
    buildRepeat: int('build-repeat', 3, 1),
    feeds,
    items,
    bump: Math.min(feeds, int('bump', 10, 1)),
    buildSizes: [...new Set(buildSizes)].sort((a, b) => a - b),
    incrementalPosts,
    profileBuild: values['profile-build'],
    seed: int('seed', 20240601, 0),
    timeoutMs: int('timeout', 300, 1) * 1000,
    keep: values.keep,
    write: !values['no-write'] && (defaultRun || values.write),
    defaultRun,
    bin: resolve(values.bin ?? join(REPO, 'bin', 'newsstand.js')),
    all: !values['no-all'],
  };
}

/** Every child's limit, added up, plus slack: beyond that something hangs that the per-process limits missed. */
function watchdogMs(options) {
  let limits = 0;
  if (options.parts.includes('pipeline') || options.parts.includes('resync')) limits += options.timeoutMs * (3 * options.repeat + 4); // syncs, floors, re-syncs, the peer (4×)
  if (options.parts.includes('feeds')) limits += options.timeoutMs * 3;
  // per size newsstand, Hugo and plain Hexo (4× each), the gate size's repeats, the rebuild of the largest, the profile (8×)
  if (options.parts.includes('build'))
    limits += options.timeoutMs * 4 * (options.buildSizes.length * 3 + 2 * (options.buildRepeat - 1) + 1 + (options.profileBuild ? 2 : 0));
  // the first run and the cold run (4× each, they build), the idle run (a minute), watch (1× + 4× + a minute)
  if (options.parts.includes('incremental')) limits += options.timeoutMs * 13 + 2 * 60_000;
  return limits + 10 * 60_000;
}

async function main() {
  const options = parseOptions();
  const info = machine();
  if (!existsSync(options.bin)) {
    process.stderr.write(`bench: ${options.bin} does not exist\n`);
    process.exit(1);
  }
  if (options.bin === join(REPO, 'bin', 'newsstand.js') && !existsSync(join(REPO, 'dist', 'cli', 'main.js'))) {
    process.stderr.write('bench: dist/ is missing: run `npm run build` first\n');
    process.exit(1);
  }

  const tmp = mkdtempSync(join(os.tmpdir(), 'newsstand-bench-'));
  // Whatever happens, nothing outlives the benchmark: the parts close their servers in `finally`, and the
  // watchdog ends a run that went far past every limit.
  const watchdog = setTimeout(() => {
    process.stderr.write('bench: watchdog: the benchmark ran far past its limits; stopping\n');
    process.exit(1);
  }, watchdogMs(options));
  watchdog.unref();

  const log = (text, newline = true) => process.stdout.write(newline ? `${text}\n` : text);
  let crashed = false;
  try {
    log(`newsstand benchmark — parts ${options.parts.join(', ')}; seed ${options.seed}`);
    log(
      `machine: ${info.cpu}, ${info.cores} cores, ${info.memoryGB.toFixed(1)} GB, Node ${info.node}, load ${info.load.toFixed(2)}${info.openFiles ? `, open files ${info.openFiles}` : ''}`,
    );
    log(`work dir: ${tmp}${options.keep ? ' (kept)' : ''}`);
    const rssCheck = await calibrateRss(tmp);
    log(`RSS probe: ${rssCheck.ok ? 'ok' : 'NOT VERIFIED'} — ${rssCheck.detail}\n`);

    const rows = [];
    const targets = [];
    const checks = [];
    const inputs = {};
    const context = { options, tmp, checks, targets, log };
    let profile = null;
    if (options.parts.includes('pipeline') || options.parts.includes('resync')) {
      const result = await runPipelineParts(context);
      rows.push(...result.rows);
      inputs.pipeline = result.input;
    }
    if (options.parts.includes('feeds')) {
      const result = await runFeedsPart(context);
      rows.push(...result.rows);
      inputs.feeds = result.input;
    }
    if (options.parts.includes('build')) {
      const result = await runBuildPart(context);
      rows.push(...result.rows);
      inputs.build = result.input;
      profile = result.profile;
    }
    if (options.parts.includes('incremental')) {
      const result = await runIncrementalPart(context);
      rows.push(...result.rows);
      inputs.incremental = result.input;
    }

    log(`\n${renderTable(rows)}\n`);
    for (const line of targetLines(targets)) log(line);
    if (checks.length) {
      log('\nchecks that did not hold:');
      for (const check of checks) log(`  ⚠ ${check}`);
    }
    if (profile)
      log(
        `\nnewsstand build of ${fmt.n(profile.posts)} posts, top functions by self time:\n\n${profile.functionsTable}\n\n${profile.filesTable}`,
      );
    if (options.write) {
      const file = join(REPO, 'BENCHMARKS.md');
      writeFileSync(file, benchmarksMarkdown({ info, options, inputs, rows, targets, checks, rssCheck, profile }));
      log(`\nwrote ${file}`);
    } else {
      log(`\nBENCHMARKS.md not written (${options.defaultRun ? '--no-write' : 'not the default run; add --write to write it anyway'})`);
    }
  } catch (error) {
    crashed = true;
    process.stdout.write('\n');
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  } finally {
    clearTimeout(watchdog);
    if (options.keep) log(`kept: ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  process.exitCode = crashed ? 1 : 0;
}

await main();
