// The benchmark's output: the machine it ran on, one table of every measurement, the targets, and
// BENCHMARKS.md (generated parts around the hand-written notes in bench/BENCHMARKS.notes.md).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { BENCH_DIR, REPO } from './child.mjs';

export const NOTES_FILE = join(BENCH_DIR, 'BENCHMARKS.notes.md');

export function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) cpu = match[1].trim();
  } catch {
    // not Linux
  }
  let commit = 'unknown';
  try {
    const git = (...args) => execFileSync('git', ['-C', REPO, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    commit = git('rev-parse', '--short', 'HEAD');
    if (git('status', '--porcelain', '--', 'src', 'bin', 'themes', 'package.json')) commit += ' (with uncommitted changes)';
  } catch {
    // not a git checkout
  }
  // Hexo opens every post file at once while loading: above this many posts a build can fail with EMFILE.
  let openFiles = null;
  try {
    openFiles = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.slice(1, 3).join(' / ') ?? null;
  } catch {
    // not Linux
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    openFiles,
    memoryGB: os.totalmem() / 1024 ** 3,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    heapLimitMB: v8.getHeapStatistics().heap_size_limit / 1024 / 1024,
    date: new Date().toISOString(),
    commit,
    load: os.loadavg()[0],
  };
}

export const fmt = {
  s: (ms) => (ms === null || ms === undefined ? '—' : (ms / 1000).toFixed(2)),
  mb: (kb) => (kb === null || kb === undefined ? 'n/a' : (kb / 1024).toFixed(0)),
  n: (v) => (v === null || v === undefined ? '—' : v.toLocaleString('en-US')),
  x: (ratio) => (Number.isFinite(ratio) ? `${ratio.toFixed(ratio < 10 ? 2 : 1)}×` : '?'),
  pct: (ratio) => (Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)}%` : '?'),
  met: (met) => (met === null || met === undefined ? '' : met ? 'yes' : 'NO'),
};

/**
 * A row of the one table. Every part returns rows of this shape:
 *   { part, what, wallMs, itemsPerSecond, rssKB, files, target, met, detail }
 * `target` says the limit in words ('' when the row is a reference, not a target); `met` is true, false or
 * null (no target, or not measurable).
 */
export function renderTable(rows) {
  const header = ['part', 'what', 'wall (s)', 'items/s', 'peak RSS (MB)', 'files written', 'target', 'met', 'detail'];
  const cells = rows.map((row) => [
    row.part,
    row.what,
    fmt.s(row.wallMs),
    row.itemsPerSecond === null || row.itemsPerSecond === undefined ? '—' : fmt.n(Math.round(row.itemsPerSecond)),
    fmt.mb(row.rssKB),
    fmt.n(row.files),
    row.target || '—',
    fmt.met(row.met),
    row.detail ?? '',
  ]);
  // Widths count characters, and CJK-free cells keep the columns aligned in a terminal.
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (values) => `| ${values.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

/** One line per target: `✅ pass — …` or `❌ fail — …`. */
export function targetLines(targets) {
  return targets.map((t) => `- ${t.met === null ? '❔ unknown' : t.met ? '✅ pass' : '❌ fail'} — ${t.label}: ${t.actual}`);
}

function notes() {
  return existsSync(NOTES_FILE) ? readFileSync(NOTES_FILE, 'utf8').trim() : '';
}

export function benchmarksMarkdown({ info, options, inputs, rows, targets, checks, rssCheck, profile }) {
  const parts = new Set(options.parts);
  const inputLines = [];
  if (inputs.pipeline) {
    inputLines.push(
      `- Parts 1–2: one RSS 2.0 file of ${fmt.n(inputs.pipeline.items)} items, ${(inputs.pipeline.bytes / 1024 / 1024).toFixed(1)} MB ` +
        `(${(inputs.pipeline.bytes / inputs.pipeline.items / 1024).toFixed(1)} KB per item: Chinese title, ~4 KB of HTML with 1–3 images, ` +
        `1–3 \`<category>\`, \`<dc:creator>\`), dated over the last 20 days; read by newsstand as a \`file:\` source with retention ` +
        '`{ maxAge: 3650d, maxItems: 5000 }` into an empty site.',
    );
  }
  if (inputs.feeds) {
    inputLines.push(
      `- Part 3: ${fmt.n(inputs.feeds.feeds)} RSS 2.0 feeds × ${inputs.feeds.items} items = ${fmt.n(inputs.feeds.feeds * inputs.feeds.items)} items, ` +
        `${(inputs.feeds.bytes / 1024 / 1024).toFixed(1)} MB of XML, served by a loopback HTTP server (keep-alive, strong ETag + ` +
        'Last-Modified, 304 on a match); sources `concurrency: 16`, `perHost: 16`, `timeout: 30s`, retention ' +
        `\`{ maxAge: 90d, maxItems: 500 }\`; the third sync follows ${inputs.feeds.bump} feeds gaining one item each.`,
    );
  }
  if (inputs.build) {
    const { build } = inputs;
    const large = build.sizes.filter((size) => size > build.largeAbove);
    inputLines.push(
      `- Part 4: ${build.sizes.map(fmt.n).join(', ')} posts in newsstand's post format (seed-style front matter, ` +
        `~4 KB HTML body), from ${build.sources} sources (categories group > site > channel: ${build.categories} distinct paths), ` +
        `dated over 90 days; site config \`templates/site/_config.yml\`. newsstand builds with its bundled theme; ` +
        (build.hugo
          ? `Hugo ${build.hugo} (\`hugo --quiet -d <out>\`, peak RSS by \`/usr/bin/time -f %M\`${build.timeProbe?.ok ? '' : ' — NOT verified'}) builds the same ` +
            '.md files with `bench/hugo-site/` (paginated lists of 20, a `categories` taxonomy, single pages, raw HTML passed through; no feeds, archives or search index); '
          : 'Hugo was not on PATH (no Hugo column); ') +
        `plain Hexo (\`bench/plain-hexo.mjs\`, the same Hexo and plugins, \`TZ\` set to the site's timezone) with \`landscape\` in \`themes/\`, up to ${fmt.n(build.largeAbove)} posts. ` +
        'Each build starts from a fresh copy of the posts (no `db.json`, no `public/`)' +
        (build.gateRepeats > 1
          ? `; at ${fmt.n(build.gatePosts)} posts newsstand and Hugo build ${build.gateRepeats} times each, in turn, and the medians count (peak RSS: the highest)`
          : '') +
        (large.length
          ? `; at ${large.map(fmt.n).join(', ')} posts newsstand builds with \`NODE_OPTIONS=--max-old-space-size=${build.heapLimitMB}\` (the default heap of a 7 GB CI runner; it reaches the Hexo worker too)`
          : '') +
        `; the ${fmt.n(Math.max(...build.sizes))}-post site is then rebuilt with everything kept (\`db.json\`, \`public/\`, newsstand's caches).`,
    );
  }
  if (inputs.incremental) {
    const { incremental } = inputs;
    inputLines.push(
      `- Part 5: a site of ${fmt.n(incremental.posts)} posts — ${fmt.n(incremental.generated)} generated as in part 4 and ${incremental.feedItems} ` +
        `published by newsstand from one \`file:\` source (an RSS file, \`interval: ${incremental.interval}\`), built once beforehand. ` +
        'Then one new item in the feed and one cold `newsstand run`; `run` again with nothing changed; and one new item while ' +
        "`newsstand watch --debounce 0` runs, timed from the feed's change until the post's page is in `public/` (polled every 20 ms).",
    );
  }
  const notesText = notes();
  return `# Benchmarks

Written by \`npm run bench\` ([bench/run.mjs](bench/run.mjs); what it measures: [bench/README.md](bench/README.md)); the
section "Where the time goes" is hand-written in [bench/BENCHMARKS.notes.md](bench/BENCHMARKS.notes.md).
Every measurement is one whole process, start-up included, started after \`sync\` flushed the disk; peak RSS is
the process's own high-water mark (\`VmHWM\` at exit, else \`process.resourceUsage().maxRSS\`, which also counts its parent's memory at the fork: see
bench/README.md; ${rssCheck.ok ? 'probe verified' : 'probe NOT verified'}: ${rssCheck.detail}) plus the
highest of the Node processes it forked (newsstand's Hexo worker, where a build's memory is, with the helper
process it runs beside it for a large full build added); Hugo's is GNU time's \`%M\`.

## Machine

- CPU: ${info.cpu} — ${info.cores} cores available (\`os.availableParallelism()\`)
- Memory: ${info.memoryGB.toFixed(1)} GB; V8 heap limit ${info.heapLimitMB.toFixed(0)} MB (the default, for every child but part 4's builds above ${fmt.n(inputs.build?.largeAbove ?? 20000)} posts); 1-minute load average at the start: ${info.load.toFixed(2)}
- OS: ${info.platform}${info.openFiles ? `; open files limit (soft / hard): ${info.openFiles}` : ''}
- Node.js: ${info.node}
- Date: ${info.date}
- newsstand: commit ${info.commit}
- Parts run: ${[...parts].join(', ')}; seed ${options.seed}

## Inputs

${inputLines.join('\n')}

## Results

${renderTable(rows)}

- items/s: items (parts 1–3) or posts (part 4) per second of wall time.
- files written: post files written (parts 1–3: by modification time in the run; the peer: files in its
  \`_posts\`), files Hexo generated or files in Hugo's output (part 4), files under \`public/\` modified in the
  run (part 5).
- part 5's watch row: its wall time is the latency from the feed's change to the page, not a process's life;
  its peak RSS is the watch's over its whole life.

## Targets

${targetLines(targets).join('\n')}
${checks.length ? `\n## Checks that did not hold\n\n${checks.map((c) => `- ${c}`).join('\n')}\n` : ''}${
  profile
    ? `
## Profile of \`newsstand build\` at ${fmt.n(profile.posts)} posts (generated)

One extra \`node --cpu-prof bin/newsstand.js build\` run (${fmt.s(profile.wallMs)} s under the profiler;
${profile.totalSeconds.toFixed(1)} s sampled). Top functions by self time:

${profile.functionsTable}

By file (self time):

${profile.filesTable}
`
    : ''
}${notesText ? `\n${notesText}\n` : ''}`;
}
