/// <reference lib="dom" />
/**
 * The demo site in a real browser: the offline example feeds are synced and built with the bundled theme,
 * served on loopback, and opened in Debian's Chromium. Their images are served by a loopback image server
 * that refuses any request carrying a Referer (as hot-link-protected CDNs do), so they load only because
 * the site sends none. Makes the README's screenshots: docs/screenshots/ gets them when they are missing or
 * UPDATE_SCREENSHOTS=1 (rendering differs by a few pixels between runs, which should not dirty a checkout).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { DEFAULT_EMBED_HOSTS } from '../src/content/policy.js';
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
/** The demo's posts as written: title and top-level category. */
let posts: Array<{ title: string; category: string }>;

beforeAll(async () => {
  images = await startImageServer();
  work = mkdtempSync(join(tmpdir(), 'newsstand-e2e-'));
  // The demo as a user has it, minus anything generated; every absolute URL in its feeds now points at the
  // image server (host kept in the path), so nothing leaves the machine and every image comes from there.
  cpSync(join(REPO, 'examples', 'feeds'), join(work, 'feeds'), { recursive: true });
  cpSync(join(REPO, 'examples', 'newsstand.yml'), join(work, 'newsstand.yml'));
  mkdirSync(join(work, 'site'));
  cpSync(join(REPO, 'examples', 'site', '_config.yml'), join(work, 'site', '_config.yml'));
  for (const name of readdirSync(join(work, 'feeds'))) {
    const path = join(work, 'feeds', name);
    const text = readFileSync(path, 'latin1'); // byte-preserving: one feed is GBK
    writeFileSync(path, text.replace(/https?:\/\/(?!127\.0\.0\.1)([a-z0-9.-]+)/gi, `${images.origin}/$1`), 'latin1');
  }
  const config = await loadConfig(join(work, 'newsstand.yml'));
  const summary = await syncSite({ config, now: CLOCK, select: { all: true } });
  expect(summary.sources.failed).toBe(0);
  await buildSite({ root: config.site.root });
  const postsDir = config.site.postsDir;
  posts = readdirSync(postsDir).map((name) => {
    const data = parseWithHexo(readFileSync(join(postsDir, name), 'utf8'));
    return { title: String(data.title), category: (data.categories as string[])[0]! };
  });
  site = await serveDirectory(join(config.site.root, 'public'));

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  await page.clock.setFixedTime(CLOCK);
  watch = watchPage(page);
  // The site and the image server only; players the demo embeds are not fetched (they are not ours).
  await restrictRequests(page, (url) => url.startsWith(site.origin) || url.startsWith(images.origin) || url.startsWith('data:'));
}, 120_000);

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
async function open(path: string): Promise<void> {
  await page.goto(new URL(path, `${site.origin}/`).href, { waitUntil: 'load' });
  await page.evaluate(async () => {
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
        return { title: card.textContent ?? '', image: image ? { loaded: image.complete && image.naturalWidth > 0, src: image.src } : null };
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

  it('a category page lists only that category\'s posts', async () => {
    await open('/');
    const category = '科技';
    const link = await page.$$eval('nav.categories a', (anchors, name) => anchors.find((a) => a.textContent?.trim() === name)?.getAttribute('href') ?? null, category);
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
      images: Array.from(article.querySelectorAll('img')).map((image) => ({ loaded: image.complete && image.naturalWidth > 0, src: image.src })),
      original: article.querySelector('a.original')?.getAttribute('href') ?? Array.from(article.querySelectorAll('a')).find((a) => /原文|original/i.test(a.textContent ?? ''))?.getAttribute('href') ?? null,
    }));
    expect(post.text.length).toBeGreaterThan(50);
    expect(post.images.length).toBeGreaterThan(0);
    expect(post.images.filter((image) => !image.loaded)).toEqual([]);
    expect(post.original).toMatch(/^http/);
    expect(foreignRequests()).toEqual([]);
    await screenshot('post.png');
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
});
