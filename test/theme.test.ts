import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeedBytes } from '../src/feed/parse.js';
import { buildSite } from '../src/site/build.js';
import { syncSite } from '../src/sync/sync.js';
import { makeSite, rss, type TestSite } from './helpers/site.js';

// The bundled theme `newsstand` (themes/newsstand), rendered by real Hexo from posts newsstand wrote.

const SITE_URL = 'http://localhost:4000';
const HOSTILE_TITLE = '</title><script>alert(1)</script> & "引号" <b>粗体</b>';

const TECH = [
  {
    title: '国产芯片完成流片',
    link: 'https://tech.example.cn/news/1',
    guid: 'tech-1',
    pubDate: 'Mon, 02 Mar 2026 10:00:00 +0800',
    description: '<p>首批样片将于明年交付。</p><p><img src="https://img.example.cn/chip.jpg" width="800" height="450"></p>',
  },
  {
    title: '开源数据库发布新版本',
    link: 'https://tech.example.cn/news/2',
    guid: 'tech-2',
    pubDate: 'Tue, 03 Mar 2026 09:30:00 +0800',
    author: '林雅婷',
    description: '<p>查找性能提升三成。</p>',
  },
];

// RSS with an image enclosure and no image in the content: the post page shows it as the lead image.
const WORLD_RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>环球观察</title>
<link>https://world.example.org/</link>
<description>test</description>
<language>zh-cn</language>
<item>
<title>北欧三国联合建设海上风电输电网</title>
<link>https://world.example.org/a/wind</link>
<guid>world-1</guid>
<pubDate>Wed, 04 Mar 2026 08:30:00 +0800</pubDate>
<enclosure url="https://img.example.org/wind.jpg" type="image/jpeg" length="1000"/>
<description><![CDATA[<p>跨境输电网预计 2030 年建成。</p>]]></description>
</item>
<item>
<title>Hostile</title>
<link>https://world.example.org/a/hostile</link>
<guid>world-2</guid>
<pubDate>Thu, 05 Mar 2026 12:00:00 +0800</pubDate>
<description><![CDATA[<p>正文。</p>]]></description>
</item>
</channel>
</rss>`;

const TECH_TITLES = TECH.map((item) => item.title);

let site: TestSite;
let publicDir: string;

function read(path: string): string {
  return readFileSync(join(publicDir, path), 'utf8');
}

function documentOf(path: string): Document {
  return parseHTML(read(path)).document as unknown as Document;
}

function texts(document: Document, selector: string): string[] {
  return [...document.querySelectorAll(selector)].map((element) => element.textContent?.trim() ?? '');
}

/** The public file a root-relative link of the site points at. */
function fileOf(href: string): string {
  const path = decodeURI(new URL(href, SITE_URL).pathname);
  return path.endsWith('/') ? `${path.slice(1)}index.html` : path.slice(1);
}

function postPage(title: string): Document {
  const link = [...documentOf('index.html').querySelectorAll('.card-title a')].find((a) => a.textContent === title);
  if (!link) throw new Error(`no card titled ${title}`);
  return documentOf(fileOf(link.getAttribute('href')!));
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return htmlFiles(path);
    return name.endsWith('.html') ? [relative(publicDir, path)] : [];
  });
}

describe('the newsstand theme', () => {
  beforeAll(async () => {
    site = makeSite();
    const tech = site.writeFeed('tech.xml', rss(TECH));
    const world = site.writeFeed('world.xml', WORLD_RSS);
    site.writeConfig({
      defaults: { retention: { maxAge: '36500d' } },
      sources: [
        { file: tech, name: '极客日报', categories: ['科技', '极客日报', '快讯'] },
        { file: world, name: '环球观察', categories: ['国际', '环球观察', '要闻'] },
      ],
    });
    const hexoConfig = join(site.dir, '_config.yml');
    writeFileSync(hexoConfig, readFileSync(hexoConfig, 'utf8').replace(/^theme: .*$/m, 'theme: newsstand'));
    await syncSite({ config: await site.config() });
    // Feed titles reach posts as plain text; a title that is markup can still come from a hand-edited post.
    const [hostileFile] = Object.entries(site.posts()).find(([, text]) => text.includes('/a/hostile'))!;
    const hostilePath = join(site.postsDir, hostileFile);
    writeFileSync(hostilePath, readFileSync(hostilePath, 'utf8').replace(/^title: .*$/m, `title: '${HOSTILE_TITLE}'`));
    await buildSite({ root: site.dir });
    publicDir = join(site.dir, 'public');
  }, 120_000);
  afterAll(() => site.remove());

  it('shows one card per post on the home page, with thumbnail, title, source and time', () => {
    const document = documentOf('index.html');
    const cards = [...document.querySelectorAll('.card')];
    expect(cards).toHaveLength(4);
    expect(texts(document, '.card-title a')).toEqual(expect.arrayContaining([...TECH_TITLES, '北欧三国联合建设海上风电输电网']));
    for (const card of cards) {
      expect(read(fileOf(card.querySelector('.card-title a')!.getAttribute('href')!))).toContain('article class="post"');
      expect(['极客日报', '环球观察']).toContain(card.querySelector('.source')?.textContent?.trim());
      expect(card.querySelector('time')?.getAttribute('datetime')).toMatch(/^2026-03-0\dT\d\d:\d\d:00\.000Z$/);
    }
    const chip = cards.find((card) => card.textContent?.includes('国产芯片完成流片'))!;
    const thumbnail = chip.querySelector('img')!;
    expect(thumbnail.getAttribute('src')).toBe('https://img.example.cn/chip.jpg');
    expect(thumbnail.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(thumbnail.getAttribute('loading')).toBe('lazy');
    // The source is the site level of the categories, linked to that category's page; the item's author
    // follows when it is someone else.
    const database = cards.find((card) => card.textContent?.includes('开源数据库发布新版本'))!;
    expect(database.querySelector('.card-meta a.source')?.textContent).toBe('极客日报');
    expect(database.querySelector('.card-meta a.source')?.getAttribute('href')).toBe(
      `/categories/${encodeURIComponent('科技')}/${encodeURIComponent('极客日报')}/`,
    );
    expect(database.querySelector('.card-meta a.source')?.getAttribute('title')).toBe('tech.example.cn');
    expect(database.querySelector('.card-meta .author')?.textContent).toBe('林雅婷');
    expect(chip.querySelector('.card-meta a.source')?.textContent).toBe('极客日报');
    expect(chip.querySelector('.card-meta .author')).toBeNull(); // no author: the post's author is the source's name
    expect(texts(document, '.card .source').sort()).toEqual(['极客日报', '极客日报', '环球观察', '环球观察']);
    for (const link of document.querySelectorAll('.card a.source')) {
      const page = documentOf(fileOf(link.getAttribute('href')!));
      expect(page.querySelector('.listing-title')?.textContent).toBe(link.textContent);
    }
    // A picture box names its source, for when the picture cannot be loaded.
    expect(chip.querySelector('.card-thumb')?.getAttribute('data-placeholder')).toBe('极客日报');
  });

  it("renders times in the site's timezone, with the instant in datetime", () => {
    const card = [...documentOf('index.html').querySelectorAll('.card')].find((c) => c.textContent?.includes('国产芯片完成流片'))!;
    const time = card.querySelector('time')!;
    expect(time.getAttribute('datetime')).toBe('2026-03-02T02:00:00.000Z');
    expect(time.textContent).toBe('2026-03-02 10:00');
    expect(time.getAttribute('title')).toBe('2026-03-02 10:00 (Asia/Shanghai, UTC+8)');
    // The post page says which timezone, in the text itself.
    expect(postPage('国产芯片完成流片').querySelector('.post-meta time')?.textContent).toBe('2026-03-02 10:00 UTC+8');
  });

  it('navigates the top-level categories from every page, and a category page lists only its posts', () => {
    const nav = texts(documentOf('index.html'), 'nav.categories a');
    expect(nav).toEqual(expect.arrayContaining(['科技', '国际']));

    const tech = documentOf('categories/科技/index.html');
    expect(texts(tech, '.card-title a').sort()).toEqual([...TECH_TITLES].sort());
    expect(texts(tech, '.subcategories a')).toEqual(['极客日报']);
    expect(tech.querySelectorAll('link[rel="alternate"]')).toHaveLength(4);
    expect(tech.querySelector('link[type="application/atom+xml"][href*="%E7%A7%91%E6%8A%80"]')?.getAttribute('href')).toBe(
      `/categories/${encodeURIComponent('科技')}/atom.xml`,
    );

    const channel = documentOf('categories/科技/极客日报/快讯/index.html');
    expect(texts(channel, '.breadcrumbs a')).toEqual(['科技', '极客日报', '快讯']);
    expect(texts(channel, '.card-title a').sort()).toEqual([...TECH_TITLES].sort());
  });

  it('shows the article with its lead image, source, link to the original, breadcrumbs and prev/next', () => {
    const wind = postPage('北欧三国联合建设海上风电输电网');
    const article = wind.querySelector('article.post')!;
    expect(article.querySelector('.post-title')?.textContent).toBe('北欧三国联合建设海上风电输电网');
    expect(article.querySelector('.post-headimg img')?.getAttribute('src')).toBe('https://img.example.org/wind.jpg');
    expect(article.querySelector('.post-headimg img')?.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(article.querySelector('.post-content')?.textContent).toContain('跨境输电网预计 2030 年建成。');
    expect(article.querySelector('.post-meta a.source')?.textContent).toBe('环球观察');
    expect(article.querySelector('.post-meta a.source')?.getAttribute('href')).toBe(
      `/categories/${encodeURIComponent('国际')}/${encodeURIComponent('环球观察')}/`,
    );
    expect(article.querySelector('.post-meta a.source-site')?.textContent).toBe('world.example.org');
    expect(article.querySelector('.post-meta a.source-site')?.getAttribute('href')).toBe('https://world.example.org/');
    expect(article.querySelector('.post-meta .author')).toBeNull();
    expect(article.querySelector('.post-footer a.original')?.textContent).toBe('阅读原文 · world.example.org');
    expect(article.querySelector('.post-meta a.original')?.getAttribute('href')).toBe('https://world.example.org/a/wind');
    expect(article.querySelector('.post-meta a.original')?.textContent).toBe('阅读原文');
    expect(texts(wind, '.breadcrumbs a')).toEqual(['国际', '环球观察', '要闻']);
    // Newest first: the hostile post is newer, the database release older.
    expect(wind.querySelector('.post-nav .post-prev .title')?.textContent).toBe(HOSTILE_TITLE);
    expect(wind.querySelector('.post-nav .post-next .title')?.textContent).toBe('开源数据库发布新版本');
  });

  it("names the item's author after the source on the post page", () => {
    const meta = postPage('开源数据库发布新版本').querySelector('.post-meta')!;
    expect(meta.querySelector('a.source')?.textContent).toBe('极客日报');
    expect(meta.querySelector('a.source-site')?.textContent).toBe('tech.example.cn');
    expect(meta.querySelector('.author')?.textContent).toBe('作者：林雅婷');
  });

  it('does not repeat the lead image above an article whose first image it is', () => {
    const chip = postPage('国产芯片完成流片');
    expect(chip.querySelector('.post-headimg')).toBeNull();
    expect(chip.querySelector('.post-content img')?.getAttribute('src')).toBe('https://img.example.cn/chip.jpg');
  });

  it('publishes an Atom feed and a JSON Feed of the whole site', () => {
    const atom = parseFeedBytes(readFileSync(join(publicDir, 'atom.xml')));
    expect(atom.feed.format).toBe('atom1');
    expect(atom.items).toHaveLength(4);
    expect(atom.items.map((item) => item.title)).toEqual([
      HOSTILE_TITLE,
      '北欧三国联合建设海上风电输电网',
      '开源数据库发布新版本',
      '国产芯片完成流片',
    ]);
    for (const item of atom.items) {
      expect(item.link.startsWith(`${SITE_URL}/`)).toBe(true);
      expect(read(fileOf(item.link))).toContain('article class="post"');
      expect(item.published).not.toBeNull();
      expect(item.categories).toHaveLength(3);
    }
    const wind = atom.items.find((item) => item.title === '北欧三国联合建设海上风电输电网')!;
    expect(wind.author).toBe('环球观察');
    // A feed's author is the item's author, where the site shows the source first.
    expect(atom.items.find((item) => item.title === '开源数据库发布新版本')?.author).toBe('林雅婷');
    expect(wind.contentHtml).toContain('跨境输电网预计 2030 年建成。');
    expect(wind.published?.toISOString()).toBe('2026-03-04T00:30:00.000Z');
    expect(read('atom.xml')).toContain('<link rel="enclosure" type="image/jpeg" href="https://img.example.org/wind.jpg"/>');

    const json = JSON.parse(read('feed.json'));
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.feed_url).toBe(`${SITE_URL}/feed.json`);
    expect(json.items).toHaveLength(4);
    const windItem = json.items.find((item: { title: string }) => item.title === '北欧三国联合建设海上风电输电网');
    expect(windItem).toMatchObject({
      image: 'https://img.example.org/wind.jpg',
      external_url: 'https://world.example.org/a/wind',
      tags: ['国际', '环球观察', '要闻'],
    });
    expect(windItem.url).toBe(wind.link);
  });

  it('publishes the feeds of each top-level category beside its page, with only its posts', () => {
    const atom = parseFeedBytes(readFileSync(join(publicDir, 'categories/科技/atom.xml')));
    expect(atom.items.map((item) => item.title).sort()).toEqual([...TECH_TITLES].sort());
    const json = JSON.parse(read('categories/国际/feed.json'));
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.items.map((item: { title: string }) => item.title)).toEqual([HOSTILE_TITLE, '北欧三国联合建设海上风电输电网']);
  });

  it('indexes every post for search, and serves the search page', () => {
    const manifest = JSON.parse(read('search.json')) as { format: number; posts: number; documentShards: number; postingShards: number };
    expect(manifest).toMatchObject({ format: 2, documentShards: expect.any(Number), postingShards: expect.any(Number) });
    // Each document shard holds [id, …document] entries.
    const entries = Array.from(
      { length: manifest.documentShards },
      (_, n) => JSON.parse(read(`search/d/${n}.json`)) as [number, ...string[]][],
    ).flat();
    for (const [id] of entries) expect(id).toEqual(expect.any(Number));
    const docs = entries.map(([, ...doc]) => doc);
    expect(docs).toHaveLength(manifest.posts);
    expect(docs.map((doc) => doc[0])).toEqual(expect.arrayContaining([...TECH_TITLES, '北欧三国联合建设海上风电输电网', HOSTILE_TITLE]));
    // [title, url, date, source (the site level of the categories), the other names, the whole text]
    expect(docs.find((doc) => doc[0] === '开源数据库发布新版本')).toEqual([
      '开源数据库发布新版本',
      expect.stringMatching(/^\//),
      '2026-03-03T01:30:00.000Z',
      '极客日报',
      '科技 · 快讯 · 林雅婷',
      '查找性能提升三成。',
    ]);
    for (const doc of docs) expect(read(fileOf(doc[1]!))).toContain('article class="post"');
    for (let n = 0; n < manifest.postingShards; n++)
      expect(Object.keys(JSON.parse(read(`search/p/${n}.json`))).length, `shard ${n}`).toBeGreaterThan(0);

    const search = documentOf('search/index.html');
    expect(search.querySelector('#search-results')?.getAttribute('data-index')).toBe('/search.json');
    expect(search.querySelector('script[src="/js/search.js"]')).not.toBeNull();
    expect(search.querySelector('script[src="/js/search-core.js"]')).not.toBeNull();
  });

  it('gives every page the no-referrer policy, the search box, and nothing from another origin', () => {
    const pages = htmlFiles(publicDir);
    expect(pages.length).toBeGreaterThan(10);
    for (const page of pages) {
      const document = documentOf(page);
      expect(document.querySelector('meta[name="referrer"]')?.getAttribute('content'), page).toBe('no-referrer');
      expect(document.querySelector('form.search')?.getAttribute('action'), page).toBe('/search/');
      expect(document.querySelector('form.search input[name="q"]'), page).not.toBeNull();
      // Feed images (post content, thumbnails, lead images) are the feed's; everything else is the site's own.
      const own = [...document.querySelectorAll('script[src], link[href], img[src]')].filter(
        (element) => !element.closest('.post-content, .card-thumb, .post-headimg'),
      );
      for (const element of own) {
        const url = element.getAttribute('src') ?? element.getAttribute('href')!;
        expect(url.startsWith('/') && !url.startsWith('//') ? SITE_URL : new URL(url).origin, `${page}: ${url}`).toBe(SITE_URL);
      }
    }
    const css = read('css/newsstand.css');
    expect(css).not.toMatch(/@import|url\(/);
    expect(css).toContain('prefers-color-scheme: dark');
  });

  it('escapes a hostile title as text everywhere it appears', () => {
    const page = postPage(HOSTILE_TITLE);
    expect(page.querySelector('title')?.textContent?.startsWith(`${HOSTILE_TITLE} | `)).toBe(true);
    expect(page.querySelector('.post-title')?.textContent).toBe(HOSTILE_TITLE);
    expect(page.querySelectorAll('script:not([src])')).toHaveLength(0);
    for (const path of ['index.html', 'categories/国际/index.html', 'archives/index.html']) {
      expect(read(path), path).not.toContain('<script>alert(1)');
      expect(documentOf(path).querySelectorAll('script:not([src])'), path).toHaveLength(0);
    }
  });
});
