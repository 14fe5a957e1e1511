#!/usr/bin/env node
// Reads a V8 .cpuprofile (from `node --cpu-prof`) and lists where the time went, by self time:
// the top functions (name, file:line) and the top files.
//
//   node bench/top-functions.mjs <file.cpuprofile> [--top N]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REPO } from './child.mjs';

/** A profile URL as a short path: relative to this repository, or from node_modules/ on. */
function shortPath(url) {
  if (!url) return '';
  let path = url.startsWith('file://') ? fileURLToPath(url) : url;
  // newsstand build exposes its bundled theme inside the site as .newsstand/hexo/hexo-theme-<name>
  const exposedTheme = /\/\.newsstand\/hexo\/hexo-theme-([^/]+)\//.exec(path);
  if (exposedTheme) return `themes/${exposedTheme[1]}/${path.slice(exposedTheme.index + exposedTheme[0].length)}`;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + 1);
  if (path.startsWith(`${REPO}/`)) path = path.slice(REPO.length + 1);
  return path;
}

/**
 * Self time per function and per file. A function appears once per call path in the profile's tree, so the
 * nodes are summed by (name, url, line). Each sample's time is the delta to the next sample.
 */
export function summarizeProfile(profile, { top = 15 } = {}) {
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map(); // node id → µs
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) {
    const delta = timeDeltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, delta));
  }
  const byFunction = new Map();
  const byFile = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodeById.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    const file = shortPath(frame.url);
    const name = frame.functionName || (file ? '(anonymous)' : '(native)');
    const where = file ? `${file}:${frame.lineNumber + 1}` : '';
    const key = `${name}\u0000${where}`;
    const fn = byFunction.get(key) ?? { name, where, us: 0 };
    fn.us += us;
    byFunction.set(key, fn);
    const fileKey = file || name; // (garbage collector), (program), (idle) stand for themselves
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + us);
  }
  const functions = [...byFunction.values()].sort((a, b) => b.us - a.us).slice(0, top);
  const files = [...byFile.entries()]
    .map(([file, us]) => ({ file, us }))
    .sort((a, b) => b.us - a.us)
    .slice(0, top);
  return { totalMs: totalUs / 1000, functions, files };
}

function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The summary as two Markdown tables (functions, files). */
export function profileTables(summary) {
  const share = (us) => `${((us / 1000 / summary.totalMs) * 100).toFixed(1)}%`;
  const ms = (us) => (us / 1000).toFixed(0);
  return {
    functionsTable: markdownTable(
      ['#', 'self ms', 'share', 'function', 'where'],
      summary.functions.map((f, i) => [String(i + 1), ms(f.us), share(f.us), `\`${f.name}\``, f.where ? `\`${f.where}\`` : '']),
    ),
    filesTable: markdownTable(
      ['#', 'self ms', 'share', 'file'],
      summary.files.map((f, i) => [String(i + 1), ms(f.us), share(f.us), `\`${f.file}\``]),
    ),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const file = args.find((arg) => !arg.startsWith('--'));
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 15;
  if (!file || !Number.isInteger(top) || top < 1) {
    process.stderr.write('usage: node bench/top-functions.mjs <file.cpuprofile> [--top N]\n');
    process.exit(2);
  }
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), { top });
  const tables = profileTables(summary);
  process.stdout.write(
    `${(summary.totalMs / 1000).toFixed(1)} s sampled\n\nTop functions by self time:\n\n${tables.functionsTable}\n\nTop files by self time:\n\n${tables.filesTable}\n`,
  );
}
