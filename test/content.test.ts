/**
 * Content features end to end through `syncSite`: full text from a loopback article server, images mirrored
 * from a loopback image server that refuses requests without the right Referer, Chinese conversion, filters
 * (a pathological pattern included) and cross-source dedupe.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { sourceStatuses } from '../src/commands/status.js';
import { syncSite } from '../src/sync/sync.js';
import { parseWithHexo } from './helpers/hexo-front-matter.js';
import { makeSite, rss, type RssItem, type TestSite } from './helpers/site.js';

const NOW = new Date('2026-11-20T00:00:00Z');
// A real 1×1 PNG is too small to be a lead image by size only when its size is declared; the body says nothing.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);
const GIF = Buffer.from('47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');

interface Hit {
  path: string;
  referer: string | undefined;
}

let server: Server;
let base = '';
const hits: Hit[] = [];
const countHits = (path: string) => hits.filter((hit) => hit.path === path).length;

function article(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<meta property="og:image" content="/og/${encodeURIComponent(title)}.png"></head>
<body><header><nav><a href="/">首页</a> <a href="/world">国际</a></nav></header>
<main><article><h1>${title}</h1>${body}</article>
<aside class="related"><h3>相关阅读</h3><ul><li><a href="/x">别的新闻</a></li></ul></aside></main>
<footer>版权所有 © 示例新闻网</footer></body></html>`;
}

const LONG_TEXT = '这是文章页上的完整正文，比订阅源里的摘要长得多，包含了记者在现场采访得到的全部细节和背景资料。'.repeat(4);

function serve(request: IncomingMessage, response: import('node:http').ServerResponse): void {
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  hits.push({ path, referer: request.headers.referer });
  const html = (text: string) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(text);
  if (path.startsWith('/article/')) {
    const n = path.slice('/article/'.length);
    html(
      article(
        `文章${n}`,
        `<p>${LONG_TEXT}</p><p>第二段：${n}号文章的独有内容。</p><figure><img src="/guarded/${n}.png"><figcaption>图片说明</figcaption></figure>`,
      ),
    );
    return;
  }
  if (path === '/story/1') {
    html(
      `<html><body><div class="ad">广告内容</div><div class="story"><p>只取这一段。</p></div><div class="story"><p>还有这一段。</p></div><p>页脚文字</p></body></html>`,
    );
    return;
  }
  // Images: /guarded/* only with the news site's own Referer, /open/* for anyone.
  if (path.startsWith('/guarded/')) {
    if (request.headers.referer !== 'https://news.example/') return void response.writeHead(403).end('hotlinking refused');
    return void response.writeHead(200, { 'content-type': 'image/png' }).end(path.endsWith('b.png') ? GIF : PNG);
  }
  if (path.startsWith('/open/')) return void response.writeHead(200, { 'content-type': 'image/gif' }).end(path.includes('png') ? PNG : GIF);
  if (path.startsWith('/og/')) return void response.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
  response.writeHead(404).end('not found');
}

beforeAll(async () => {
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let sites: TestSite[] = [];
afterEach(() => {
  for (const site of sites) site.remove();
  sites = [];
  hits.length = 0;
});

// The article and image servers of these tests are on loopback, which sites refuse by default (below).
const LOOPBACK_ALLOWED = { fetch: { allowPrivateNetworks: true } };

function siteWith(sources: Array<{ feed: string; items: RssItem[]; settings?: object }>, extra: object = LOOPBACK_ALLOWED): TestSite {
  const site = makeSite();
  sites.push(site);
  site.writeConfig({
    sources: sources.map(({ feed, items, settings }) => ({
      file: site.writeFeed(feed, rss(items)),
      categories: ['新闻', feed, '全部'],
      ...settings,
    })),
    ...extra,
  });
  return site;
}

async function sync(site: TestSite, now = NOW) {
  return syncSite({ config: await site.config(), now, select: { all: true }, http: { retryBaseMs: 1 } });
}

function posts(site: TestSite) {
  return Object.values(site.posts())
    .map((text) => {
      const { _content, ...data } = parseWithHexo(text);
      return { data, content: _content };
    })
    .sort((a, b) => String(a.data.title).localeCompare(String(b.data.title)));
}

const item = (n: number, extra: Partial<RssItem> = {}): RssItem => ({
  title: `第${n}条`,
  guid: `g${n}`,
  link: `https://news.example/2026/${n}.html`,
  pubDate: new Date(Date.UTC(2026, 10, n, 8)).toUTCString(),
  description: `<p>摘要${n}</p>`,
  ...extra,
});

describe('full text', () => {
  it("publishes the article page's text instead of the summary, fetched once", async () => {
    const site = siteWith([
      {
        feed: 'a.xml',
        items: [item(1, { link: `${base}/article/1` }), item(2, { link: `${base}/article/2` })],
        settings: { fullText: true },
      },
    ]);
    const summary = await sync(site);
    expect(summary.warnings).toEqual([]);
    const [first, second] = posts(site);
    expect(first!.content).toContain(LONG_TEXT.slice(0, 40));
    expect(first!.content).toContain('1号文章的独有内容');
    expect(second!.content).toContain('2号文章的独有内容');
    for (const post of [first!, second!]) {
      expect(post.content).not.toMatch(/摘要\d|首页|相关阅读|版权所有/);
      // Relative image URLs on the page are made absolute against the page, not the feed.
      expect(post.content).toContain(`${base}/guarded/`);
    }
    expect(countHits('/article/1')).toBe(1);

    // A change that rewrites every post (categories) uses the stored text: no page is fetched again.
    const config = (await loadConfig(site.configFile)) as Awaited<ReturnType<typeof loadConfig>>;
    site.writeConfig({ ...LOOPBACK_ALLOWED, sources: [{ file: './feeds/a.xml', categories: ['要闻', 'A', '全部'], fullText: true }] });
    const again = await syncSite({ config: await site.config(), now: NOW, select: { all: true } });
    expect(again.posts.updated).toBe(2);
    expect(countHits('/article/1')).toBe(1);
    expect(config.sources[0]!.fullText).toEqual({ selector: '' });
  });

  it('extracts what a CSS selector names', async () => {
    const site = siteWith([
      { feed: 'a.xml', items: [item(1, { link: `${base}/story/1` })], settings: { fullText: { selector: '.story' } } },
    ]);
    await sync(site);
    const [post] = posts(site);
    expect(post!.content).toContain('只取这一段。');
    expect(post!.content).toContain('还有这一段。');
    expect(post!.content).not.toMatch(/广告内容|页脚文字|摘要/);
  });

  it("keeps the feed's content when the page fails, says so in status, and tries again on the next runs", async () => {
    const site = siteWith([
      {
        feed: 'a.xml',
        items: [item(1, { link: `${base}/missing/1` }), item(2, { link: `${base}/article/2` })],
        settings: { fullText: true },
      },
    ]);
    const summary = await sync(site);
    expect(summary.sources.ok).toBe(1);
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]!.message).toMatch(/1 item published without all of their content.*missing\/1.*HTTP 404/);
    const byTitle = Object.fromEntries(posts(site).map((post) => [post.data.title, post.content]));
    expect(byTitle.第1条).toContain('摘要1');
    expect(byTitle.第2条).toContain('2号文章的独有内容');

    const [status] = sourceStatuses(await site.config());
    expect(status!.state).toBe('ok');
    expect(status!.warning).toMatch(/HTTP 404/);

    // Retried on the next runs (the feed is read in full although it did not change), three attempts in all.
    await sync(site, new Date(NOW.getTime() + 3_600_000));
    await sync(site, new Date(NOW.getTime() + 7_200_000));
    await sync(site, new Date(NOW.getTime() + 10_800_000));
    expect(countHits('/missing/1')).toBe(3);
    expect(countHits('/article/2')).toBe(1);
  });
});

describe('links a feed names on private addresses', () => {
  it('are neither fetched for full text nor mirrored by default, and the summary says why', async () => {
    const description = `<p>正文</p><img src="${base}/open/x.gif">`;
    const site = siteWith(
      [
        {
          feed: 'a.xml',
          items: [item(1, { description, link: `${base}/article/1` })],
          settings: { fullText: true, images: { mirror: true } },
        },
      ],
      {},
    );
    const summary = await sync(site);
    expect(hits).toEqual([]);
    const [post] = posts(site);
    expect(post!.content).toContain('正文');
    expect(post!.content).toContain(`src="${base}/open/x.gif"`);
    const warning = summary.warnings[0]!.message;
    expect(warning).toContain(`refused ${base}/`);
    expect(warning).toContain('127.0.0.1 is a private network address');
    expect(warning).toContain('fetch.allowPrivateNetworks');
  });
});

describe('image mirroring', () => {
  it("downloads images with the article's origin as Referer into source/images and points the post at them", async () => {
    const description = `<p>图文</p><img src="${base}/guarded/a.png"><img src="${base}/guarded/b.png"><img src="${base}/guarded/a.png?again">`;
    const site = siteWith([
      { feed: 'a.xml', items: [item(1, { description })], settings: { images: { mirror: true, referer: 'origin' } } },
    ]);
    const summary = await sync(site);
    expect(summary.warnings).toEqual([]);
    const [post] = posts(site);
    const sources = [...post!.content.matchAll(/<img [^>]*src="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources).toHaveLength(3);
    for (const src of sources) expect(src).toMatch(/^\/images\/[0-9a-f]{2}\/[0-9a-f]{20}\.(png|gif)$/);
    expect(sources[0]).toBe(sources[2]); // same bytes, one file
    expect(sources[0]).not.toBe(sources[1]);
    expect(post!.data.headimg).toBe(sources[0]);
    expect(post!.data.thumbnail).toBe(sources[0]);
    expect(readFileSync(join(site.dir, 'source', sources[0]!))).toEqual(PNG);
    expect(readFileSync(join(site.dir, 'source', sources[1]!))).toEqual(GIF);
    expect(hits.filter((hit) => hit.path.startsWith('/guarded/')).every((hit) => hit.referer === 'https://news.example/')).toBe(true);
  });

  it('keeps the remote URL when the image server refuses, and says so', async () => {
    const description = `<img src="${base}/guarded/a.png"><img src="${base}/open/x.gif">`;
    const site = siteWith([{ feed: 'a.xml', items: [item(1, { description })], settings: { images: { mirror: true } } }]);
    const summary = await sync(site);
    const [post] = posts(site);
    expect(post!.content).toContain(`src="${base}/guarded/a.png"`);
    expect(post!.content).toMatch(/src="\/images\/[0-9a-f]{2}\/[0-9a-f]{20}\.gif"/);
    expect(summary.warnings[0]!.message).toMatch(/images: 1 of 2 not mirrored \(HTTP 403/);
  });

  it("sends a fixed Referer when configured, and honours Hexo's root", async () => {
    const site = siteWith([
      {
        feed: 'a.xml',
        items: [item(1, { description: `<img src="${base}/guarded/a.png">`, link: 'https://elsewhere.example/1' })],
        settings: { images: { mirror: true, referer: 'https://news.example/' } },
      },
    ]);
    const hexoConfig = join(site.dir, '_config.yml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(hexoConfig, `${readFileSync(hexoConfig, 'utf8')}\nroot: /blog/\n`);
    await sync(site);
    expect(posts(site)[0]!.content).toMatch(/src="\/blog\/images\/[0-9a-f]{2}\/[0-9a-f]{20}\.png"/);
  });

  it('removes images no post shows any more once retention prunes their posts', async () => {
    const feedItems = [1, 2, 3].map((n) =>
      item(n, { description: `<img src="${base}/open/${n}.gif?n=${n}"><img src="${base}/open/shared.png">` }),
    );
    const site = siteWith([
      { feed: 'a.xml', items: feedItems, settings: { images: { mirror: true }, retention: { maxItems: 3, maxAge: '3650d' } } },
    ]);
    await sync(site);
    const imagesDir = join(site.dir, 'source', 'images');
    const files = () => readdirSync(imagesDir, { recursive: true }).filter((name) => String(name).includes('.')).length;
    // Three GIFs with the same bytes are one file; the PNG another.
    expect(files()).toBe(2);

    site.writeConfig({
      sources: [
        {
          file: './feeds/a.xml',
          categories: ['新闻', 'a.xml', '全部'],
          images: { mirror: false },
          retention: { maxItems: 3, maxAge: '3650d' },
        },
      ],
    });
    await sync(site);
    expect(posts(site).every((post) => !post.content.includes('/images/'))).toBe(true);
    expect(files()).toBe(0);
    expect(existsSync(imagesDir)).toBe(true);
  });

  it('keeps an image a post still shows after the state was deleted and rebuilt', async () => {
    // Items 1 and 2 show the same picture (same bytes under two URLs: one file).
    const feedItems = [1, 2].map((n) => item(n, { description: `<img src="${base}/open/${n}.png?n=${n}">` }));
    const site = siteWith([
      { feed: 'a.xml', items: feedItems, settings: { images: { mirror: true }, retention: { maxItems: 2, maxAge: '3650d' } } },
    ]);
    await sync(site);
    const { rmSync, writeFileSync } = await import('node:fs');
    rmSync(join(site.dir, '.newsstand', 'state.db'));
    // Item 2 leaves the feed (its post stays); item 1 is published again and later pruned by newer items.
    writeFileSync(join(site.dir, 'feeds', 'a.xml'), rss([feedItems[0]!, item(3, { description: '<p>无图</p>' })]));
    await sync(site, new Date(NOW.getTime() + 60_000));
    writeFileSync(
      join(site.dir, 'feeds', 'a.xml'),
      rss([feedItems[0]!, item(3, { description: '<p>无图</p>' }), item(4, { description: '<p>无图</p>' })]),
    );
    await sync(site, new Date(NOW.getTime() + 120_000));
    const titles = posts(site).map((post) => post.data.title);
    expect(titles).toEqual(['第2条', '第3条', '第4条']);
    const shown = posts(site).flatMap((post) => [...post.content.matchAll(/src="\/images\/([^"]+)"/g)].map((match) => match[1]!));
    expect(shown).toHaveLength(1);
    expect(existsSync(join(site.dir, 'source', 'images', shown[0]!))).toBe(true);
  });
});

describe('Chinese conversion', () => {
  it('converts the title and the body text, never attributes or URLs', async () => {
    const description = `<p title="繁體標題">這是繁體中文的內容，關於電腦與網絡。</p><a href="https://news.example/繁體">連結</a><img src="https://img.example/a.jpg" alt="圖片說明">`;
    const site = siteWith([{ feed: 'a.xml', items: [item(1, { title: '臺灣電腦產業發展', description })], settings: { convert: 't2s' } }]);
    await sync(site);
    const [post] = posts(site);
    expect(post!.data.title).toBe('台湾电脑产业发展');
    expect(post!.content).toContain('这是繁体中文的内容，关于电脑与网络。');
    expect(post!.content).toContain('>连结</a>');
    expect(post!.content).toContain('title="繁體標題"');
    expect(post!.content).toContain('alt="圖片說明"');
    expect(post!.content).toContain(encodeURI('https://news.example/繁體'));
  });
  it("converts the author too: the post says 陈志明, so the site's search finds it", async () => {
    const site = siteWith([{ feed: 'a.xml', items: [item(1, { title: '晶圓代工', author: '陳志明' })], settings: { convert: 'tw2sp' } }]);
    await sync(site);
    const [post] = posts(site);
    expect(post!.data.author).toBe('陈志明');
    expect(post!.data.title).toBe('晶圆代工');
  });
});

describe('filters', () => {
  it('keeps what include matches and drops what exclude matches, case-insensitively', async () => {
    const site = siteWith([
      {
        feed: 'a.xml',
        items: [
          item(1, { title: 'AI 芯片新突破' }),
          item(2, { title: '今日天气' }),
          item(3, { title: 'ai 推广：广告' }),
          item(4, { title: '芯片', author: 'Bot' }),
        ],
        settings: { include: { title: 'ai|芯片' }, exclude: { title: '广告', author: '^bot$' } },
      },
    ]);
    const summary = await sync(site);
    expect(posts(site).map((post) => post.data.title)).toEqual(['AI 芯片新突破']);
    expect(summary.posts.filtered).toBe(3);
  });

  it('cannot be hung by a pathological pattern on a long title', async () => {
    const title = `${'a'.repeat(30_000)}!`;
    const site = siteWith([
      {
        feed: 'a.xml',
        items: [item(1, { title }), item(2, { title: '正常标题' })],
        settings: { exclude: { title: '^(a+)+$', content: '(x+x+)+y' } },
      },
    ]);
    // With a backtracking engine `^(a+)+$` on 30,000 a's and a "!" would not finish in a lifetime.
    const summary = await sync(site);
    expect(summary.sources.ok).toBe(1);
    expect(posts(site)).toHaveLength(2);
  });
});

describe('cross-source dedupe', () => {
  it('publishes the same article once when two sources link it with tracking parameters, case and slash differences', async () => {
    const site = siteWith([
      { feed: 'first.xml', items: [item(1, { link: 'https://News.Example/2026/story/?utm_source=rss&utm_medium=feed' })] },
      {
        feed: 'second.xml',
        items: [item(2, { title: '另一个标题', link: 'http://news.example/2026/story?spm=a1.b2&fbclid=xyz#comments' })],
      },
    ]);
    const summary = await sync(site);
    expect(summary.posts).toMatchObject({ created: 1, duplicates: 1 });
    const [post] = posts(site);
    expect(post!.data.categories).toEqual(['新闻', 'first.xml', '全部']); // the first source wins
  });
});

describe('lead image', () => {
  it("skips decoration in the body and falls back to the feed's own image", async () => {
    const feed = `<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>t</title><link>https://news.example/</link>
<item><title>有图</title><guid>m1</guid><link>https://news.example/m1</link>
<description><![CDATA[<p><img class="wp-smiley" src="https://news.example/smilies/smile.png" alt="🙂"> 正文 <img src="https://news.example/u/avatar-1.jpg" width="48" height="48"></p>]]></description>
<media:thumbnail url="https://img.example/thumb/m1.jpg"/></item></channel></rss>`;
    const site = makeSite();
    sites.push(site);
    site.writeConfig({ sources: [{ file: site.writeFeed('m.xml', feed), categories: ['新闻'] }] });
    await sync(site);
    const [post] = posts(site);
    expect(post!.data.headimg).toBe('https://img.example/thumb/m1.jpg');
    expect(post!.content).toContain('wp-smiley'); // decoration stays in the body, it just does not lead
  });
});
