/**
 * End to end: RSSHub sources (docs/rsshub-contract.md) through the built CLI, against loopback stand-ins for
 * RSSHub instances (test/helpers/fake-rsshub.ts): instance fallback and skipping, access codes, query
 * pass-through, categories from route metadata (and its cache), images, and `newsstand add`.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  md5,
  PAGE_FEED_LINKS,
  ROUTE_LINKS,
  ROUTE_TITLES,
  startFakeRsshub,
  startPageServer,
  type FakeRsshub,
  type PageServer,
} from './helpers/fake-rsshub.js';
import { parseWithHexo } from './helpers/hexo-front-matter.js';
import { makeSite, rss, runCli, type CliResult, type TestSite } from './helpers/site.js';
import type { SourceStatus as Status } from '../src/commands/status.js';

interface Post {
  file: string;
  link: string;
  categories: unknown;
  body: string;
}

/** The fake RSSHub is reached directly, never through a proxy. */
const DIRECT = { NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
/** The Aljazeera fixture is from 2022: keep it. */
const KEEP = { retention: { maxAge: '36500d' } };
/** One request per attempt, one source at a time: request counts are exact. */
const EXACT = { retries: 0, concurrency: 1, timeout: '10s', connectTimeout: '5s' };

const ALJAZEERA_ZH = ['传统媒体', '半岛电视台', 'News'];
const ALJAZEERA_EN = ['Traditional media', 'Aljazeera', 'News'];
const KR36_ZH = ['新媒体', '36氪', '资讯, 快讯'];
const EXAMPLE_ZH = ['博客', 'Example', 'Example News'];

const sites: TestSite[] = [];
const servers: Array<{ close(): Promise<void> }> = [];

function site(config: object): TestSite {
  const created = makeSite(config);
  sites.push(created);
  return created;
}

async function fake(options: { accessKey?: string } = {}): Promise<FakeRsshub> {
  const server = await startFakeRsshub(options);
  servers.push(server);
  return server;
}

/** A port that accepts connections and destroys them at once: a dead instance whose attempts can be counted. */
async function deadInstance(): Promise<{ url: string; connections(): number }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  servers.push({
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
  return { url: `http://127.0.0.1:${port}`, connections: () => connections };
}

async function cli(s: TestSite, args: string[], env: NodeJS.ProcessEnv = DIRECT): Promise<CliResult> {
  return runCli([...args, '--config', s.configFile], { env });
}

async function sync(s: TestSite, ...args: string[]): Promise<CliResult> {
  const result = await cli(s, ['sync', ...args]);
  expect(result.code, `sync exit\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

async function status(s: TestSite): Promise<Status[]> {
  const result = await cli(s, ['status', '--json']);
  try {
    return JSON.parse(result.stdout) as Status[];
  } catch {
    throw new Error(`status --json printed no JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
}

function posts(s: TestSite): Post[] {
  return Object.entries(s.posts()).map(([file, text]) => {
    const fields = parseWithHexo(text);
    return { file, link: String(fields.original_url ?? ''), categories: fields.categories, body: fields._content };
  });
}

/** route → the categories of each of its posts, for the routes given (items matched by link). */
function categoriesByRoute(s: TestSite, routes: string[]): Record<string, unknown[]> {
  const all = posts(s);
  return Object.fromEntries(
    routes.map((route) => [route, all.filter((post) => ROUTE_LINKS[route]!.includes(post.link)).map((post) => post.categories)]),
  );
}

/** Each route's posts all carry `expected`, and there are as many as the route has items. */
function expectCategories(s: TestSite, expected: Record<string, string[]>): void {
  const routes = Object.keys(expected);
  const actual = categoriesByRoute(s, routes);
  const wanted = Object.fromEntries(routes.map((route) => [route, ROUTE_LINKS[route]!.map(() => expected[route])]));
  expect(actual).toEqual(wanted);
}

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  for (const s of sites) s.remove();
});

describe('RSSHub instances', () => {
  it('status tells apart routes that would show under one name: the route beside it', async () => {
    const rsshub = await fake();
    const s = site({
      rsshub: { instances: [rsshub.url] },
      fetch: EXACT,
      defaults: KEEP,
      sources: [
        { rsshub: '/aljazeera/chinese/news', categories: ['新媒体', 'Aljazeera', '新闻'] },
        { rsshub: '/aljazeera/english/news', categories: ['新媒体', 'Aljazeera', 'News'] },
        { rsshub: '/36kr/newsflashes', categories: ['科技', '36氪', '快讯'] },
      ],
    });
    await sync(s);
    expect((await status(s)).map((row) => row.source)).toEqual([
      'Aljazeera (rsshub:/aljazeera/chinese/news)',
      'Aljazeera (rsshub:/aljazeera/english/news)',
      '36氪',
    ]);
  });

  it('falls back past a dead instance; status.instance names the one that answered; the dead one is tried once per run', async () => {
    const dead = await deadInstance();
    const rsshub = await fake();
    const s = site({
      rsshub: { instances: [dead.url, rsshub.url] },
      fetch: EXACT,
      defaults: KEEP,
      sources: [
        { rsshub: '/aljazeera/chinese/news', categories: ['新媒体', 'Aljazeera 半岛网', '新闻'] },
        { rsshub: '/36kr/newsflashes', categories: ['科技', '36氪', '快讯'] },
        { url: `${rsshub.url}/example/news/tech`, categories: ['博客', 'Example', '新闻'] },
      ],
    });

    const before = await status(s);
    expect(before.map((row) => row.instance)).toEqual(['', '', '']);

    await sync(s);
    const rows = await status(s);
    expect(rows.map((row) => [row.key, row.state, row.instance, row.posts])).toEqual([
      ['rsshub:/aljazeera/chinese/news', 'ok', rsshub.url, 1],
      ['rsshub:/36kr/newsflashes', 'ok', rsshub.url, 2],
      [`url:${rsshub.url}/example/news/tech`, 'ok', '', 2],
    ]);
    expect(dead.connections(), 'connections to the dead instance in the first run').toBe(1);
    expect(rsshub.hits('/aljazeera/chinese/news')).toBe(1);
    expect(rsshub.hits('/36kr/newsflashes')).toBe(1);

    // Skipping lasts for one run: the next run tries the first instance again, once.
    await sync(s, '--all');
    expect(dead.connections(), 'connections to the dead instance after the second run').toBe(2);
    expect((await status(s)).map((row) => [row.state, row.instance])).toEqual([
      ['ok', rsshub.url],
      ['ok', rsshub.url],
      ['ok', ''],
    ]);
  });

  it.each([500, 503, 'reset'] as const)('an instance answering %s is skipped for the rest of the run', async (failure) => {
    const bad = await fake();
    const good = await fake();
    bad.failWith(failure);
    const s = site({
      rsshub: { instances: [bad.url, good.url] },
      fetch: EXACT,
      defaults: KEEP,
      sources: [
        { rsshub: '/aljazeera/english/news', categories: ['新闻', '半岛', '英文'] },
        { rsshub: '/36kr/newsflashes', categories: ['科技', '36氪', '快讯'] },
      ],
    });
    await sync(s);
    expect(
      bad.requests().map((request) => request.path),
      'requests the failing instance saw',
    ).toHaveLength(1);
    expect((await status(s)).map((row) => [row.state, row.instance, row.posts, row.lastError])).toEqual([
      ['ok', good.url, 2, ''],
      ['ok', good.url, 2, ''],
    ]);
    expect(good.hits('/aljazeera/english/news')).toBe(1);
    expect(good.hits('/36kr/newsflashes')).toBe(1);
  });

  it('a 4xx moves on to the next instance for that source only: later sources still try the first instance', async () => {
    const keyed = await fake({ accessKey: 'secret' });
    const open = await fake();
    const s = site({
      rsshub: { instances: [keyed.url, open.url], accessKey: 'not-the-key' },
      fetch: EXACT,
      sources: [
        { rsshub: '/aljazeera/english/news', categories: ['新闻', '半岛', '英文'] },
        { rsshub: '/36kr/newsflashes', categories: ['科技', '36氪', '快讯'] },
      ],
    });
    await sync(s);
    expect(keyed.requests().map((request) => request.path)).toEqual(['/aljazeera/english/news', '/36kr/newsflashes']);
    expect((await status(s)).map((row) => [row.state, row.instance])).toEqual([
      ['ok', open.url],
      ['ok', open.url],
    ]);
  });

  it('passes the route query through untouched', async () => {
    const rsshub = await fake();
    const s = site({
      rsshub: { instances: [rsshub.url] },
      fetch: EXACT,
      defaults: KEEP,
      sources: [{ rsshub: '/aljazeera/chinese/news?limit=20&filter=哈萨克', categories: ['新媒体', 'Aljazeera 半岛网', '新闻'] }],
    });
    await sync(s);
    const seen = rsshub.requests().filter((request) => request.path === '/aljazeera/chinese/news');
    expect(seen).toHaveLength(1);
    expect([...seen[0]!.query.entries()].sort()).toEqual([
      ['filter', '哈萨克'],
      ['limit', '20'],
    ]);
    expect(posts(s).map((post) => post.link)).toEqual(ROUTE_LINKS['/aljazeera/chinese/news']);
    expect((await status(s))[0]).toMatchObject({
      state: 'ok',
      instance: rsshub.url,
      key: 'rsshub:/aljazeera/chinese/news?limit=20&filter=哈萨克',
    });
  });
});

describe('RSSHub access codes', () => {
  it('with the right key (from ${RSSHUB_ACCESS_KEY}) every request, routes and /api, carries code = md5(path + key)', async () => {
    const rsshub = await fake({ accessKey: 'secret' });
    const s = site({
      rsshub: { instances: [rsshub.url], accessKey: '${RSSHUB_ACCESS_KEY}' },
      fetch: EXACT,
      sources: [
        { rsshub: '/aljazeera/english/news' }, // categories from /api/namespace/aljazeera, which needs the code too
        { rsshub: '/36kr/newsflashes?limit=5', categories: ['科技', '36氪', '快讯'] },
      ],
    });
    const result = await runCli(['sync', '--config', s.configFile], { env: { ...DIRECT, RSSHUB_ACCESS_KEY: 'secret' } });
    expect(result.code, result.stderr).toBe(0);

    const seen = rsshub.requests();
    expect(seen.map((request) => request.path)).toEqual(
      expect.arrayContaining(['/aljazeera/english/news', '/36kr/newsflashes', '/api/namespace/aljazeera']),
    );
    for (const request of seen) expect(request.query.get('code'), request.path).toBe(md5(request.path + 'secret'));
    expect(seen.find((request) => request.path === '/36kr/newsflashes')!.query.get('limit')).toBe('5');

    expect((await status(s)).map((row) => [row.state, row.instance, row.posts])).toEqual([
      ['ok', rsshub.url, 2],
      ['ok', rsshub.url, 2],
    ]);
    expectCategories(s, { '/aljazeera/english/news': ALJAZEERA_ZH });
  });

  it('signs a route with Chinese in it as it is sent (percent-encoded), and a redirect within the instance anew', async () => {
    const rsshub = await fake({ accessKey: 'secret' });
    const s = site({
      rsshub: { instances: [rsshub.url], accessKey: 'secret' },
      fetch: EXACT,
      sources: [
        { rsshub: '/36kr/search/芯片', categories: ['科技', '36氪', '搜索'] },
        { rsshub: '/moved/36kr', categories: ['科技', '36氪', '快讯'] },
      ],
    });
    await sync(s);
    expect((await status(s)).map((row) => [row.state, row.httpStatus, row.posts])).toEqual([
      ['ok', 200, 2],
      ['ok', 200, 2],
    ]);
    const seen = rsshub.requests();
    expect(seen.map((request) => request.path)).toEqual(['/36kr/search/%E8%8A%AF%E7%89%87', '/moved/36kr', '/36kr/newsflashes']);
    for (const request of seen) expect(request.query.get('code'), request.path).toBe(md5(request.path + 'secret'));
  });

  it('with a wrong key the instance answers 403 and the source fails as http-4xx', async () => {
    const rsshub = await fake({ accessKey: 'secret' });
    const s = site({
      rsshub: { instances: [rsshub.url], accessKey: 'wrong' },
      fetch: EXACT,
      sources: [{ rsshub: '/36kr/newsflashes', categories: ['科技', '36氪', '快讯'] }],
    });
    await sync(s);
    const feedRequests = rsshub.requests().filter((request) => request.path === '/36kr/newsflashes');
    expect(feedRequests).toHaveLength(1);
    expect(feedRequests[0]!.query.get('code')).toBe(md5('/36kr/newsflashes' + 'wrong'));
    expect((await status(s))[0]).toMatchObject({
      state: 'failing',
      errorKind: 'http-4xx',
      httpStatus: 403,
      failures: 1,
      posts: 0,
      instance: '',
    });
    expect(posts(s)).toEqual([]);
  });
});

describe('categories from RSSHub route metadata', () => {
  let rsshub: FakeRsshub;
  let zh: TestSite;

  beforeAll(async () => {
    rsshub = await fake();
  });

  it('a route without categories gets [category, namespace, route] names in zh', async () => {
    zh = site({
      rsshub: { instances: [rsshub.url], language: 'zh' },
      fetch: EXACT,
      defaults: KEEP,
      sources: [{ rsshub: '/aljazeera/chinese/news' }, { rsshub: '/36kr/newsflashes' }, { rsshub: '/example/news/tech' }],
    });
    await sync(zh);
    expectCategories(zh, {
      '/aljazeera/chinese/news': ALJAZEERA_ZH,
      '/36kr/newsflashes': KR36_ZH,
      '/example/news/tech': EXAMPLE_ZH,
    });
    // Once per namespace per run, however many routes of it there are.
    expect(rsshub.hits('/api/namespace/aljazeera')).toBe(1);
    expect(rsshub.hits('/api/namespace/36kr')).toBe(1);
  });

  it('and in en with rsshub.language: en', async () => {
    const en = site({
      rsshub: { instances: [rsshub.url], language: 'en' },
      fetch: EXACT,
      defaults: KEEP,
      sources: [{ rsshub: '/aljazeera/chinese/news' }],
    });
    await sync(en);
    expectCategories(en, { '/aljazeera/chinese/news': ALJAZEERA_EN });
  });

  it('uses the cached namespace metadata when the API is down', async () => {
    rsshub.setApiDown(true);
    try {
      zh.writeConfig({
        rsshub: { instances: [rsshub.url], language: 'zh' },
        fetch: EXACT,
        defaults: KEEP,
        sources: [
          { rsshub: '/aljazeera/chinese/news' },
          { rsshub: '/36kr/newsflashes' },
          { rsshub: '/example/news/tech' },
          { rsshub: '/aljazeera/english/news' },
        ],
      });
      await sync(zh, '--all');
      expectCategories(zh, {
        '/aljazeera/chinese/news': ALJAZEERA_ZH,
        '/36kr/newsflashes': KR36_ZH,
        '/example/news/tech': EXAMPLE_ZH,
        '/aljazeera/english/news': ALJAZEERA_ZH,
      });
      expect((await status(zh)).map((row) => row.state)).toEqual(['ok', 'ok', 'ok', 'ok']);
    } finally {
      rsshub.setApiDown(false);
    }
  });

  it('without metadata and without a cache the source still syncs, filed under its feed title', async () => {
    const down = await fake();
    down.setApiDown(true);
    const s = site({ rsshub: { instances: [down.url] }, fetch: EXACT, sources: [{ rsshub: '/aljazeera/english/news' }] });
    await sync(s);
    expect((await status(s))[0]).toMatchObject({ state: 'ok', posts: 2, instance: down.url });
    expectCategories(s, { '/aljazeera/english/news': [ROUTE_TITLES['/aljazeera/english/news']!] });
  });

  it('configured categories win and the API is not asked', async () => {
    const quiet = await fake();
    const s = site({
      rsshub: { instances: [quiet.url] },
      fetch: EXACT,
      defaults: KEEP,
      sources: [
        { rsshub: '/aljazeera/chinese/news', categories: ['新媒体', 'Aljazeera 半岛网', '新闻'] },
        { rsshub: '/36kr/newsflashes', categories: ['科技'] },
      ],
    });
    await sync(s);
    expectCategories(s, { '/aljazeera/chinese/news': ['新媒体', 'Aljazeera 半岛网', '新闻'], '/36kr/newsflashes': ['科技'] });
    expect(
      quiet
        .requests()
        .filter((request) => request.path.startsWith('/api/'))
        .map((request) => request.path),
    ).toEqual([]);
    expect(quiet.hits('/aljazeera/chinese/news')).toBe(1);
  });
});

describe('images from RSSHub feeds', () => {
  it('an <img> that already has referrerpolicy gets exactly one, with the configured value', async () => {
    const rsshub = await fake();
    const s = site({
      rsshub: { instances: [rsshub.url] },
      fetch: EXACT,
      defaults: KEEP,
      sources: [
        { rsshub: '/aljazeera/english/news', categories: ['新闻'] },
        { rsshub: '/36kr/newsflashes', categories: ['科技'], images: { referrerPolicy: 'origin' } },
        { rsshub: '/aljazeera/chinese/news', categories: ['新媒体'] },
      ],
    });
    await sync(s);
    const expectedPolicy = (link: string) => (ROUTE_LINKS['/36kr/newsflashes']!.includes(link) ? 'origin' : 'no-referrer');
    const all = posts(s);
    expect(all).toHaveLength(5);
    let images = 0;
    for (const post of all) {
      const tags = post.body.match(/<img\b[^>]*>/gi) ?? [];
      expect(tags.length, post.link).toBeGreaterThan(0);
      for (const tag of tags) {
        images++;
        const policies = [...tag.matchAll(/\sreferrerpolicy\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map((m) => m[1] ?? m[2] ?? m[3]);
        expect(policies, `${post.link}: ${tag}`).toEqual([expectedPolicy(post.link)]);
      }
    }
    expect(images).toBeGreaterThanOrEqual(4 * 3 + 1);
  });
});

/** Lines of `before` all kept, byte for byte and in order, with one contiguous block inserted: that block. */
function insertedBlock(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  expect(a.slice(prefix, a.length - suffix), `original lines changed or removed; file now:\n${after}`).toEqual([]);
  return b.slice(prefix, b.length - suffix);
}

interface SourceEntry {
  rsshub?: string;
  url?: string;
  file?: string;
  name?: string;
  categories?: string[];
}
const sourcesIn = (text: string) => (parseYaml(text) as { sources: SourceEntry[] }).sources;

describe('newsstand add rsshub:ROUTE', () => {
  let rsshub: FakeRsshub;
  let s: TestSite;
  let original = '';
  let afterFirstAdd = '';

  beforeAll(async () => {
    rsshub = await fake();
    s = site({ sources: [] });
    const feed = s.writeFeed('local.xml', rss([{ title: '本地', link: 'https://local.example/1', pubDate: new Date().toUTCString() }]));
    original = `# newsstand.yml — kept by hand; \`newsstand add\` must not touch these comments
site:
  root: .              # the Hexo site
  postsDir: source/_posts

# A local RSSHub, no key needed
rsshub:
  instances:
    - ${rsshub.url}    # the fake one
  language: zh

fetch: { retries: 0, concurrency: 1, timeout: 10s }   # flow style on purpose

defaults:
  retention:
    maxAge: 36500d     # keep everything

sources:
  # Tech news, filed by hand
  - rsshub: /36kr/newsflashes
    categories: [科技, 36氪, 快讯]   # not what RSSHub says

  - file: '${feed}'
    name: "本地 feed"
    categories:
      - 本地
      - 文件
`;
    writeFileSync(s.configFile, original);
  });

  it('appends the source with categories resolved from metadata, keeping every other byte of the file', async () => {
    const result = await cli(s, ['add', 'rsshub:/aljazeera/english/news']);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('Added rsshub:/aljazeera/english/news — categories: 传统媒体 › 半岛电视台 › News');
    afterFirstAdd = readFileSync(s.configFile, 'utf8');
    const block = insertedBlock(original, afterFirstAdd).filter((line) => line.trim() !== '');
    expect(block[0], 'the new entry, indented like the other sources').toMatch(/^ {2}- rsshub: ["']?\/aljazeera\/english\/news["']?$/);
    expect(sourcesIn(afterFirstAdd).at(-1)).toEqual({ rsshub: '/aljazeera/english/news', categories: ALJAZEERA_ZH });
    expect(sourcesIn(afterFirstAdd)).toHaveLength(3);
  });

  it('newsstand sync then works with the added source', async () => {
    await sync(s);
    const rows = await status(s);
    expect(rows.map((row) => [row.key, row.state])).toEqual([
      ['rsshub:/36kr/newsflashes', 'ok'],
      [expect.stringMatching(/^file:/), 'ok'],
      ['rsshub:/aljazeera/english/news', 'ok'],
    ]);
    expect(rows[2]).toMatchObject({ instance: rsshub.url, posts: 2 });
    expectCategories(s, { '/aljazeera/english/news': ALJAZEERA_ZH, '/36kr/newsflashes': ['科技', '36氪', '快讯'] });
  });

  it('a route already configured exits 2 ("already configured") and writes nothing', async () => {
    for (const route of ['rsshub:/aljazeera/english/news', 'rsshub:/36kr/newsflashes']) {
      const result = await cli(s, ['add', route]);
      expect(result.code, route).toBe(2);
      expect(result.stdout + result.stderr, route).toContain('already configured');
      expect(readFileSync(s.configFile, 'utf8'), route).toBe(afterFirstAdd);
    }
  });

  it('--dry-run prints what it would add and writes nothing', async () => {
    const result = await cli(s, ['add', 'rsshub:/example/news/tech', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Would add rsshub:/example/news/tech — categories: 博客 › Example › Example News');
    expect(readFileSync(s.configFile, 'utf8')).toBe(afterFirstAdd);
  });

  it('--json --dry-run prints { added: { kind, location, categories }, suggestions: [] }', async () => {
    const result = await cli(s, ['add', 'rsshub:/example/news/tech', '--dry-run', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      added: { kind: 'rsshub', location: '/example/news/tech', categories: EXAMPLE_ZH },
      suggestions: [],
    });
    expect(readFileSync(s.configFile, 'utf8')).toBe(afterFirstAdd);
  });

  it('--name and --categories are written as given, without asking the API', async () => {
    const asked = rsshub.hits('/api/namespace/example');
    const result = await cli(s, ['add', 'rsshub:/example/news/tech', '--name', '示例', '--categories', '科技, 示例, 新闻']);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const text = readFileSync(s.configFile, 'utf8');
    insertedBlock(afterFirstAdd, text);
    expect(sourcesIn(text).at(-1)).toEqual({ rsshub: '/example/news/tech', name: '示例', categories: ['科技', '示例', '新闻'] });
    expect(rsshub.hits('/api/namespace/example')).toBe(asked);
  });
});

describe('newsstand add URL', () => {
  let rsshub: FakeRsshub;
  let pages: PageServer;
  let s: TestSite;
  let proxied: NodeJS.ProcessEnv;
  let host = '';

  beforeAll(async () => {
    rsshub = await fake();
    pages = await startPageServer();
    servers.push(pages);
    host = `example.com:${pages.port}`;
    // example.com reaches the page server acting as a forward proxy; the fake RSSHub is reached directly.
    proxied = { HTTP_PROXY: pages.url, http_proxy: pages.url, ...DIRECT };
    s = site({ rsshub: { instances: [rsshub.url] }, fetch: EXACT, sources: [] });
  });

  const add = (...args: string[]) => cli(s, ['add', ...args], proxied);
  const config = () => readFileSync(s.configFile, 'utf8');

  it('an HTML page announcing a feed adds that feed', async () => {
    const result = await add(`http://${host}/feed-page`);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(pages.requests()).toContainEqual({ host, path: '/feed-page', absoluteForm: true });
    // Named after the feed's title, as add does when no --name is given.
    expect(sourcesIn(config())).toEqual([{ url: `http://${host}/rss.xml`, name: 'Discovered feed' }]);
  });

  it('a feed URL is added as it is', async () => {
    const result = await add(`http://${host}/plain.xml`);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(sourcesIn(config()).map((entry) => entry.url)).toEqual([`http://${host}/rss.xml`, `http://${host}/plain.xml`]);
    // The added sources sync (through the proxy).
    const synced = await runCli(['sync', '--config', s.configFile], { env: proxied });
    expect(synced.code, synced.stderr).toBe(0);
    expect(
      posts(s)
        .map((post) => post.link)
        .sort(),
    ).toEqual([...PAGE_FEED_LINKS['/rss.xml']!, ...PAGE_FEED_LINKS['/plain.xml']!].sort());
  });

  it('a page without a feed prints the RSSHub routes radar knows for it, exits 1 and adds nothing', async () => {
    const before = config();
    const page = `http://${host}/news/tech`;
    const result = await add(page);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1);
    const output = result.stdout + result.stderr;
    expect(output).toContain(`No feed found on ${page}. RSSHub routes for it:`);
    expect(output).toMatch(/^\s+newsstand add rsshub:\/example\/news\/tech\s+# News\s*$/m);
    expect(rsshub.hits('/api/radar/rules/example.com')).toBeGreaterThanOrEqual(1);
    expect(config()).toBe(before);
  });

  it('--json lists the suggestions: { added: null, suggestions: [{ route, title }] }', async () => {
    const before = config();
    const result = await add(`http://${host}/news/tech`, '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ added: null, suggestions: [{ route: '/example/news/tech', title: 'News' }] });
    expect(config()).toBe(before);
  });

  it('a page no radar rule covers: asks each shorter domain down to two labels, then says RSSHub knows no route', async () => {
    const before = config();
    const page = `http://news.other.example.org:${pages.port}/news/tech`;
    const result = await add(page);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1);
    expect(result.stdout + result.stderr).toContain(`No feed found on ${page}, and RSSHub knows no route for it.`);
    for (const domain of ['news.other.example.org', 'other.example.org', 'example.org']) {
      expect(rsshub.hits(`/api/radar/rules/${domain}`), domain).toBeGreaterThanOrEqual(1);
    }
    expect(rsshub.hits('/api/radar/rules/org')).toBe(0);
    expect(config()).toBe(before);
  });
});
