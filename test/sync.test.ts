import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock } from '../src/store/lock.js';
import { syncSite } from '../src/sync/sync.js';
import { parseWithHexo } from './helpers/hexo-front-matter.js';
import { makeSite, rss, runCli, type RssItem, type TestSite } from './helpers/site.js';

const NOW = new Date('2026-11-20T00:00:00Z');

function items(count: number, start = 1): RssItem[] {
  return Array.from({ length: count }, (_, i) => {
    const n = start + i;
    return {
      title: `第${n}条新闻`,
      link: `https://news.example.cn/a/${n}.html`,
      guid: `guid-${n}`,
      pubDate: new Date(Date.UTC(2026, 10, n, 8, 0, 0)).toUTCString(),
      description: `<p>正文 ${n}</p><img src="/img/${n}.jpg">`,
    };
  });
}

let sites: TestSite[] = [];
afterEach(() => {
  for (const site of sites) site.remove();
  sites = [];
});

function siteWith(feeds: Record<string, string>, extra: object = {}): TestSite {
  const site = makeSite();
  sites.push(site);
  const sources = Object.entries(feeds).map(([name, text]) => ({ file: site.writeFeed(name, text), categories: ['新闻', name, '全部'] }));
  site.writeConfig({ sources, ...extra });
  return site;
}

async function sync(site: TestSite, options: { dryRun?: boolean; now?: Date } = {}) {
  return syncSite({
    config: await site.config(),
    dryRun: options.dryRun,
    now: options.now ?? NOW,
    select: { all: true },
    http: { retryBaseMs: 10 },
  });
}

function mtimes(site: TestSite): Record<string, number> {
  return Object.fromEntries(readdirSync(site.postsDir).map((name) => [name, statSync(join(site.postsDir, name)).mtimeMs]));
}

describe('sync', () => {
  it('writes one post per item, then nothing on a second run', async () => {
    const site = siteWith({ 'a.xml': rss(items(3)) });
    const first = await sync(site);
    expect(first.posts).toMatchObject({ created: 3, updated: 0, pruned: 0 });
    expect(Object.keys(site.posts())).toHaveLength(3);
    const before = mtimes(site);

    // The file did not change: it is not even read again.
    const second = await sync(site);
    expect(second.sources.notModified).toBe(1);
    expect(second.posts).toMatchObject({ created: 0, updated: 0, pruned: 0 });
    expect(mtimes(site)).toEqual(before);

    // Touched but identical: read and parsed, every item unchanged, nothing written.
    writeFileSync(join(site.dir, 'feeds/a.xml'), rss(items(3)) + '\n');
    const third = await sync(site);
    expect(third.posts).toMatchObject({ created: 0, updated: 0, pruned: 0, unchanged: 3 });
    expect(mtimes(site)).toEqual(before);
  });

  it('publishes the first of several items that share a guid, and leaves its post alone on every later run', async () => {
    const shared = (n: number): RssItem => ({ ...items(1, n)[0]!, guid: 'same-guid' });
    const site = siteWith({ 'a.xml': rss([shared(1), shared(2), shared(3)]) });
    expect((await sync(site)).posts).toMatchObject({ created: 1, updated: 0 });
    const [file] = Object.keys(site.posts());
    const first = site.posts()[file!];
    expect(first).toContain('第1条新闻');
    const before = mtimes(site);
    for (const run of [1, 2, 3]) {
      // Touched, so it is read again: the later items with the same guid must not take the post over.
      writeFileSync(join(site.dir, 'feeds/a.xml'), rss([shared(1), shared(2), shared(3)]) + '\n'.repeat(run));
      expect((await sync(site)).posts).toMatchObject({ created: 0, updated: 0 });
    }
    expect(site.posts()[file!]).toBe(first);
    expect(mtimes(site)).toEqual(before);
  });

  it('rewrites a changed item in place: same file, same date, new title and content', async () => {
    const site = siteWith({ 'a.xml': rss(items(2)) });
    await sync(site);
    const [name, original] = Object.entries(site.posts()).find(([, text]) => text.includes('第1条新闻'))!;

    const changed = items(2);
    changed[0] = {
      ...changed[0]!,
      title: '第1条新闻（更新）',
      description: '<p>更正后的正文</p>',
      pubDate: 'Sun, 22 Nov 2026 09:00:00 GMT',
    };
    writeFileSync(join(site.dir, 'feeds/a.xml'), rss(changed));
    const summary = await sync(site);
    expect(summary.posts).toMatchObject({ created: 0, updated: 1 });

    const posts = site.posts();
    expect(Object.keys(posts)).toHaveLength(2);
    const rewritten = parseWithHexo(posts[name]!);
    expect(rewritten.title).toBe('第1条新闻（更新）');
    expect(rewritten._content).toContain('更正后的正文');
    expect(rewritten.date).toBe(parseWithHexo(original).date);
  });

  it('rewrites posts when the source’s configuration changes, even though the feed did not', async () => {
    const site = siteWith({ 'a.xml': rss(items(2)) });
    await sync(site);
    expect((await sync(site)).sources.notModified).toBe(1);
    const config = await site.config();
    site.writeConfig({ sources: [{ file: './feeds/a.xml', categories: ['要闻', 'A 站', '全部'] }] });
    expect(config.sources).toHaveLength(1);
    const summary = await sync(site);
    expect(summary.sources.notModified).toBe(0);
    expect(summary.posts.updated).toBe(2);
    for (const text of Object.values(site.posts())) expect(parseWithHexo(text).categories).toEqual(['要闻', 'A 站', '全部']);
  });

  it('rebuilds a deleted state database from the posts and writes no duplicate', async () => {
    const site = siteWith({ 'a.xml': rss(items(4)) });
    await sync(site);
    const before = site.posts();
    rmSync(join(site.dir, '.newsstand'), { recursive: true, force: true });

    const summary = await sync(site);
    expect(summary.posts.created).toBe(0);
    expect(site.posts()).toEqual(before);
  });

  it('sets a damaged state database aside and rebuilds it from the posts', async () => {
    const site = siteWith({ 'a.xml': rss(items(3)) });
    await sync(site);
    const before = site.posts();
    const stateDir = join(site.dir, '.newsstand');
    for (const name of readdirSync(stateDir).filter((n) => n.startsWith('state.db'))) rmSync(join(stateDir, name));
    writeFileSync(join(stateDir, 'state.db'), 'this is not a database '.repeat(100));

    expect((await sync(site, { dryRun: true })).posts.created).toBe(0);
    const summary = await sync(site);
    expect(summary.posts.created).toBe(0);
    expect(site.posts()).toEqual(before);
    expect(readdirSync(stateDir).some((name) => name.startsWith('state.db.damaged-'))).toBe(true);
  });

  it('publishes the same link from two sources once, for the first source', async () => {
    const site = siteWith({ 'first.xml': rss(items(2)), 'second.xml': rss(items(3)) });
    const summary = await sync(site);
    expect(summary.posts.created).toBe(3);
    expect(summary.posts.duplicates).toBe(2);
    const categories = Object.values(site.posts()).map((text) => (parseWithHexo(text).categories as string[])[1]);
    expect(categories.filter((c) => c === 'first.xml')).toHaveLength(2);
    expect(categories.filter((c) => c === 'second.xml')).toHaveLength(1);
  });

  it('keeps only the newest maxItems posts and prunes older ones as new items arrive', async () => {
    const site = siteWith({ 'a.xml': rss(items(4)) }, { defaults: { retention: { maxItems: 2 } } });
    const first = await sync(site);
    expect(first.posts.created).toBe(2);
    expect(
      Object.values(site.posts())
        .map((t) => parseWithHexo(t).title)
        .sort(),
    ).toEqual(['第3条新闻', '第4条新闻']);

    writeFileSync(join(site.dir, 'feeds/a.xml'), rss(items(5)));
    const second = await sync(site);
    expect(second.posts).toMatchObject({ created: 1, pruned: 1 });
    expect(
      Object.values(site.posts())
        .map((t) => parseWithHexo(t).title)
        .sort(),
    ).toEqual(['第4条新闻', '第5条新闻']);

    // A pruned item still in the feed is not published again.
    const third = await sync(site);
    expect(third.posts).toMatchObject({ created: 0, pruned: 0 });
  });

  it('prunes posts older than maxAge and does not publish items already too old', async () => {
    const site = siteWith({ 'a.xml': rss(items(10)) }, { defaults: { retention: { maxAge: '5d' } } });
    await sync(site, { now: new Date('2026-11-08T00:00:00Z') });
    // Items dated 3..7 Nov are within 5 days of 8 Nov; 1–2 Nov are too old, 8–10 Nov are in the future.
    const firstTitles = Object.values(site.posts()).map((t) => parseWithHexo(t).title as string);
    expect(firstTitles).not.toContain('第1条新闻');
    expect(firstTitles).toContain('第3条新闻');

    const later = await sync(site, { now: new Date('2026-11-12T00:00:00Z') });
    // By 12 Nov the cutoff is 7 Nov: the posts of 3–6 Nov go.
    expect(later.posts.pruned).toBe(4);
    const laterTitles = Object.values(site.posts()).map((t) => parseWithHexo(t).title as string);
    expect(laterTitles).not.toContain('第3条新闻');
    expect(laterTitles).toContain('第10条新闻');
  });

  it('writes nothing on a dry run', async () => {
    const site = siteWith({ 'a.xml': rss(items(3)) });
    const summary = await sync(site, { dryRun: true });
    expect(summary.posts.created).toBe(3);
    expect(site.posts()).toEqual({});
    expect(() => statSync(join(site.dir, '.newsstand/state.db'))).toThrow();
  });

  it('keeps going when one source fails, and keeps the failing source’s posts', async () => {
    const server: Server = createServer((request, response) => {
      if (request.url === '/feed.xml') response.end(rss(items(2, 20)));
      else response.writeHead(500).end('broken');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const site = siteWith({ 'a.xml': rss(items(2)) });
      const config = await site.config();
      site.writeConfig({
        sources: [
          { url: `${base}/feed.xml`, categories: ['新闻', 'web', '全部'] },
          { url: `${base}/missing.xml`, categories: ['新闻', 'broken', '全部'] },
          { file: './feeds/a.xml', categories: ['新闻', 'file', '全部'] },
        ],
      });
      expect(config.sources).toHaveLength(1);
      const summary = await sync(site);
      expect(summary.sources).toMatchObject({ total: 3, fetched: 3, ok: 2, failed: 1 });
      expect(summary.failures[0]!.message).toContain('HTTP 500');
      expect(summary.posts.created).toBe(4);

      // The web source breaks too: its posts stay.
      site.writeConfig({ sources: [{ url: `${base}/gone.xml`, categories: ['新闻', 'web', '全部'] }] });
      const broken = await sync(site);
      expect(broken.sources.failed).toBe(1);
      expect(Object.keys(site.posts())).toHaveLength(4);
    } finally {
      server.close();
    }
  });

  it('refuses to run while another run holds the lock: the CLI exits 3', async () => {
    const site = siteWith({ 'a.xml': rss(items(1)) });
    const config = await site.config();
    const lock = acquireLock(join(config.site.root, '.newsstand/lock'));
    try {
      const result = await runCli(['sync', '--config', site.configFile]);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('another newsstand run');
      expect(site.posts()).toEqual({});
    } finally {
      lock.release();
    }
    const after = await runCli(['sync', '--config', site.configFile]);
    expect(after.code).toBe(0);
    expect(Object.keys(site.posts())).toHaveLength(1);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const site = siteWith({ 'a.xml': rss(items(1)) });
    const { hostname } = await import('node:os');
    const lockPath = join(site.dir, '.newsstand/lock');
    await import('node:fs').then((fs) => {
      fs.mkdirSync(join(site.dir, '.newsstand'), { recursive: true });
      fs.writeFileSync(lockPath, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started: '2026-01-01T00:00:00Z' }));
    });
    const summary = await sync(site);
    expect(summary.posts.created).toBe(1);
  });

  it('gives posts stable, filesystem-safe names from the filename pattern', async () => {
    const hostile: RssItem[] = [
      { title: '../../etc/passwd', guid: '../../../evil', link: 'https://x.example/1', pubDate: 'Mon, 02 Nov 2026 08:00:00 GMT' },
      { title: 'CON', guid: 'CON', link: 'https://x.example/2', pubDate: 'Mon, 02 Nov 2026 08:00:00 GMT' },
    ];
    const site = siteWith({ 'a.xml': rss(hostile) }, { site: { filename: ':year-:month-:day-:title-:id' } });
    await sync(site);
    const names = Object.keys(site.posts());
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^2026-11-02-[a-z0-9-]+\.md$/);
    expect(readdirSync(site.dir).sort()).toEqual(['.newsstand', '_config.yml', 'feeds', 'newsstand.yml', 'source']);
  });
});
