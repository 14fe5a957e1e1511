/**
 * End to end: the table "What each fault does" in docs/fetching-contract.md, through the built CLI against a
 * loopback server that misbehaves (test/helpers/fault-server.ts). One site holds every fault plus healthy
 * controls; beforeAll runs the CLI a few times and records what the server and `status --json` saw, and each
 * test checks one row of the contract against those records.
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ETAG, GBK_TITLES, itemLinks, startFaultServer, type FaultServer } from './helpers/fault-server.js';
import { parseWithHexo } from './helpers/hexo-front-matter.js';
import { makeSite, REPO, runCli, type CliResult, type TestSite } from './helpers/site.js';
import type { SourceStatus as Status } from '../src/commands/status.js';

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

interface PostInfo {
  file: string;
  id: string;
  link: string;
  title: string;
  mtimeMs: number;
  text: string;
}

/** name → first path requested; `refused` and `dns` get their URLs in beforeAll. */
const SOURCE_PATHS: Record<string, string> = {
  etag: '/etag',
  'last-modified': '/last-modified',
  gzip: '/gzip',
  br: '/br',
  chain: '/chain/1',
  temp: '/temp',
  loop: '/loop/a',
  many: '/many/0',
  missing: '/missing',
  gone: '/gone',
  flaky: '/flaky',
  broken: '/broken',
  busy: '/busy',
  'busy-long': '/busy-long',
  silent: '/silent',
  drip: '/drip',
  reset: '/reset',
  huge: '/huge',
  bomb: '/bomb',
  'br-bomb': '/br-bomb',
  'gbk-lying': '/gbk-lying',
  page: '/page',
  'page-no-feed': '/page-no-feed',
  'ok-a': '/ok-a',
  'ok-b': '/ok-b',
};
const NAMES = [...Object.keys(SOURCE_PATHS), 'refused', 'dns'];

/** Sources that end `ok`, with the feed slug their posts' links carry. */
const OK: Record<string, string> = {
  etag: 'etag',
  'last-modified': 'last-modified',
  gzip: 'gzip',
  br: 'br',
  chain: 'chain',
  temp: 'temp',
  flaky: 'flaky',
  busy: 'busy',
  'gbk-lying': 'gbk-lying',
  page: 'page',
  'ok-a': 'ok-a',
  'ok-b': 'ok-b',
};

/** Sources that end `failing`: their errorKind, and httpStatus where the contract leaves no doubt. */
const FAILING: Record<string, { kind: string; httpStatus?: number | null }> = {
  loop: { kind: 'redirect' },
  many: { kind: 'redirect' },
  missing: { kind: 'http-4xx', httpStatus: 404 },
  broken: { kind: 'http-5xx', httpStatus: 500 },
  'busy-long': { kind: 'http-5xx', httpStatus: 503 },
  silent: { kind: 'timeout', httpStatus: null },
  drip: { kind: 'timeout' },
  reset: { kind: 'network' },
  huge: { kind: 'too-large' },
  bomb: { kind: 'too-large' },
  'br-bomb': { kind: 'too-large' },
  'page-no-feed': { kind: 'not-a-feed', httpStatus: 200 },
  refused: { kind: 'connect', httpStatus: null },
  dns: { kind: 'dns', httpStatus: null },
};

let server: FaultServer;
let site: TestSite;
let urls: Record<string, string>;

interface Snapshot {
  run: CliResult;
  started: number;
  ended: number;
  status: Record<string, Status>;
  statusOrder: string[];
  hits: Record<string, number>;
  posts: PostInfo[];
}
let before: { status: Record<string, Status>; statusOrder: string[] };
let first: Snapshot;
let second: Snapshot;
let plain: Snapshot;
let single: Snapshot;
let unknown: { run: CliResult; hits: Record<string, number> };

async function status(): Promise<{ status: Record<string, Status>; statusOrder: string[] }> {
  const result = await runCli(['status', '--json', '--config', site.configFile]);
  let rows: Status[];
  try {
    rows = JSON.parse(result.stdout) as Status[];
  } catch {
    throw new Error(`status --json printed no JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
  return { status: Object.fromEntries(rows.map((row) => [row.source, row])), statusOrder: rows.map((row) => row.source) };
}

function posts(): PostInfo[] {
  return Object.entries(site.posts()).map(([file, text]) => {
    const fields = parseWithHexo(text);
    return {
      file,
      id: String(fields.newsstand_id ?? ''),
      link: String(fields.original_url ?? ''),
      title: String(fields.title ?? ''),
      mtimeMs: statSync(join(site.postsDir, file)).mtimeMs,
      text,
    };
  });
}

async function snapshot(args: string[]): Promise<Snapshot> {
  const started = Date.now();
  const run = await runCli([...args, '--config', site.configFile]);
  const ended = Date.now();
  return { run, started, ended, ...(await status()), hits: server.allHits(), posts: posts() };
}

/** A port nobody listens on: bound, then released. */
async function refusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const postsOf = (snap: Snapshot, slug: string) => snap.posts.filter((post) => itemLinks(slug).includes(post.link));
const hitsIn = (snap: { hits: Record<string, number> }, path: string) => snap.hits[path] ?? 0;

beforeAll(async () => {
  server = await startFaultServer();
  urls = Object.fromEntries(Object.entries(SOURCE_PATHS).map(([name, path]) => [name, server.url(path)]));
  urls.refused = `http://127.0.0.1:${await refusedPort()}/feed.xml`;
  urls.dns = 'http://newsstand-fault-test.invalid/feed.xml';

  site = makeSite({
    fetch: { timeout: '2s', connectTimeout: '2s', retries: 2, maxBytes: '1MB', concurrency: 32, perHost: 16 },
    sources: NAMES.map((name) => ({
      url: urls[name],
      name,
      categories: ['故障', name, '全部'],
      ...(name === 'ok-a' ? { headers: { 'X-Test': 'yes' }, cookies: { session: 'abc' } } : {}),
    })),
  });

  before = await status();
  first = await snapshot(['sync', '--all']);
  second = await snapshot(['sync', '--all']);
  plain = await snapshot(['sync']);
  single = await snapshot(['sync', '--source', 'ok-b']);
  const run = await runCli(['sync', '--source', 'no-such-source', '--config', site.configFile]);
  unknown = { run, hits: server.allHits() };
}, 180_000);

afterAll(async () => {
  await server?.close();
  site?.remove();
});

describe('fetching faults, end to end (docs/fetching-contract.md)', () => {
  it('lists every configured source as new before the first sync, in configuration order', () => {
    expect(before.statusOrder).toEqual(NAMES);
    for (const name of NAMES) {
      expect(before.status[name], name).toMatchObject({
        key: `url:${urls[name]}`,
        state: 'new',
        failures: 0,
        lastAttempt: null,
        lastSuccess: null,
        posts: 0,
      });
    }
  });

  it('sync --all exits 0 although sources failed, and status lists every source in order', () => {
    expect(first.run.code, first.run.stderr).toBe(0);
    expect(second.run.code, second.run.stderr).toBe(0);
    expect(first.statusOrder).toEqual(NAMES);
    for (const name of NAMES) {
      const row = first.status[name]!;
      expect(row.key).toBe(`url:${urls[name]}`);
      expect(Date.parse(row.lastAttempt ?? ''), `${name}.lastAttempt`).toBeGreaterThanOrEqual(first.started - 1000);
      expect(Date.parse(row.lastAttempt ?? ''), `${name}.lastAttempt`).toBeLessThanOrEqual(first.ended + 1000);
    }
  });

  it('healthy and recoverable sources end ok with HTTP 200 and their two posts', () => {
    for (const [name, slug] of Object.entries(OK)) {
      const row = first.status[name]!;
      expect(row, name).toMatchObject({
        state: 'ok',
        errorKind: '',
        lastError: '',
        failures: 0,
        httpStatus: 200,
        notModified: false,
        posts: 2,
      });
      expect(row.lastSuccess, name).not.toBeNull();
      expect(
        postsOf(first, slug)
          .map((post) => post.link)
          .sort(),
        name,
      ).toEqual(itemLinks(slug));
    }
  });

  it('each fault fails with its kind, failures 1, no posts; the next --all run makes it 2', () => {
    // Compared as whole maps so that one wrong row does not hide the others.
    for (const [snap, failures] of [
      [first, 1],
      [second, 2],
    ] as const) {
      const actual: Record<string, object> = {};
      const expectedRows: Record<string, object> = {};
      for (const [name, expected] of Object.entries(FAILING)) {
        const row = snap.status[name]!;
        actual[name] = {
          state: row.state,
          errorKind: row.errorKind,
          failures: row.failures,
          posts: row.posts,
          hasError: row.lastError !== '',
          lastSuccess: row.lastSuccess,
          notModified: row.notModified,
          feedUrl: row.feedUrl,
          ...('httpStatus' in expected ? { httpStatus: row.httpStatus } : {}),
        };
        expectedRows[name] = {
          state: 'failing',
          errorKind: expected.kind,
          failures,
          posts: 0,
          hasError: true,
          lastSuccess: null,
          notModified: false,
          feedUrl: null,
          ...('httpStatus' in expected ? { httpStatus: expected.httpStatus } : {}),
        };
      }
      expect(actual, `after --all run ${failures}`).toEqual(expectedRows);
    }
  });

  it('publishes exactly the healthy sources’ items: nothing from a failing source', () => {
    const expected = Object.values(OK)
      .flatMap((slug) => itemLinks(slug))
      .sort();
    expect(first.posts.map((post) => post.link).sort()).toEqual(expected);
  });

  it('a 410 makes the source gone: not retried, and not due any more', () => {
    for (const snap of [first, second]) {
      expect(snap.status.gone).toMatchObject({ state: 'gone', errorKind: 'gone', httpStatus: 410, posts: 0 });
    }
    expect(hitsIn(first, '/gone')).toBe(1);
    expect(hitsIn(second, '/gone')).toBe(2); // --all fetches gone sources too
    expect(hitsIn(plain, '/gone')).toBe(2); // a plain sync does not
    expect(plain.status.gone!.state).toBe('gone');
  });

  it('a 404 is http-4xx and is requested once per run, never retried', () => {
    expect(hitsIn(first, '/missing')).toBe(1);
    expect(hitsIn(second, '/missing')).toBe(2);
  });

  it('faults that are neither network errors nor 5xx are not retried', () => {
    for (const path of ['/page-no-feed', '/huge', '/bomb', '/br-bomb']) expect(hitsIn(first, path), path).toBe(1);
  });

  it('a 500 then 200 is retried within the run and ends ok', () => {
    expect(hitsIn(first, '/flaky')).toBe(2);
    expect(first.status.flaky).toMatchObject({ state: 'ok', failures: 0, httpStatus: 200 });
  });

  it('5xx every time fails as http-5xx after fetch.retries (2) retries: 3 requests', () => {
    expect(hitsIn(first, '/broken')).toBe(3);
    expect(hitsIn(second, '/broken')).toBe(6);
  });

  it('a connection reset mid-body is network, retried, and fails when it keeps happening', () => {
    expect(hitsIn(first, '/reset')).toBe(3);
    expect(first.status.reset!.errorKind).toBe('network');
  });

  it('429 with Retry-After: 1 is waited out and retried within the run', () => {
    expect(hitsIn(first, '/busy')).toBe(2);
    const [one, two] = server.requests('/busy');
    expect(two!.at - one!.at).toBeGreaterThanOrEqual(900);
    expect(first.status.busy).toMatchObject({ state: 'ok', failures: 0, httpStatus: 200, posts: 2 });
  });

  it('503 with Retry-After: 3600 fails without waiting and is not due for an hour', () => {
    expect(hitsIn(first, '/busy-long')).toBe(1);
    for (const snap of [first, second]) {
      const due = Date.parse(snap.status['busy-long']!.nextDue ?? '');
      expect(due, 'busy-long.nextDue').toBeGreaterThanOrEqual(snap.started + 3_600_000 - 1000);
    }
  });

  it('a 301/308 chain ends ok with feedUrl = the final URL, read directly from then on', () => {
    for (const snap of [first, second])
      expect(snap.status.chain).toMatchObject({ state: 'ok', httpStatus: 200, feedUrl: server.url('/chain/final') });
    expect([hitsIn(first, '/chain/1'), hitsIn(first, '/chain/2'), hitsIn(first, '/chain/final')]).toEqual([1, 1, 1]);
    expect([hitsIn(second, '/chain/1'), hitsIn(second, '/chain/2'), hitsIn(second, '/chain/final')]).toEqual([1, 1, 2]);
  });

  it('a 302 ends ok and leaves feedUrl unset; the next run starts at the configured URL again', () => {
    for (const snap of [first, second]) expect(snap.status.temp).toMatchObject({ state: 'ok', httpStatus: 200, feedUrl: null });
    expect([hitsIn(second, '/temp'), hitsIn(second, '/temp-target')]).toEqual([2, 2]);
  });

  it('feedUrl stays null for sources that were not moved', () => {
    for (const name of ['etag', 'last-modified', 'gzip', 'br', 'flaky', 'busy', 'gbk-lying', 'ok-a', 'ok-b']) {
      expect(first.status[name]!.feedUrl, name).toBeNull();
      expect(second.status[name]!.feedUrl, name).toBeNull();
    }
  });

  it('an HTML page is resolved to the feed it links to; feedUrl = that feed, fetched directly next time', () => {
    for (const snap of [first, second])
      expect(snap.status.page).toMatchObject({ state: 'ok', feedUrl: server.url('/discovered.xml'), posts: 2 });
    expect([hitsIn(first, '/page'), hitsIn(first, '/discovered.xml')]).toEqual([1, 1]);
    expect([hitsIn(second, '/page'), hitsIn(second, '/discovered.xml')]).toEqual([1, 2]);
  });

  it('times out a server that never answers and a body that drips past fetch.timeout', () => {
    expect(first.status.silent!.errorKind).toBe('timeout');
    expect(first.status.drip!.errorKind).toBe('timeout');
    // Without a total timeout the drip would end after 20 s (and succeed); with retries it still fits here.
    expect(first.ended - first.started).toBeLessThan(20_000);
  });

  it('decodes a GBK body declared encoding="gbk" although the header says charset=utf-8', () => {
    const titles = postsOf(first, 'gbk-lying')
      .map((post) => post.title)
      .sort();
    expect(titles).toEqual([...GBK_TITLES].sort());
  });

  it('decompresses gzip and br answers', () => {
    expect(String(server.requests('/gzip')[0]!.headers['accept-encoding'])).toMatch(/\bgzip\b/);
    expect(postsOf(first, 'gzip')).toHaveLength(2);
    expect(postsOf(first, 'br')).toHaveLength(2);
  });

  it('a 304 (ETag or Last-Modified) is ok with notModified: true, httpStatus 304, and rewrites no post', () => {
    expect(server.requests('/etag')[1]!.headers['if-none-match']).toBe(ETAG);
    // The server's Last-Modified (a day before it started), sent back as it came: an HTTP date.
    expect(server.requests('/last-modified')[1]!.headers['if-modified-since']).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
    for (const name of ['etag', 'last-modified']) {
      expect(first.status[name], name).toMatchObject({ state: 'ok', notModified: false, httpStatus: 200 });
      expect(second.status[name], name).toMatchObject({
        state: 'ok',
        notModified: true,
        httpStatus: 304,
        failures: 0,
        errorKind: '',
        posts: 2,
      });
      const beforeMtimes = postsOf(first, name).map((post) => [post.file, post.mtimeMs]);
      const afterMtimes = postsOf(second, name).map((post) => [post.file, post.mtimeMs]);
      expect(beforeMtimes, name).toHaveLength(2);
      expect(afterMtimes, name).toEqual(beforeMtimes);
    }
    // A 200 without validators is not a 304.
    expect(second.status.gzip).toMatchObject({ state: 'ok', notModified: false, httpStatus: 200 });
  });

  it('a second --all run writes no duplicate and rewrites nothing', () => {
    const ids = (snap: Snapshot) => snap.posts.map((post) => post.id).sort();
    expect(first.posts).toHaveLength(Object.keys(OK).length * 2);
    expect(second.posts).toHaveLength(first.posts.length);
    expect(new Set(ids(second)).size).toBe(second.posts.length);
    expect(ids(second).every((id) => id !== '')).toBe(true);
    expect(ids(second)).toEqual(ids(first));
    const files = (snap: Snapshot) => Object.fromEntries(snap.posts.map((post) => [post.file, [post.mtimeMs, post.text]]));
    expect(files(second)).toEqual(files(first));
  });

  it('sends User-Agent newsstand/<version> on every request, and a source’s headers and cookies only with it', () => {
    const agent = new RegExp(`^newsstand/${VERSION.replace(/\./g, '\\.')}(?:\\s|$)`);
    for (const path of Object.keys(second.hits)) {
      for (const request of server.requests(path)) expect(request.headers['user-agent'], path).toMatch(agent);
    }
    const okA = server.requests('/ok-a');
    expect(okA.length).toBeGreaterThanOrEqual(2);
    for (const request of okA) expect(request.headers).toMatchObject({ 'x-test': 'yes', cookie: 'session=abc' });
    for (const request of server.requests('/ok-b')) {
      expect(request.headers['x-test']).toBeUndefined();
      expect(request.headers.cookie).toBeUndefined();
    }
  });

  it('a plain sync right after fetches nothing: no source is due', () => {
    expect(plain.run.code, plain.run.stderr).toBe(0);
    expect(plain.hits).toEqual(second.hits);
    expect(plain.posts.map((post) => post.file).sort()).toEqual(second.posts.map((post) => post.file).sort());
  });

  it('sync --source NAME fetches only that source, due or not', () => {
    expect(single.run.code, single.run.stderr).toBe(0);
    expect(single.hits).toEqual({ ...plain.hits, '/ok-b': hitsIn(plain, '/ok-b') + 1 });
    expect(Date.parse(single.status['ok-b']!.lastAttempt ?? '')).toBeGreaterThanOrEqual(single.started - 1000);
    expect(single.status['ok-a']!.lastAttempt).toBe(plain.status['ok-a']!.lastAttempt);
  });

  it('sync --source with a name that matches nothing exits 2 and fetches nothing', () => {
    expect(unknown.run.code).toBe(2);
    expect(unknown.run.stderr).toContain('no-such-source');
    expect(unknown.hits).toEqual(single.hits);
  });
});
