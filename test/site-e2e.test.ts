/// <reference lib="dom" />
/**
 * The demo site in a real browser: the offline example feeds are synced and built with the bundled theme,
 * served on loopback, and opened in Debian's Chromium. Their images are served by a loopback image server
 * that refuses any request carrying a Referer (as hot-link-protected CDNs do), so they load only because
 * the site sends none. Makes the README's screenshots: docs/screenshots/ gets them when they are missing or
 * UPDATE_SCREENSHOTS=1 (rendering differs by a few pixels between runs, which should not dirty a checkout).
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_EMBED_HOSTS } from '../src/config/defaults.js';
import { loadConfig } from '../src/config/load.js';
import { buildSite } from '../src/site/build.js';
import { syncSite } from '../src/sync/sync.js';
import { launchChromium, restrictRequests, watchPage, type PageWatch } from './helpers/browser.js';
import { parseWithHexo } from './helpers/hexo-front-matter.js';
import { startImageServer, type ImageServer } from './helpers/image-server.js';
import { REPO } from './helpers/site.js';
import { serveDirectory, type StaticServer } from './helpers/static-server.js';

// Relative times on the pages are computed against this clock, so the screenshots do not change by the day.
const CLOCK = new Date('2026-11-20T12:00:00+08:00');
const SCREENSHOTS = join(REPO, 'docs', 'screenshots');

let work: string;
let images: ImageServer;
let site: StaticServer;
let browser: Browser;
let page: Page;
let watch: PageWatch;
/** The demo's posts as written: title, top-level category, site (the second level), author, original link. */
let posts: Array<{ title: string; category: string; site: string; author: string; original: string }>;
/** The demo site's `timezone` (its Hexo _config.yml): the times pages show are in it. */
let siteTimezone: string;

beforeAll(async () => {
  images = await startImageServer();
  work = mkdtempSync(join(tmpdir(), 'newsstand-e2e-'));
  // The demo as a user has it, minus anything generated; every absolute URL in its feeds now points at the
  // image server (host kept in the path), so nothing leaves the machine and every image comes from there.
  cpSync(join(REPO, 'examples', 'feeds'), join(work, 'feeds'), { recursive: true });
  cpSync(join(REPO, 'examples', 'newsstand.yml'), join(work, 'newsstand.yml'));
  mkdirSync(join(work, 'site'));
  cpSync(join(REPO, 'examples', 'site', '_config.yml'), join(work, 'site', '_config.yml'));
  const schemes = new Map<string, string>(); // host → http or https, as the feeds wrote it
  for (const name of readdirSync(join(work, 'feeds'))) {
    const path = join(work, 'feeds', name);
    const text = readFileSync(path, 'latin1'); // byte-preserving: one feed is GBK
    const rewritten = text.replace(/(https?):\/\/(?!127\.0\.0\.1)([a-z0-9.-]+)/gi, (_url: string, scheme: string, host: string) => {
      schemes.set(host.toLowerCase(), scheme.toLowerCase());
      return `${images.origin}/${host}`;
    });
    writeFileSync(path, rewritten, 'latin1');
  }
  const config = await loadConfig(join(work, 'newsstand.yml'));
  const summary = await syncSite({ config, now: CLOCK, select: { all: true } });
  expect(summary.sources.failed).toBe(0);
  const postsDir = config.site.postsDir;
  // A post's link to its original is only followed, never loaded: it gets its real address back, so that the
  // pages (and the screenshots) name the real sites, not the image server.
  const imageServer = new RegExp(`^(original_url: '?)${images.origin.replace(/[.:/]/g, '\\$&')}/([a-z0-9.-]+)`, 'im');
  for (const name of readdirSync(postsDir)) {
    const path = join(postsDir, name);
    const text = readFileSync(path, 'utf8');
    writeFileSync(
      path,
      text.replace(
        imageServer,
        (_line: string, key: string, host: string) => `${key}${schemes.get(host.toLowerCase()) ?? 'https'}://${host}`,
      ),
    );
  }
  await buildSite({ root: config.site.root });
  posts = readdirSync(postsDir).map((name) => {
    const data = parseWithHexo(readFileSync(join(postsDir, name), 'utf8'));
    const categories = data.categories as string[];
    return {
      title: String(data.title),
      category: categories[0]!,
      site: categories[1]!,
      author: String(data.author),
      original: String(data.original_url),
    };
  });
  siteTimezone = String(parseYaml(readFileSync(join(config.site.root, '_config.yml'), 'utf8')).timezone);
  expect(siteTimezone).toBe('Asia/Shanghai');
  site = await serveDirectory(join(config.site.root, 'public'));

  browser = await launchChromium();
  ({ page, watch } = await openPage({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Shanghai' }));
}, 120_000);

/** A page in a context of its own, at the fixed clock, reaching only the site and the image server. */
async function openPage(options: BrowserContextOptions): Promise<{ page: Page; watch: PageWatch }> {
  const context = await browser.newContext({ deviceScaleFactor: 1, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  await page.clock.setFixedTime(CLOCK);
  const watch = watchPage(page);
  // The site and the image server only; players the demo embeds are not fetched (they are not ours).
  await restrictRequests(page, (url) => url.startsWith(site.origin) || url.startsWith(images.origin) || url.startsWith('data:'));
  return { page, watch };
}

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await images?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Screenshots the page into the work directory, and into docs/screenshots/ when that is wanted. */
async function screenshot(name: string): Promise<void> {
  const path = join(work, name);
  await page.screenshot({ path });
  expect(statSync(path).size).toBeGreaterThan(20_000); // a real page, not a blank one
  const published = join(SCREENSHOTS, name);
  if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(published)) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    copyFileSync(path, published);
  }
}

/** Opens a page of the site and scrolls through it, so lazy images load. */
async function open(path: string, on: Page = page): Promise<void> {
  await on.goto(new URL(path, `${site.origin}/`).href, { waitUntil: 'load' });
  await on.evaluate(async () => {
    for (const image of Array.from(document.images)) {
      image.loading = 'eager';
      image.scrollIntoView();
    }
    window.scrollTo(0, 0);
    await Promise.all(Array.from(document.images).map((image) => image.decode().catch(() => undefined)));
  });
}

function foreignRequests(): string[] {
  return watch
    .take()
    .requests.map((request) => request.url)
    .filter((url) => !url.startsWith(site.origin) && !url.startsWith(images.origin) && !url.startsWith('data:'))
    .filter((url) => !DEFAULT_EMBED_HOSTS.includes(new URL(url).hostname));
}

describe('the demo site in Chromium', () => {
  it('home page: a card per post with its image loaded, though the image server refuses any Referer', async () => {
    watch.take();
    await open('/');
    const cards = await page.$$eval('.card', (elements) =>
      elements.map((card) => {
        const image = card.querySelector('img');
        return {
          title: card.textContent ?? '',
          image: image ? { loaded: image.complete && image.naturalWidth > 0, src: image.src } : null,
        };
      }),
    );
    expect(cards.length).toBeGreaterThanOrEqual(10);
    const withImages = cards.filter((card) => card.image);
    expect(withImages.length).toBeGreaterThanOrEqual(5);
    expect(withImages.filter((card) => !card.image!.loaded).map((card) => card.image!.src)).toEqual([]);
    expect(await page.$eval('meta[name="referrer"]', (meta) => meta.getAttribute('content'))).toBe('no-referrer');
    expect(images.requests.length).toBeGreaterThan(0);
    expect(images.requests.filter((request) => request.referer !== '')).toEqual([]);
    expect(foreignRequests()).toEqual([]);
    await screenshot('home.png');
  });

  it("a category page lists only that category's posts", async () => {
    await open('/');
    const category = '科技';
    const link = await page.$$eval(
      'nav.categories a',
      (anchors, name) => anchors.find((a) => a.textContent?.trim() === name)?.getAttribute('href') ?? null,
      category,
    );
    expect(link, `no link to ${category} in nav.categories`).toBeTruthy();
    await open(link!);
    const titles = await page.$$eval('.card .card-title', (elements) => elements.map((element) => element.textContent?.trim() ?? ''));
    const expected = posts.filter((post) => post.category === category).map((post) => post.title);
    expect(titles.length).toBeGreaterThan(0);
    expect([...titles].sort()).toEqual([...expected].sort());
  });

  it('a post page shows the article, its lead image, its source and the original link', async () => {
    await open('/');
    // A post with a picture: the lead image and the article's own images must load.
    const href = await page.$eval('.card:has(img) a[href]', (anchor) => anchor.getAttribute('href'));
    await open(href!);
    const post = await page.$eval('article.post', (article) => ({
      text: article.querySelector('.post-content')?.textContent?.trim() ?? '',
      images: Array.from(article.querySelectorAll('img')).map((image) => ({
        loaded: image.complete && image.naturalWidth > 0,
        src: image.src,
      })),
      original:
        article.querySelector('a.original')?.getAttribute('href') ??
        Array.from(article.querySelectorAll('a'))
          .find((a) => /原文|original/i.test(a.textContent ?? ''))
          ?.getAttribute('href') ??
        null,
    }));
    expect(post.text.length).toBeGreaterThan(50);
    expect(post.images.length).toBeGreaterThan(0);
    expect(post.images.filter((image) => !image.loaded)).toEqual([]);
    expect(post.original).toMatch(/^http/);
    expect(foreignRequests()).toEqual([]);
    await screenshot('post.png');
  });

  it('cards and posts name the source (the site level of the categories), linked to its page, and the author after it when another', async () => {
    await open('/');
    const cards = await page.$$eval('.card', (elements) =>
      elements.map((card) => {
        const source = card.querySelector('.card-meta .source');
        return {
          title: card.querySelector('.card-title')?.textContent?.trim() ?? '',
          source: source ? { tag: source.tagName, text: source.textContent?.trim() ?? '', href: source.getAttribute('href') } : null,
          author: card.querySelector('.card-meta .author')?.textContent?.trim() ?? null,
        };
      }),
    );
    expect(cards.length).toBeGreaterThanOrEqual(10);
    for (const card of cards) {
      const post = posts.find((each) => each.title === card.title)!;
      expect(card.source, card.title).toEqual({ tag: 'A', text: post.site, href: expect.stringMatching(/^\/categories\//) });
      expect(card.author, card.title).toBe(post.author !== post.site ? post.author : null);
    }
    // The demo has items whose author is not the source (陳志明 of 台北科技周报): both show.
    const byline = cards.find((card) => card.author && card.source?.text === '台北科技周报');
    expect(byline, 'a card of 台北科技周报 with its author').toBeDefined();

    // The source's link leads to its page: every post of that source, and only those.
    await open(byline!.source!.href!);
    expect(await page.$eval('.listing-title', (title) => title.textContent?.trim())).toBe('台北科技周报');
    const listed = await page.$$eval('.card .card-title', (elements) => elements.map((element) => element.textContent?.trim() ?? ''));
    expect([...listed].sort()).toEqual(
      posts
        .filter((post) => post.site === '台北科技周报')
        .map((post) => post.title)
        .sort(),
    );

    // The post: the source linked as on the card, the original site's host linked to its home page, the author.
    await open('/');
    await open(
      (await page.$$eval(
        '.card',
        (elements, title) =>
          elements
            .find((card) => card.querySelector('.card-title')?.textContent?.trim() === title)
            ?.querySelector('.card-title a')
            ?.getAttribute('href') ?? '',
        byline!.title,
      ))!,
    );
    const post = posts.find((each) => each.title === byline!.title)!;
    const meta = await page.$eval('.post-meta', (element) => ({
      source: {
        text: element.querySelector('a.source')?.textContent?.trim(),
        href: element.querySelector('a.source')?.getAttribute('href'),
      },
      site: {
        text: element.querySelector('a.source-site')?.textContent?.trim(),
        href: element.querySelector('a.source-site')?.getAttribute('href'),
      },
      author: element.querySelector('.author')?.textContent?.trim(),
    }));
    const original = new URL(post.original);
    expect(meta).toEqual({
      source: { text: '台北科技周报', href: byline!.source!.href },
      site: { text: original.hostname.replace(/^www\./, ''), href: `${original.origin}/` },
      author: `作者：${post.author}`,
    });
  });

  it('search finds a Chinese word, from the box on every page', async () => {
    await open('/');
    await page.fill('form.search input[name="q"]', '芯片');
    await Promise.all([page.waitForURL(/\/search\/?\?q=/), page.press('form.search input[name="q"]', 'Enter')]);
    await page.waitForSelector('#search-results .search-result');
    const results = await page.$$eval('#search-results .search-result', (elements) => elements.map((element) => element.textContent ?? ''));
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((text) => text.includes('芯片'))).toBe(true);
    const expected = posts.filter((post) => post.title.includes('芯片')).map((post) => post.title);
    for (const title of expected) expect(results.some((text) => text.includes(title))).toBe(true);
  });

  describe("on a phone (390×844), in another timezone than the site's", () => {
    let phone: Page;
    beforeAll(async () => {
      ({ page: phone } = await openPage({
        viewport: { width: 390, height: 844 },
        timezoneId: 'America/New_York',
        isMobile: true,
        hasTouch: true,
      }));
    });

    /** What the site shows for an instant: its date and time in the site's timezone, "2026-11-19 10:00". */
    const siteTime = (iso: string) =>
      new Intl.DateTimeFormat('sv-SE', {
        timeZone: siteTimezone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(iso));

    it('every entry of the category navigation is on screen (it wraps, nothing scrolls sideways)', async () => {
      await open('/', phone);
      const nav = await phone.$eval('nav.categories', (element) => {
        const list = element.querySelector('ul')!;
        return {
          width: window.innerWidth,
          pageWidth: document.documentElement.scrollWidth,
          list: { scrollWidth: list.scrollWidth, clientWidth: list.clientWidth },
          entries: Array.from(element.querySelectorAll('a')).map((a) => {
            const box = a.getBoundingClientRect();
            return { text: a.textContent?.trim() ?? '', left: box.left, right: box.right, width: box.width, visible: a.checkVisibility() };
          }),
        };
      });
      expect(nav.width).toBe(390);
      expect(nav.entries.map((entry) => entry.text)).toEqual(expect.arrayContaining(['首页', '新媒体', '归档']));
      expect(nav.entries.length).toBe(new Set(posts.map((post) => post.category)).size + 2);
      const offScreen = nav.entries.filter((entry) => !entry.visible || entry.width === 0 || entry.left < 0 || entry.right > nav.width);
      expect(offScreen).toEqual([]);
      expect(nav.list.scrollWidth).toBeLessThanOrEqual(nav.list.clientWidth);
      expect(nav.pageWidth).toBeLessThanOrEqual(nav.width);
    });

    it("shows each card's and the post's date and time in the site's timezone as text, the relative time beside it", async () => {
      await open('/', phone);
      const cards = await phone.$$eval('.card .card-meta', (elements) =>
        elements.map((meta) => {
          const time = meta.querySelector('time')!;
          return {
            datetime: time.getAttribute('datetime')!,
            shown: time.checkVisibility() ? time.innerText.trim() : '',
            relative: meta.querySelector('.time-relative')?.textContent?.trim() ?? '',
            text: (meta as HTMLElement).innerText,
          };
        }),
      );
      expect(cards.length).toBeGreaterThanOrEqual(10);
      for (const card of cards) {
        expect(card.shown).toBe(siteTime(card.datetime));
        expect(card.text).toContain(siteTime(card.datetime));
        expect(card.relative).toMatch(/前|昨天|前天|今天|现在/); // 2周前, 昨天 … (Intl.RelativeTimeFormat, zh-CN)
      }
      // The browser is in New York: a time it rendered itself would differ from the site's (Beijing) time.
      const sample = cards[0]!.datetime;
      expect(
        new Intl.DateTimeFormat('sv-SE', { timeZone: 'America/New_York', dateStyle: 'short', timeStyle: 'short' }).format(new Date(sample)),
      ).not.toBe(siteTime(sample));

      await open((await phone.$eval('.card .card-title a', (anchor) => anchor.getAttribute('href')))!, phone);
      const time = await phone.$eval('.post-meta time', (element) => ({
        datetime: element.getAttribute('datetime')!,
        shown: element.checkVisibility() ? (element as HTMLElement).innerText.trim() : '',
      }));
      expect(time.shown).toBe(`${siteTime(time.datetime)} UTC+8`);
      expect(await phone.$eval('.post-meta .time-relative', (element) => element.textContent?.trim())).toMatch(/前|昨天|前天|今天|现在/);
    });

    /** Images the page shows that have no picture: failed to load (naturalWidth 0) yet displayed. */
    const shownBroken = (on: Page) =>
      on.$$eval('img', (elements) =>
        elements.filter((image) => image.complete && image.naturalWidth === 0 && image.checkVisibility()).map((image) => image.src),
      );

    it('a thumbnail that cannot be loaded (404) leaves no broken image: the box shows the source instead', async () => {
      await open('/', phone);
      const src = await phone.$eval('.card-thumb img', (image) => (image as HTMLImageElement).src);
      const site = await phone.$eval('.card-thumb', (thumb) =>
        thumb.closest('.card')!.querySelector('.card-meta .source')!.textContent!.trim(),
      );
      await phone.route(src, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' }));
      try {
        await open('/', phone);
        await phone.waitForFunction((url) => Array.from(document.images).some((image) => image.src === url && image.complete), src);
        const thumbs = await phone.$$eval(
          '.card-thumb',
          (elements, url) =>
            elements
              .filter((thumb) => thumb.querySelector('img')?.src === url)
              .map((thumb) => {
                const image = thumb.querySelector('img')!;
                return {
                  failed: image.complete && image.naturalWidth === 0,
                  imageShown: image.checkVisibility(),
                  boxHeight: thumb.getBoundingClientRect().height,
                  placeholder: getComputedStyle(thumb, '::before').content,
                };
              }),
          src,
        );
        expect(thumbs.length).toBeGreaterThan(0);
        for (const thumb of thumbs) {
          expect(thumb.failed).toBe(true);
          expect(thumb.imageShown).toBe(false);
          expect(thumb.boxHeight).toBeGreaterThan(100); // the card keeps its picture box…
          expect(thumb.placeholder).toBe(JSON.stringify(site)); // …which names the source
        }
        expect(await shownBroken(phone)).toEqual([]);
      } finally {
        await phone.unroute(src);
      }
    });

    it('a post whose pictures cannot be loaded shows none of them broken', async () => {
      await open('/', phone);
      const href = await phone.$eval('.card:has(img) .card-title a', (anchor) => anchor.getAttribute('href'));
      const gone = `${images.origin}/**`;
      await phone.route(gone, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' }));
      try {
        await open(href!, phone);
        const count = await phone.$$eval('article.post img', (elements) => elements.length);
        expect(count).toBeGreaterThan(0);
        await phone.waitForFunction(() =>
          Array.from(document.querySelectorAll('article.post img')).every((image) => (image as HTMLImageElement).complete),
        );
        const failed = await phone.$$eval(
          'article.post img',
          (elements) => elements.filter((image) => (image as HTMLImageElement).naturalWidth === 0).length,
        );
        expect(failed).toBe(count);
        expect(await shownBroken(phone)).toEqual([]);
        expect(await phone.$eval('.post-content', (content) => content.textContent!.trim().length)).toBeGreaterThan(50);
      } finally {
        await phone.unroute(gone);
      }
    });
  });
});
