#!/usr/bin/env node
// Search index benchmark: what the bundled theme's search (themes/newsstand/scripts/search.js) weighs and
// costs for a large site, and what a query reads of it. Standalone (not in `npm run bench`'s default run):
//
//   npm run build && node bench/parts/search.mjs                       # 20,000 posts
//   node bench/parts/search.mjs --posts 2000 --pagefind PATH/TO/pagefind  # also Pagefind over the same site
//
// 1. Generates posts in newsstand's format (bench/generate.mjs, as part 4 does) and runs `newsstand build`.
// 2. Measures the index files: raw bytes and gzip (level 6, what static hosts serve), largest file.
// 3. Builds the index again alone, from the documents read back, in a process of its own: time and peak RSS.
// 4. Opens /search/?q=… in Chromium for a set of queries and adds up the index files each one fetched.
// 5. With --pagefind BIN: runs Pagefind over the same site (post pages only, article.post as the root) and
//    asks it the same queries through its JS API.
// Prints tables; nothing leaves the machine (the site is served on 127.0.0.1).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import { extname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { REPO, requireSuccess, runMeasured } from '../child.mjs';
import { generatePosts } from '../generate.mjs';
import { fmt } from '../report.mjs';

const SELF = fileURLToPath(import.meta.url);
const THEME = join(REPO, 'themes', 'newsstand');
const POSTS_NOW = Date.UTC(2025, 11, 31, 12, 0, 0);
const SOURCES = 24;

/** Queries over the generator's vocabulary: common and rare words, one character, traditional, full width, two terms. */
export const QUERIES = ['人工智能', '国家统计局', '國家統計局', '芯', '５Ｇ网络', '新能源汽车 上海', '量子计算 突破', '王子涵'];

/** search-core.js as the browser evaluates it (a plain script, not a module). */
function evaluate(file, extra = {}) {
  const module = { exports: {} };
  const names = ['module', 'exports', ...Object.keys(extra)];
  vm.runInThisContext(`(function (${names.join(', ')}) {${readFileSync(file, 'utf8')}\n})`, { filename: file })(
    module,
    module.exports,
    ...Object.values(extra),
  );
  return module.exports;
}

// ── child mode: build the index alone from the documents of a built site ─────────────────────────────────────

/** Every post of a built site as the index holds it: document shards are arrays of [id, ...document]. */
function readDocuments(searchDir, manifest) {
  const docs = [];
  for (let n = 0; n < manifest.documentShards; n++)
    for (const [, ...doc] of JSON.parse(readFileSync(join(searchDir, 'd', `${n}.json`), 'utf8'))) docs.push(doc);
  return docs;
}

async function childIndex(searchDir) {
  const manifest = JSON.parse(readFileSync(join(searchDir, '..', 'search.json'), 'utf8'));
  const docs = readDocuments(searchDir, manifest);
  const { SearchIndex } = createRequire(SELF)(join(THEME, 'lib', 'search-index.js'));
  const started = performance.now();
  const index = new SearchIndex();
  for (const doc of docs) index.put(doc[1], doc); // keyed by URL, as scripts/search.js keys them
  let bytes = 0;
  let same = false;
  for (const file of index.files()) {
    bytes += Buffer.byteLength(file.data); // what writing them costs
    if (file.path === 'search.json') same = JSON.parse(file.data).version === manifest.version;
  }
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ ms, posts: docs.length, same, bytes })}\n`);
}

// ── files ────────────────────────────────────────────────────────────────────────────────────────────────────

function sizes(files) {
  let raw = 0;
  let gzip = 0;
  let largest = 0;
  let largestGzip = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    const packed = gzipSync(bytes, { level: 6 }).length;
    raw += bytes.length;
    gzip += packed;
    largest = Math.max(largest, bytes.length);
    largestGzip = Math.max(largestGzip, packed);
  }
  return { files: files.length, raw, gzip, largest, largestGzip };
}

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const kb = (bytes) => (bytes / 1024).toFixed(1);
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(2);

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (values) => `| ${values.map((value, i) => String(value).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

// ── serving and querying in Chromium ─────────────────────────────────────────────────────────────────────────

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
};

function serve(root) {
  const server = createServer((request, response) => {
    let path = join(root, decodeURIComponent(new URL(request.url, 'http://localhost').pathname));
    if (!path.startsWith(root)) path = root;
    try {
      if (statSync(path).isDirectory()) path = join(path, 'index.html');
      const body = readFileSync(path);
      response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) }),
    ),
  );
}

/**
 * The Chromium the browser tests use (test/helpers/browser.ts): CHROMIUM_PATH, else Debian's, else the one
 * those tests unpacked from @sparticuz/chromium into node_modules/.cache (run a browser test once to unpack it).
 */
function chromiumToLaunch() {
  if (process.env.CHROMIUM_PATH) return { executablePath: process.env.CHROMIUM_PATH };
  if (existsSync('/usr/bin/chromium')) return { executablePath: '/usr/bin/chromium' };
  const cache = join(REPO, 'node_modules', '.cache', 'newsstand-chromium');
  const dir = existsSync(cache) ? readdirSync(cache).find((name) => /^chromium-[^.]+.*\+noto-sans-sc-[\d.]+$/.test(name)) : undefined;
  if (!dir)
    throw new Error("no Chromium: set CHROMIUM_PATH, install Debian's chromium, or run `npx vitest run test/search-e2e.test.ts` once");
  const root = join(cache, dir);
  return {
    executablePath: join(root, 'chromium'),
    env: {
      ...process.env,
      LD_LIBRARY_PATH: [join(root, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_FILE: join(root, 'fonts.conf'),
    },
  };
}

async function withBrowser(task) {
  const { chromium } = createRequire(join(REPO, 'package.json'))('playwright-core');
  const browser = await chromium.launch({ ...chromiumToLaunch(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    return await task(browser);
  } finally {
    await browser.close();
  }
}

/**
 * Runs `ask(page, query)` for each query in a fresh page (an empty cache) and records the files under
 * `prefix` it fetched: count, raw bytes (from disk), gzip (level 6 of each; `pregzipped` files count as they are).
 */
async function measureQueries(browser, site, root, prefix, queries, ask, { pregzipped = () => false } = {}) {
  const rows = [];
  for (const query of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route('**/*', (route) => (route.request().url().startsWith(site.origin) ? route.continue() : route.abort()));
    const fetched = new Set();
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith(prefix)) fetched.add(path);
    });
    const started = performance.now();
    const results = await ask(page, query);
    const ms = performance.now() - started;
    let raw = 0;
    let gzip = 0;
    for (const path of fetched) {
      const file = join(root, decodeURIComponent(path));
      if (!existsSync(file) || statSync(file).isDirectory()) continue;
      const bytes = readFileSync(file);
      raw += bytes.length;
      gzip += pregzipped(path) ? bytes.length : gzipSync(bytes, { level: 6 }).length;
    }
    rows.push({ query, results, files: fetched.size, raw, gzip, ms });
    await context.close();
  }
  return rows;
}

async function askNewsstand(page, site, query) {
  await page.goto(`${site.origin}/search/?q=${encodeURIComponent(query)}`);
  await page.waitForSelector('#search-results[aria-busy="false"]', { state: 'attached', timeout: 120_000 });
  return page.$eval('#search-status', (status) => status.textContent ?? '');
}

async function askPagefind(page, site, query) {
  await page.goto(`${site.origin}/search/`);
  return page.evaluate(async (q) => {
    const pagefind = await import('/pagefind/pagefind.js');
    const search = await pagefind.search(q);
    await Promise.all(search.results.slice(0, 20).map((result) => result.data())); // a page of results, as a UI shows
    return `${search.results.length} results`;
  }, query);
}

// ── the benchmark ────────────────────────────────────────────────────────────────────────────────────────────

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, ms: performance.now() - started }));
  });
}

export async function runSearchBench({ posts, seed, pagefind, browser: useBrowser, tmp, log, timeoutMs }) {
  const siteDir = join(tmp, `search-${posts}`);
  const postsDir = join(siteDir, 'source', '_posts');
  mkdirSync(postsDir, { recursive: true });
  for (const post of generatePosts(seed, posts, POSTS_NOW, { sources: SOURCES })) writeFileSync(join(postsDir, post.name), post.text);
  copyFileSync(join(REPO, 'templates', 'site', '_config.yml'), join(siteDir, '_config.yml'));
  const config = join(siteDir, 'newsstand.yml');
  writeFileSync(config, '# Generated by bench/parts/search.mjs\nsite:\n  root: .\nsources: []\n');

  log(`newsstand build, ${fmt.n(posts)} posts… `, false);
  // (Its peak RSS would be newsstand's own, not the Hexo process it forks: the index's memory is measured
  // below, on its own.)
  const build = await runMeasured([join(REPO, 'bin', 'newsstand.js'), 'build', '--config', config], {
    timeoutMs,
    cwd: siteDir,
    rssFile: join(tmp, 'search-build.rss.json'),
  });
  requireSuccess(build, `newsstand build of ${posts} posts`, timeoutMs);
  log(`${fmt.s(build.wallMs)} s`);
  const publicDir = join(siteDir, 'public');

  const manifestFile = join(publicDir, 'search.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  const parts = {
    manifest: sizes([manifestFile]),
    postings: sizes(filesUnder(join(publicDir, 'search', 'p'))),
    documents: sizes(filesUnder(join(publicDir, 'search', 'd'))),
    scripts: sizes(['search-fold-table.js', 'search-core.js', 'search.js'].map((name) => join(publicDir, 'js', name))),
  };
  const total = ['manifest', 'postings', 'documents'].reduce(
    (sum, name) => ({ raw: sum.raw + parts[name].raw, gzip: sum.gzip + parts[name].gzip, files: sum.files + parts[name].files }),
    { raw: 0, gzip: 0, files: 0 },
  );
  const siteBytes = filesUnder(publicDir).reduce((sum, file) => sum + statSync(file).size, 0);

  log('index built alone, from the documents… ', false);
  const alone = await runMeasured([SELF, '--child-index', join(publicDir, 'search')], {
    timeoutMs,
    cwd: siteDir,
    rssFile: join(tmp, 'search-index.rss.json'),
  });
  requireSuccess(alone, 'index build', timeoutMs);
  const child = JSON.parse(alone.stdout.trim().split('\n').pop());
  log(`${fmt.s(child.ms)} s in-process (${fmt.s(alone.wallMs)} s with start-up), peak RSS ${fmt.mb(alone.rss?.maxRSSKB)} MB`);

  const sizeRows = [
    ['manifest (search.json), read first', 1, kb(parts.manifest.raw) + ' KB', kb(parts.manifest.gzip) + ' KB', JSON.stringify(manifest)],
    [
      'posting shards (search/p/)',
      parts.postings.files,
      mb(parts.postings.raw) + ' MB',
      mb(parts.postings.gzip) + ' MB',
      `largest ${kb(parts.postings.largest)} KB (${kb(parts.postings.largestGzip)} KB gzip)`,
    ],
    [
      'document shards (search/d/)',
      parts.documents.files,
      mb(parts.documents.raw) + ' MB',
      mb(parts.documents.gzip) + ' MB',
      `${(manifest.posts / manifest.documentShards).toFixed(1)} posts each on average; largest ${kb(parts.documents.largest)} KB (${kb(parts.documents.largestGzip)} KB gzip)`,
    ],
    [
      'index, all files',
      total.files,
      mb(total.raw) + ' MB',
      mb(total.gzip) + ' MB',
      `${fmt.pct(total.raw / siteBytes)} of the site's ${mb(siteBytes)} MB`,
    ],
    [
      'search scripts (js/search*.js)',
      parts.scripts.files,
      kb(parts.scripts.raw) + ' KB',
      kb(parts.scripts.gzip) + ' KB',
      'fold table, core, page script; cacheable, the same for every build',
    ],
    [
      'index build alone (lib/search-index.js)',
      '',
      '',
      '',
      `${fmt.s(child.ms)} s, peak RSS ${fmt.mb(alone.rss?.maxRSSKB)} MB with the posts' text loaded; the whole newsstand build ${fmt.s(build.wallMs)} s${child.same ? '' : ' (a different version: not the same index!)'}`,
    ],
  ];

  // What a full scan of every post's text finds: the answer each query must give.
  const core = evaluate(join(THEME, 'source', 'js', 'search-core.js'));
  const fold = core.createFolder(evaluate(join(THEME, 'source', 'js', 'search-fold-table.js')));
  const folded = readDocuments(join(publicDir, 'search'), manifest).map((doc) => fold(core.documentText(doc)));
  const scan = Object.fromEntries(
    QUERIES.map((query) => [query, folded.filter((text) => core.matchesAll(text, core.parseQuery(query, fold))).length]),
  );
  folded.length = 0;

  let queryRows = [];
  let pagefindRows = [];
  let pagefindSize = null;
  if (pagefind) {
    log('pagefind over the post pages… ', false);
    const result = await run(pagefind, ['--site', publicDir, '--glob', 'p/**/*.html', '--root-selector', 'article.post'], { cwd: siteDir });
    if (result.code !== 0) throw new Error(`pagefind exited ${result.code}: ${result.output.slice(-2000)}`);
    const files = filesUnder(join(publicDir, 'pagefind'));
    let raw = 0;
    for (const file of files) raw += statSync(file).size;
    const largest = Math.max(...files.map((file) => statSync(file).size));
    pagefindSize = { files: files.length, raw, largest, ms: result.ms, words: /Indexed (\d+) words/.exec(result.output)?.[1] };
    log(`${fmt.s(result.ms)} s, ${files.length} files, ${mb(raw)} MB`);
  }
  if (useBrowser) {
    const site = await serve(publicDir);
    try {
      await withBrowser(async (browser) => {
        log('queries in Chromium… ', false);
        queryRows = await measureQueries(
          browser,
          site,
          publicDir,
          '/search',
          QUERIES,
          (page, query) => askNewsstand(page, site, query),
          {},
        );
        if (pagefind)
          pagefindRows = await measureQueries(
            browser,
            site,
            publicDir,
            '/pagefind',
            QUERIES,
            (page, query) => askPagefind(page, site, query),
            { pregzipped: (path) => /\.pf_/.test(path) },
          );
        log('done');
      });
    } finally {
      await site.close();
    }
  }
  return { posts, build, manifest, parts, total, siteBytes, child, alone, sizeRows, scan, queryRows, pagefindRows, pagefindSize, siteDir };
}

function printReport(result, log) {
  log(`\nSearch index of ${fmt.n(result.posts)} generated posts (~4 KB of HTML each, ${SOURCES} sources):\n`);
  log(table(['what', 'files', 'raw', 'gzip', 'detail'], result.sizeRows));
  if (result.queryRows.length) {
    log('\nWhat a query reads (a fresh browser each, so nothing cached; the first 20 results shown):\n');
    log(
      table(
        ['query', 'answer', 'full scan', 'index files read', 'raw KB', 'gzip KB', 'ms'],
        result.queryRows.map((row) => [
          row.query,
          row.results,
          result.scan[row.query],
          row.files,
          kb(row.raw),
          kb(row.gzip),
          row.ms.toFixed(0),
        ]),
      ),
    );
  }
  if (result.pagefindSize) {
    const p = result.pagefindSize;
    log(
      `\nPagefind over the same post pages: ${fmt.s(p.ms)} s, ${p.files} files, ${mb(p.raw)} MB (its files are gzip already), largest ${kb(p.largest)} KB, ${p.words ?? '?'} words\n`,
    );
    if (result.pagefindRows.length) {
      log(
        table(
          ['query', 'answer', 'full scan', 'pagefind files read', 'KB', 'ms'],
          result.pagefindRows.map((row) => [row.query, row.results, result.scan[row.query], row.files, kb(row.gzip), row.ms.toFixed(0)]),
        ),
      );
    }
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      posts: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '20240601' },
      pagefind: { type: 'string' },
      'no-browser': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '1200' },
      'child-index': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values['child-index']) return childIndex(values['child-index']);
  if (values.help) {
    process.stdout.write(
      'Usage: node bench/parts/search.mjs [--posts N] [--seed S] [--pagefind BIN] [--no-browser] [--keep] [--timeout SEC]\n',
    );
    return;
  }
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const tmp = mkdtempSync(join(os.tmpdir(), 'newsstand-bench-search-'));
  const log = (text, newline = true) => process.stdout.write(newline ? `${text}\n` : text);
  try {
    log(`search benchmark — ${values.posts} posts, seed ${values.seed}; load ${os.loadavg()[0].toFixed(2)}; work dir ${tmp}`);
    const result = await runSearchBench({
      posts: Number(values.posts),
      seed: Number(values.seed),
      pagefind: values.pagefind,
      browser: !values['no-browser'],
      tmp,
      log,
      timeoutMs: Number(values.timeout) * 1000,
    });
    printReport(result, log);
    if (values.keep) log(`\nkept: ${relative(process.cwd(), result.siteDir) || result.siteDir}`);
  } finally {
    if (!values.keep) rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === SELF) await main();
