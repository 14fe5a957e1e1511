/// <reference lib="dom" />
/**
 * Every theme newsstand has a profile for, in a real browser: the demo feeds are synced and built by the CLI
 * into a site with the theme from npm, served on loopback and opened in Debian's Chromium. The feeds' images
 * come from a loopback image server that refuses any request carrying a Referer (as hot-link-protected CDNs
 * do), so a lead image shows only if the theme shows it and the page sends no Referer. Makes the themes'
 * screenshots: docs/screenshots/themes/<theme>.png when missing or UPDATE_SCREENSHOTS=1 (rendering differs
 * by a few pixels between runs, which should not dirty a checkout).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THEME_NAMES } from '../src/theme-profiles.js';
import { launchChromium, restrictRequests, watchPage } from './helpers/browser.js';
import { startImageServer, type ImageServer } from './helpers/image-server.js';
import { REPO, runCli } from './helpers/site.js';
import { serveDirectory, type StaticServer } from './helpers/static-server.js';
import { makeThemeSite } from './helpers/theme-site.js';

/** Theme scripts run by the build never reach beyond loopback (some ask for their latest version). */
const ENV = { NODE_OPTIONS: `--import=${join(REPO, 'test/helpers/loopback-only.mjs')}` };
const SCREENSHOTS = join(REPO, 'docs', 'screenshots', 'themes');
/**
 * An item whose lead image is its media:thumbnail only, not in its body: on its page the image shows only if
 * the theme shows the cover. `path` is where the image server gets it once the feeds are rewritten.
 */
const COVER = {
  link: 'datacenter-pue-rules',
  title: '南方某省出台数据中心能效新规',
  path: '/tech.example.cn/uploads/2026/05/datacenter-cooling-thumb.jpg',
};

let images: ImageServer;
let browser: Browser;

beforeAll(async () => {
  images = await startImageServer();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await images?.close();
});

/** Points every absolute URL in a site's copied feeds at the image server (host kept in the path). */
function rewriteFeeds(feedsDir: string): void {
  for (const name of readdirSync(feedsDir)) {
    const path = join(feedsDir, name);
    const text = readFileSync(path, 'latin1'); // byte-preserving: one feed is GBK
    writeFileSync(path, text.replace(/https?:\/\/(?!127\.0\.0\.1)([a-z0-9.-]+)/gi, `${images.origin}/$1`), 'latin1');
  }
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** How the cover shows on the page open in `page`: as <img>s and as CSS backgrounds, each with its box. */
interface CoverOnPage {
  imgs: Array<{ src: string; naturalWidth: number; width: number; height: number }>;
  backgrounds: Array<{ tag: string; width: number; height: number }>;
}

function findCover(page: Page, path: string): Promise<CoverOnPage> {
  return page.evaluate((path) => {
    const box = (element: Element) => {
      const rect = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      const shown = style.visibility !== 'hidden' && style.display !== 'none';
      return { width: shown ? rect.width : 0, height: shown ? rect.height : 0 };
    };
    const imgs = Array.from(document.images)
      .filter((image) => (image.currentSrc || image.src).includes(path))
      .map((image) => ({ src: image.currentSrc || image.src, naturalWidth: image.complete ? image.naturalWidth : 0, ...box(image) }));
    const backgrounds = Array.from(document.querySelectorAll('*'))
      .filter((element) => getComputedStyle(element).backgroundImage.includes(path))
      .map((element) => ({
        tag: element.tagName.toLowerCase() + (element.className ? `.${String(element.className).trim().split(/\s+/).join('.')}` : ''),
        ...box(element),
      }));
    return { imgs, backgrounds };
  }, path);
}

/** Opens a page and scrolls through it, so lazy images (loading=lazy or a theme's own loader) load. */
async function open(page: Page, url: string): Promise<void> {
  // Not waiting for `load` alone: Stellar's images retry a blocked CDN placeholder from onerror forever.
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForLoadState('load', { timeout: 5_000 }).catch(() => undefined);
  await page.evaluate(async () => {
    for (const image of Array.from(document.images)) image.loading = 'eager';
    const step = window.innerHeight / 2;
    for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
      window.scrollTo(0, y);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    window.scrollTo(0, 0);
    await Promise.all(Array.from(document.images).map((image) => image.decode().catch(() => undefined)));
  });
}

/**
 * Where a theme's cover does not show in this browser, and why: these tests are expected to fail (it.fails),
 * so the file stays green and says so the day they pass.
 */
const KNOWN: Readonly<Record<string, { index?: string; post?: string }>> = {
  // Its lazy loader (vanilla-lazyload) comes from jsDelivr, which the test blocks: the cover stays in data-src.
  stellar: { index: 'lazy loader from a CDN', post: 'lazy loader from a CDN' },
  // The post's header is an inline style="background-image: url(…)": Chromium sends the site's origin as
  // Referer for it despite <meta name="referrer" content="no-referrer">, and the image server refuses it.
  butterfly: { post: 'inline-style background sends a Referer' },
  fluid: { post: 'inline-style background sends a Referer' },
  // The photos gallery's <img> loads (naturalWidth 640) but keeps a 0×0 box here; not yet explained (it has a
  // box when the page is left alone for 3 s, so it may be this test's scrolling or eager loading).
  next: { index: 'gallery image has no box', post: 'gallery image has no box' },
};

const FULL_SCREEN_BANNER = new Set(['volantis', 'butterfly', 'redefine']);

describe.each(THEME_NAMES)('the %s theme in Chromium', (theme) => {
  let site: ReturnType<typeof makeThemeSite>;
  let server: StaticServer;
  let context: BrowserContext;
  let page: Page;
  /** Site-relative URLs of the index page listing the cover probe and of its post page. */
  let indexPath: string;
  let postPath: string;

  beforeAll(async () => {
    site = makeThemeSite(theme);
    rewriteFeeds(join(site.dir, 'feeds'));
    const run = await runCli(['run', '-c', site.configFile], { cwd: tmpdir(), env: ENV });
    expect(run.code, run.stderr).toBe(0);
    const publicDir = join(site.dir, 'public');
    const postsDir = join(site.dir, 'source/_posts');
    const file = readdirSync(postsDir).find((name) => readFileSync(join(postsDir, name), 'utf8').includes(COVER.link));
    expect(file, 'the cover probe was synced').toBeDefined();
    postPath = `/p/${file!.replace(/\.md$/, '').split('-').pop()!}/`;
    // The home page, or the first index page that lists the post when a theme pages by fewer.
    const index = [
      join(publicDir, 'index.html'),
      ...(existsSync(join(publicDir, 'page')) ? htmlFiles(join(publicDir, 'page')).sort() : []),
    ].find((path) => readFileSync(path, 'utf8').includes(COVER.title));
    expect(index, 'an index page lists the cover probe').toBeDefined();
    indexPath = `/${index!.slice(publicDir.length + 1).replace(/index\.html$/, '')}`;
    server = await serveDirectory(publicDir);

    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: 1,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    page = await context.newPage();
    watchPage(page);
    // The site and the image server only: fonts and scripts themes take from CDNs are aborted.
    await restrictRequests(
      page,
      (url) => url.startsWith(server.origin) || url.startsWith(images.origin) || url.startsWith('data:') || url.startsWith('blob:'),
    );
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    site?.remove();
  });

  /** Opens `path` and asserts that the cover shows there: requested without a Referer, loaded, with a box. */
  async function expectCoverShown(path: string): Promise<void> {
    const before = images.requests.length;
    await open(page, `${server.origin}${path}`);
    // A theme's lazy loader may swap the src in after the scroll: wait until the cover has loaded somewhere.
    await page
      .waitForFunction(
        (cover) => {
          // NexT lays its gallery out after load: wait for a box, not only for the decode.
          const boxed = (element: Element) => element.getBoundingClientRect().width > 0 && element.getBoundingClientRect().height > 0;
          return (
            Array.from(document.images).some(
              (image) => (image.currentSrc || image.src).includes(cover) && image.complete && image.naturalWidth > 0 && boxed(image),
            ) ||
            Array.from(document.querySelectorAll('*')).some(
              (element) => getComputedStyle(element).backgroundImage.includes(cover) && boxed(element),
            )
          );
        },
        COVER.path,
        { timeout: 10_000 },
      )
      .catch(() => undefined); // the assertions below say what is missing
    const requests = images.requests.slice(before).filter((request) => request.path === COVER.path);
    expect(requests.length, `the browser requested ${COVER.path}`).toBeGreaterThan(0);
    expect(requests.filter((request) => request.referer !== '')).toEqual([]);
    const cover = await findCover(page, COVER.path);
    const loadedImgs = cover.imgs.filter((image) => image.naturalWidth > 0 && image.width > 0 && image.height > 0);
    const shownBackgrounds = cover.backgrounds.filter((element) => element.width > 0 && element.height > 0);
    // An <img> must have decoded; a CSS background has no naturalWidth, but its request above got the image
    // (the server refuses only requests with a Referer, and there were none).
    expect(loadedImgs.length + shownBackgrounds.length, `the cover shows on ${path}: ${JSON.stringify(cover)}`).toBeGreaterThan(0);
  }

  (KNOWN[theme]?.index ? it.fails : it)('shows the lead image on the index, loaded without a Referer', async () => {
    await expectCoverShown(indexPath);
    expect(await page.$eval('meta[name="referrer"]', (meta) => meta.getAttribute('content'))).toBe('no-referrer');
  });

  it('screenshots the home page', async () => {
    await open(page, `${server.origin}/`);

    // Volantis, Butterfly and Redefine open on a full-screen banner: the picture shows the posts below it.
    if (FULL_SCREEN_BANNER.has(theme)) await page.evaluate(() => window.scrollTo(0, window.innerHeight));
    await page.waitForTimeout(500); // let entrance animations and preloaders finish
    const shot = join(site.dir, `${theme}.png`);
    await page.screenshot({ path: shot });
    // A real page, not a blank one (~5 kB).
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    const published = join(SCREENSHOTS, `${theme}.png`);
    // newsstand's own theme has its screenshots from site-e2e (docs/screenshots/home.png).
    if (theme !== 'newsstand' && (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(published))) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      copyFileSync(shot, published);
    }
  });

  (KNOWN[theme]?.post ? it.fails : it)("shows the lead image on the post's page, though it is not in the post's body", async () => {
    await expectCoverShown(postPath);
  });
});
