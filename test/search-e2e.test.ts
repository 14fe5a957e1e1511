/// <reference lib="dom" />
/**
 * Search in a real browser: the offline demo's feeds are synced and built with the bundled theme, served on
 * loopback, and searched in Debian's Chromium through the page a user lands on (/search/?q=…). The index
 * holds the whole text of every post (the Al Jazeera article names 克里姆林宫 far into its body), folds
 * traditional to simplified (晶圓 = 晶圆) and full width to half width (ＲＩＳＣ = RISC), and the results
 * mark what matched and show each post's source and date.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { buildSite } from '../src/site/build.js';
import { syncSite } from '../src/sync/sync.js';
import { launchChromium, restrictRequests, watchPage, type PageWatch } from './helpers/browser.js';
import { parseWithHexo } from './helpers/hexo-front-matter.js';
import { REPO } from './helpers/site.js';
import { serveDirectory, type StaticServer } from './helpers/static-server.js';

const CLOCK = new Date('2026-11-20T12:00:00+08:00');

interface Post {
  title: string;
  categories: string[];
  date: string;
  /** The body as text: tags dropped, white space collapsed. */
  text: string;
}

interface Result {
  title: string;
  href: string;
  source: string;
  datetime: string;
  titleMarks: string[];
  sourceMarks: string[];
  textMarks: string[];
  snippet: string;
}

let work: string;
let publicDir: string;
let site: StaticServer;
let browser: Browser;
let page: Page;
let watch: PageWatch;
let posts: Post[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'newsstand-search-e2e-'));
  cpSync(join(REPO, 'examples', 'feeds'), join(work, 'feeds'), { recursive: true });
  cpSync(join(REPO, 'examples', 'newsstand.yml'), join(work, 'newsstand.yml'));
  mkdirSync(join(work, 'site'));
  cpSync(join(REPO, 'examples', 'site', '_config.yml'), join(work, 'site', '_config.yml'));
  const config = await loadConfig(join(work, 'newsstand.yml'));
  const summary = await syncSite({ config, now: CLOCK, select: { all: true } });
  expect(summary.sources.failed).toBe(0);
  await buildSite({ root: config.site.root });
  posts = readdirSync(config.site.postsDir).map((name) => {
    const data = parseWithHexo(readFileSync(join(config.site.postsDir, name), 'utf8'));
    const text = data._content
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return { title: String(data.title), categories: data.categories as string[], date: new Date(String(data.date)).toISOString(), text };
  });
  publicDir = join(config.site.root, 'public');
  site = await serveDirectory(publicDir);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  watch = watchPage(page);
  await restrictRequests(page, (url) => url.startsWith(site.origin));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function postTitled(title: string): Post {
  const post = posts.find((each) => each.title === title);
  expect(post, `no post titled ${title}`).toBeDefined();
  return post!;
}

/** The results the search page shows once it has settled, and the status line above them. */
async function shown(): Promise<{ status: string; results: Result[] }> {
  await page.waitForSelector('#search-results[aria-busy="false"]', { state: 'attached' });
  return page.evaluate(() => {
    const texts = (elements: Iterable<Element>) => Array.from(elements, (element) => element.textContent ?? '');
    const results = Array.from(document.querySelectorAll('#search-results .search-result'), (item) => ({
      title: item.querySelector('.search-result-title')?.textContent ?? '',
      href: item.querySelector('.search-result-title a')?.getAttribute('href') ?? '',
      source: item.querySelector('.source')?.textContent ?? '',
      datetime: item.querySelector('time')?.getAttribute('datetime') ?? '',
      titleMarks: texts(item.querySelectorAll('.search-result-title mark')),
      sourceMarks: texts(item.querySelectorAll('.source mark')),
      textMarks: texts(item.querySelectorAll('.search-result-text mark')),
      snippet: item.querySelector('.search-result-text')?.textContent ?? '',
    }));
    return { status: document.getElementById('search-status')?.textContent ?? '', results };
  });
}

async function search(query: string): Promise<{ status: string; results: Result[] }> {
  await page.goto(`${site.origin}/search/?q=${encodeURIComponent(query)}`, { waitUntil: 'load' });
  return shown();
}

describe('search in Chromium', () => {
  it('finds a word deep in the body of a post: 克里姆林宫 finds the Al Jazeera article, marked in its snippet', async () => {
    watch.take();
    const article = posts.find((post) => post.categories[1] === 'Aljazeera 半岛网')!;
    expect(article.text.indexOf('克里姆林宫')).toBeGreaterThan(300); // beyond what the old index kept
    const { status, results } = await search('克里姆林宫');
    expect(results.map((result) => result.title)).toEqual([article.title]);
    expect(status).toBe('共 1 条结果');
    expect(results[0]!.textMarks).toEqual(['克里姆林宫']);
    expect(results[0]!.snippet).toMatch(/^…/); // a snippet around the match, not the start of the text
    expect(results[0]!.snippet).toContain('克里姆林宫方面宣布');
    const activity = watch.take();
    expect(activity.errors).toEqual([]);
    expect(activity.requests.filter((request) => !request.url.startsWith(site.origin))).toEqual([]);
    // The manifest, then shards: never the whole site's text in one file.
    const fetched = activity.requests.map((request) => new URL(request.url).pathname).filter((path) => path.startsWith('/search'));
    expect(fetched).toContain('/search.json');
    expect(fetched.some((path) => /^\/search\/p\/\d+\.json$/.test(path))).toBe(true);
    expect(fetched.some((path) => /^\/search\/d\/\d+\.json$/.test(path))).toBe(true);
  });

  it('folds traditional and simplified Chinese: 晶圓 and 晶圆 find the same posts', async () => {
    const traditional = await search('晶圓');
    const simplified = await search('晶圆');
    expect(traditional.results.length).toBeGreaterThan(0);
    expect(traditional.results.map((result) => result.href)).toEqual(simplified.results.map((result) => result.href));
    const taipei = posts.find((post) => post.categories[1] === '台北科技周报' && post.title.includes('晶圆'))!;
    expect(traditional.results.map((result) => result.title)).toContain(taipei.title);
    for (const result of traditional.results) expect([...result.titleMarks, ...result.textMarks]).toContain('晶圆');
  });

  it('folds full-width letters: ＲＩＳＣ finds what RISC finds, the match marked in title and text', async () => {
    const wide = await search('ＲＩＳＣ');
    const narrow = await search('RISC');
    expect(wide.results.length).toBeGreaterThan(0);
    expect(wide.results.map((result) => result.href)).toEqual(narrow.results.map((result) => result.href));
    const chip = posts.find((post) => post.title.includes('RISC-V'))!;
    const result = wide.results.find((each) => each.title === chip.title);
    expect(result).toBeDefined();
    expect(result!.titleMarks).toEqual(['RISC']);
    expect(result!.textMarks).toContain('RISC');
  });

  it('marks matches in the title, ranks title matches first, and marks a matched source', async () => {
    const { results } = await search('台湾');
    expect(results.length).toBeGreaterThan(1);
    expect(results[0]!.titleMarks).toEqual(['台湾']);
    expect(results.slice(1).every((result) => result.titleMarks.length === 0)).toBe(true);
    const bySource = await search('极客');
    expect(bySource.results.length).toBeGreaterThan(0);
    for (const each of bySource.results) expect(each.sourceMarks).toEqual(['极客']);
  });

  it("shows each result's source (the site level of its categories) and date, and loads more results as the list scrolls", async () => {
    const { status, results } = await search('的');
    const expected = posts.filter((post) => `${post.title} ${post.text}`.includes('的'));
    expect(expected.length).toBeGreaterThan(20);
    // An estimate until every candidate was read (a candidate may be false, or two posts sharing an id).
    expect(status).toBe(`约 ${expected.length} 条结果`);
    expect(results).toHaveLength(20); // one page; the rest come on scrolling
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction((count) => document.querySelectorAll('#search-results .search-result').length === count, expected.length);
    const { status: finalStatus, results: all } = await shown();
    expect(finalStatus).toBe(`共 ${expected.length} 条结果`);
    expect(new Set(all.map((result) => result.href)).size).toBe(expected.length);
    for (const result of all) {
      const post = postTitled(result.title);
      expect(result.source, result.title).toBe(post.categories[1]);
      expect(result.datetime, result.title).toBe(post.date);
    }
  });

  it('says so when nothing matches', async () => {
    const { status, results } = await search('不存在的词语组合ＸＹＺ');
    expect(results).toEqual([]);
    expect(status).toBe('没有找到结果。');
  });
});
