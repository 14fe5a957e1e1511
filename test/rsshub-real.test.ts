/**
 * RSSHub sources against a real RSSHub (the npm build of test/helpers/real-rsshub.ts), not the imitation of
 * rsshub.test.ts: access codes (a non-ASCII route, a redirect within the instance, a wrong key), a dead first
 * instance, metadata categories, 304s, the three output formats, `add rsshub:`, and the route and radar
 * matcher run over the instance's whole `/api/namespace` and `/api/radar/rules` tables. Everything on
 * 127.0.0.1; the suite is skipped, saying why, only when the npm registry could not be reached to install it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fillRoute, matchRoute } from '../src/sources/rsshub/route-pattern.js';
import type { SourceStatus } from '../src/commands/status.js';
import { parseWithHexo } from './helpers/hexo-front-matter.js';
import { ensureRealRsshub, REAL_RSSHUB_SETUP_TIMEOUT, type RealRsshub, type RealRsshubReady } from './helpers/real-rsshub.js';
import { makeSite, runCli, type CliResult, type TestSite } from './helpers/site.js';

const rsshub = await ensureRealRsshub();
const KEY = 'real-rsshub-access-key-7f3a';
/** The instances are reached directly, never through a proxy. */
const DIRECT = { NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
/** /test/1's items are from 2018: keep them. */
const KEEP = { retention: { maxAge: '36500d' } };
const EXACT = { retries: 0, concurrency: 1, timeout: '20s', connectTimeout: '5s' };

const sites: TestSite[] = [];
function site(config: object): TestSite {
  const created = makeSite(config);
  sites.push(created);
  return created;
}

async function cli(s: TestSite, args: string[], env: NodeJS.ProcessEnv = DIRECT): Promise<CliResult> {
  return runCli([...args, '--config', s.configFile], { env });
}

async function syncJson(
  s: TestSite,
  env: NodeJS.ProcessEnv = DIRECT,
): Promise<{ sources: { ok: number; failed: number; notModified: number }; posts: { created: number; updated: number } }> {
  const result = await cli(s, ['sync', '--all', '--json'], env);
  expect(result.code, `sync exit\n${result.stdout}\n${result.stderr}`).toBe(0);
  return JSON.parse(result.stdout);
}

async function status(s: TestSite): Promise<SourceStatus[]> {
  return JSON.parse((await cli(s, ['status', '--json'])).stdout) as SourceStatus[];
}

function posts(s: TestSite): Array<Record<string, unknown>> {
  return Object.values(s.posts()).map((text) => parseWithHexo(text));
}

/** Every file under `dir`, recursively, with its bytes (the site: posts, state, lock, configuration). */
function filesUnder(dir: string): Array<{ path: string; bytes: Buffer }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, bytes: readFileSync(path) }));
}

describe.skipIf(!rsshub.available)(`a real RSSHub${rsshub.available ? '' : ` — skipped: ${rsshub.reason}`}`, () => {
  let open: RealRsshub;
  let keyed: RealRsshub;
  let test1Items: number;

  beforeAll(async () => {
    const ready = rsshub as RealRsshubReady;
    [open, keyed] = await Promise.all([ready.start(), ready.start({ accessKey: KEY })]);
    const feed = await (await fetch(`${open.url}/test/1`)).text();
    test1Items = feed.split('<item>').length - 1;
    expect(test1Items).toBeGreaterThanOrEqual(3);
  }, REAL_RSSHUB_SETUP_TIMEOUT);

  afterAll(async () => {
    await Promise.all([open?.close(), keyed?.close()]);
    for (const s of sites) s.remove();
  });

  it('syncs a route from an instance without a key', async () => {
    const s = site({
      rsshub: { instances: [open.url] },
      fetch: EXACT,
      defaults: KEEP,
      sources: [{ rsshub: '/test/1', categories: ['测试', 'RSSHub', '一'] }],
    });
    expect((await syncJson(s)).posts.created).toBe(test1Items);
    expect((await status(s))[0]).toMatchObject({ state: 'ok', httpStatus: 200, posts: test1Items, instance: open.url });
  });

  it('signs every request with the key: a plain route, a non-ASCII one and a redirect within the instance; the key is written nowhere', async () => {
    const s = site({
      rsshub: { instances: [keyed.url], accessKey: '${RSSHUB_ACCESS_KEY}' },
      fetch: EXACT,
      defaults: KEEP,
      sources: [
        { rsshub: '/test/1/中文' },
        { rsshub: '/test/redirect', categories: ['测试', 'RSSHub', '跳转'] },
        { rsshub: '/test/long', categories: ['测试', 'RSSHub', '长'] },
      ],
    });
    const env = { ...DIRECT, RSSHUB_ACCESS_KEY: KEY };
    const result = await cli(s, ['sync', '--all'], env);
    expect(result.code, result.stderr).toBe(0);
    expect((await status(s)).map((row) => [row.state, row.httpStatus, row.instance])).toEqual([
      ['ok', 200, keyed.url],
      ['ok', 200, keyed.url],
      ['ok', 200, keyed.url],
    ]);
    // /test/1/中文 and /test/redirect (→ /test/1) carry the same items: the first source has them.
    expect(posts(s).length).toBeGreaterThanOrEqual(test1Items + 1);
    const leaks = [{ path: 'sync output', bytes: Buffer.from(result.stdout + result.stderr) }, ...filesUnder(s.dir)].filter(({ bytes }) =>
      bytes.includes(KEY),
    );
    expect(leaks.map(({ path }) => path)).toEqual([]);
  });

  it("reports a wrong key as the instance's 403, publishes nothing, and writes the key nowhere", async () => {
    const wrong = 'wrong-key-for-real-rsshub-91c2';
    const s = site({
      rsshub: { instances: [keyed.url], accessKey: wrong },
      fetch: EXACT,
      defaults: KEEP,
      sources: [{ rsshub: '/test/1', categories: ['测试', 'RSSHub', '一'] }],
    });
    const result = await cli(s, ['sync', '--all']);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toContain('403');
    expect((await status(s))[0]).toMatchObject({ state: 'failing', errorKind: 'http-4xx', httpStatus: 403, posts: 0 });
    expect(posts(s)).toEqual([]);
    // The configuration holds it (the user wrote it there); nothing newsstand writes does.
    const leaks = [
      { path: 'sync output', bytes: Buffer.from(result.stdout + result.stderr) },
      ...filesUnder(s.dir).filter(({ path }) => path !== s.configFile),
    ];
    expect(leaks.filter(({ bytes }) => bytes.includes(wrong)).map(({ path }) => path)).toEqual([]);
  });

  it('falls back past a dead first instance', async () => {
    const dead = 'http://127.0.0.1:9';
    const s = site({
      rsshub: { instances: [dead, open.url] },
      fetch: EXACT,
      defaults: KEEP,
      sources: [{ rsshub: '/test/1', categories: ['测试', 'RSSHub', '一'] }],
    });
    expect((await syncJson(s)).posts.created).toBe(test1Items);
    expect((await status(s))[0]).toMatchObject({ state: 'ok', instance: open.url });
  });

  it("files a route without categories under the instance's metadata, in zh and in en", async () => {
    const categoriesIn = async (language: 'zh' | 'en') => {
      const s = site({
        rsshub: { instances: [keyed.url], accessKey: KEY, language },
        fetch: EXACT,
        defaults: KEEP,
        sources: [{ rsshub: '/test/1' }],
      });
      await syncJson(s);
      return [...new Set(posts(s).map((post) => JSON.stringify(post.categories)))];
    };
    // The test namespace names no category and has no Chinese name: [其他/Uncategorized, namespace, route].
    expect(await categoriesIn('zh')).toEqual([JSON.stringify(['其他', 'RSSHub Test', 'Test'])]);
    expect(await categoriesIn('en')).toEqual([JSON.stringify(['Uncategorized', 'RSSHub Test', 'Test'])]);
  });

  it('gets a 304 for an unchanged route on the second sync, and writes nothing', async () => {
    const s = site({
      rsshub: { instances: [keyed.url], accessKey: KEY },
      fetch: EXACT,
      defaults: KEEP,
      sources: [{ rsshub: '/test/1', categories: ['测试', 'RSSHub', '一'] }],
    });
    expect((await syncJson(s)).posts.created).toBe(test1Items);
    const before = Object.fromEntries(Object.keys(s.posts()).map((file) => [file, statSync(join(s.postsDir, file)).mtimeMs]));
    const second = await syncJson(s);
    expect(second.sources).toMatchObject({ ok: 1, failed: 0, notModified: 1 });
    expect(second.posts).toMatchObject({ created: 0, updated: 0 });
    expect(Object.fromEntries(Object.keys(s.posts()).map((file) => [file, statSync(join(s.postsDir, file)).mtimeMs]))).toEqual(before);
  });

  it('leaves the post of an item that shares its guid with later ones alone on every sync (/test/complicated)', async () => {
    const s = site({
      rsshub: { instances: [open.url] },
      fetch: EXACT,
      defaults: KEEP,
      sources: [{ rsshub: '/test/complicated', categories: ['测试', 'RSSHub', '复杂'] }],
    });
    const first = await syncJson(s);
    // Nine items: the first four share one guid (and link), so the first of them and the other five.
    expect(first.posts.created).toBe(6);
    const written = s.posts();
    for (let run = 0; run < 2; run++) {
      // ?limit changes nothing but the URL's cache entry, so the feed is read in full again, not answered 304.
      expect((await syncJson(s)).posts).toMatchObject({ created: 0, updated: 0 });
    }
    expect(s.posts()).toEqual(written);
  });

  it('makes the same posts from RSS, Atom and JSON Feed output', async () => {
    const postsOf = async (format: string) => {
      const route = format === 'rss' ? '/test/1' : `/test/1?format=${format}`;
      const s = site({
        rsshub: { instances: [open.url] },
        fetch: EXACT,
        defaults: KEEP,
        sources: [{ rsshub: route, categories: ['测试', 'RSSHub', '一'] }],
      });
      await syncJson(s);
      return posts(s)
        .map(({ title, date, author, categories, original_url: link, _content: body, headimg }) => ({
          title,
          date: String(date),
          author,
          categories,
          link,
          body,
          headimg,
        }))
        .sort((a, b) => String(a.link).localeCompare(String(b.link)));
    };
    const rss = await postsOf('rss');
    expect(rss).toHaveLength(test1Items);
    expect(await postsOf('atom')).toEqual(rss);
    expect(await postsOf('json')).toEqual(rss);
  });

  it('keeps every author and the image enclosure of an item in every format (/test/json)', async () => {
    const peopleOf = async (format: string) => {
      const route = format === 'rss' ? '/test/json' : `/test/json?format=${format}`;
      const s = site({
        rsshub: { instances: [open.url] },
        fetch: EXACT,
        defaults: KEEP,
        sources: [{ rsshub: route, categories: ['测试', 'RSSHub', 'JSON'] }],
      });
      await syncJson(s);
      return posts(s)
        .map((post) => ({ link: String(post.original_url), author: String(post.author), image: String(post.headimg ?? '') }))
        .sort((a, b) => a.link.localeCompare(b.link));
    };
    const rss = await peopleOf('rss');
    expect(rss.map((post) => post.author)).toEqual(expect.arrayContaining(['DIYgod1, DIYgod2', 'DIYgod3, DIYgod4, DIYgod5']));
    expect(rss.filter((post) => post.image !== '').map((post) => post.image)).toEqual(['https://github.com/DIYgod/RSSHub/issues/0']);
    expect(await peopleOf('json')).toEqual(rss);
    // RSSHub's Atom output carries no enclosures at all: the authors must agree, the picture cannot.
    expect(await peopleOf('atom')).toEqual(rss.map((post) => ({ ...post, image: '' })));
  });

  it('adds rsshub:/route with categories from the metadata, a bare namespace included', async () => {
    const s = site({ rsshub: { instances: [keyed.url], accessKey: KEY, language: 'zh' }, sources: [] });
    for (const route of ['/test/1', '/appleinsider', '/solidot/linux', '/36kr/newsflashes', '/aljazeera/chinese/news']) {
      const result = await cli(s, ['add', `rsshub:${route}`]);
      expect(result.code, result.stderr).toBe(0);
    }
    const config = parseYaml(readFileSync(s.configFile, 'utf8')) as { sources: Array<{ rsshub: string; categories: string[] }> };
    expect(config.sources).toEqual([
      { rsshub: '/test/1', categories: ['其他', 'RSSHub Test', 'Test'] },
      { rsshub: '/appleinsider', categories: ['新媒体', 'AppleInsider', 'Category'] },
      { rsshub: '/solidot/linux', categories: ['传统媒体', 'Solidot', '最新消息'] },
      { rsshub: '/36kr/newsflashes', categories: ['新媒体', '36kr', '资讯, 快讯, 用户文章, 主题文章, 专题文章, 搜索文章, 搜索快讯'] },
      // This build names Aljazeera's only route `*` "Unknown", with no category: that is what it says.
      { rsshub: '/aljazeera/chinese/news', categories: ['其他', 'Aljazeera', 'Unknown'] },
    ]);
  });

  it('tells /test/* sources apart in status: the route beside the shared name', async () => {
    const s = site({
      rsshub: { instances: [open.url] },
      fetch: EXACT,
      defaults: KEEP,
      sources: [{ rsshub: '/test/1' }, { rsshub: '/test/long' }],
    });
    await syncJson(s);
    expect((await status(s)).map((row) => row.source)).toEqual(['RSSHub Test (rsshub:/test/1)', 'RSSHub Test (rsshub:/test/long)']);
  });

  describe("the route matcher over the instance's whole tables", () => {
    interface Route {
      path?: string | string[];
      example?: string;
    }
    interface RadarRule {
      source?: string | string[];
      target?: string;
    }
    let namespaces: Record<string, { routes?: Record<string, Route> }>;
    let radar: Record<string, Record<string, RadarRule[] | string>>;
    /**
     * RSSHub's own router (Hono, from the installed RSSHub) is the judge of what a namespace's patterns accept:
     * the pattern it routes `path` to, or null. One app per set of patterns, as RSSHub registers them.
     */
    const apps = new Map<string, { request(path: string): Promise<Response> }>();
    let Hono: new () => {
      basePath(path: string): { get(path: string, handler: (c: { text(t: string): Response }) => Response): unknown };
      request(path: string): Promise<Response>;
    };
    const routedBy = async (namespace: string, patterns: string[], path: string): Promise<string | null> => {
      const key = `${namespace}\n${patterns.join('\n')}`;
      let app = apps.get(key);
      if (!app) {
        const hono = new Hono();
        for (const pattern of patterns) hono.basePath(`/${namespace}`).get(pattern, (c) => c.text(pattern));
        apps.set(key, (app = hono));
      }
      const response = await app.request(path);
      return response.status === 200 ? await response.text() : null;
    };

    beforeAll(async () => {
      const get = async (path: string) => (await fetch(keyed.withCode(path))).json();
      [namespaces, radar] = await Promise.all([get('/api/namespace'), get('/api/radar/rules')]);
      ({ Hono } = await import(pathToFileURL(join((rsshub as RealRsshubReady).dir, 'node_modules/hono/dist/index.js')).href));
    }, 60_000);

    /** The part of a route's path the matcher is given: what follows the namespace, as newsstand cuts it. */
    const rest = (namespace: string, path: string) =>
      `/${path.split('?')[0]!.split('/').filter(Boolean).slice(namespace.split('/').length).join('/')}`;

    it("matches every example route that RSSHub's router gives to its own pattern (and lists the examples RSSHub writes wrong)", async () => {
      let checked = 0;
      const failures: string[] = [];
      const writtenWrong: string[] = [];
      for (const [namespace, data] of Object.entries(namespaces)) {
        for (const [key, route] of Object.entries(data.routes ?? {})) {
          if (!route.example) continue;
          const patterns = [key];
          const example = route.example.split('?')[0]!;
          if ((await routedBy(namespace, patterns, example)) === null) {
            writtenWrong.push(`/${namespace}${key} ← ${route.example}`);
            continue;
          }
          checked++;
          if (!matchRoute(key, rest(namespace, example))) failures.push(`/${namespace}${key} ← ${route.example}`);
        }
      }
      console.info(
        `route examples: ${checked} matched by RSSHub's router and by newsstand; ${writtenWrong.length} that RSSHub's own router refuses:\n${listed(writtenWrong)}`,
      );
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(2500);
      // Measured on this build: RSSHub writes a few dozen examples its own router refuses; a jump means the check broke.
      expect(writtenWrong.length).toBeLessThan(checked / 20);
    });

    it('matches every radar rule against a path made from its own source pattern, and finds the route its target names', async () => {
      let checked = 0;
      const failures: string[] = [];
      const writtenWrong: string[] = [];
      for (const [domain, subdomains] of Object.entries(radar)) {
        for (const [subdomain, rules] of Object.entries(subdomains)) {
          if (subdomain === '_name' || !Array.isArray(rules)) continue;
          for (const rule of rules) {
            if (!rule.target) continue;
            for (const source of [rule.source ?? []].flat()) {
              const where = `${subdomain === '.' ? '' : `${subdomain}.`}${domain}${source} → ${rule.target}`;
              const wrong = unreadable(source);
              if (wrong) {
                writtenWrong.push(`${where}: ${wrong}`);
                continue;
              }
              const page = samplePath(source);
              if (page === null) continue;
              checked++;
              const match = matchRoute(source, page);
              if (!match) {
                failures.push(`${where}: ${page} does not match its own pattern`);
                continue;
              }
              const target = fillRoute(rule.target, match.params);
              if (target === null) {
                writtenWrong.push(`${where}: the target needs a parameter the source does not give`);
                continue;
              }
              const namespace = target.split('/').filter(Boolean)[0] ?? '';
              const routes = Object.keys(namespaces[namespace]?.routes ?? {});
              const judged = await routedBy(namespace, routes, target);
              if (judged === null) {
                writtenWrong.push(`${where}: RSSHub's router has no route for ${target}`);
                continue;
              }
              if (!routes.some((pattern) => matchRoute(pattern, rest(namespace, target))))
                failures.push(`${where}: ${target} matches no route (RSSHub's router: ${judged})`);
            }
          }
        }
      }
      console.info(
        `radar rules: ${checked} source patterns checked and matched; ${writtenWrong.length} that RSSHub writes wrong:\n${listed(writtenWrong)}`,
      );
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(4000);
      // Measured on this build: 357 besides 6,056 checked (targets needing what the page does not give, namespaces written
      // twice); a jump means the check broke.
      expect(writtenWrong.length).toBeLessThan(checked / 10);
    });
  });
});

/** What RSSHub writes wrong, counted by kind with a few of each; every one with RSSHUB_LIST_ALL=1. */
function listed(entries: string[]): string {
  const kinds = new Map<string, string[]>();
  for (const entry of entries) {
    const kind = (entry.split(': ')[1] ?? 'example refused by its own pattern').replace(/ for \/.*$/, '');
    kinds.set(kind, [...(kinds.get(kind) ?? []), entry]);
  }
  const shown = process.env.RSSHUB_LIST_ALL === '1' ? Infinity : 5;
  return [...kinds]
    .map(
      ([kind, list]) =>
        `  ${list.length} × ${kind}, e.g.\n${list
          .slice(0, shown)
          .map((entry) => `      ${entry}`)
          .join('\n')}`,
    )
    .join('\n');
}

/**
 * A page path a source pattern stands for: each parameter given a value its constraint accepts, `*` a path.
 * Null when no candidate value fits a constraint (then the rule cannot be exercised here).
 */
function samplePath(pattern: string): string | null {
  let impossible = false;
  // Parameters as the matcher reads them: at a segment's start or after punctuation, not after a letter or digit.
  const path = pattern.replace(
    /(?<=^|[^\p{L}\p{N}]):(\w+)(\{((?:[^{}]|\{[^{}]*\})*)\})?\??|\*/gu,
    (token, _name: string, _braces: string | undefined, constraint: string | undefined) => {
      if (token === '*') return 'any/thing';
      if (constraint === undefined) return 'value1';
      const accepts = (() => {
        try {
          return new RegExp(`^(?:${constraint})$`);
        } catch {
          return null;
        }
      })();
      const value = ['123', 'abc', 'a1', 'value1', 'a/b', '2024', 'en', 'zh-cn', 'x'].find((candidate) => accepts?.test(candidate));
      if (value === undefined) impossible = true;
      return value ?? '';
    },
  );
  if (impossible) return null;
  return path.startsWith('/') ? path : `/${path}`;
}

/** Source patterns in another library's regex syntax (`$:path(.*)`, `/d+`): RSSHub wrote them wrong; listed, not checked. */
function unreadable(source: string): string | null {
  return /[()$]/.test(source.replace(/\{(?:[^{}]|\{[^{}]*\})*\}/g, '')) ? "another library's regex syntax" : null;
}
