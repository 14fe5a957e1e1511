import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { decodeHTML } from 'entities';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THEME_NAMES } from '../src/theme-profiles.js';
import { REPO, runCli } from './helpers/site.js';
import { makeThemeSite } from './helpers/theme-site.js';

// Every theme newsstand has a profile for, installed from npm (pinned dev dependencies), in a site set up as
// its README says, built by the CLI started outside the site.

/** Tests never reach beyond loopback, whatever a theme's scripts try (some ask for their latest version). */
const ENV = { NODE_OPTIONS: `--import=${join(REPO, 'test/helpers/loopback-only.mjs')}` };
const OUTSIDE = tmpdir();
/** Post files get this modification time: a theme that shows it as a date would print 2001. */
const MTIME = new Date('2001-09-09T01:46:40Z');
const SEED_TITLE = '哈萨克斯坦危机：被革职的国家安全局长被捕  执政党各地总部被毁';
/** An item whose lead image is its media:thumbnail only: the image shows on a page only if the theme shows it. */
const COVER_PROBE = {
  link: 'datacenter-pue-rules',
  title: '南方某省出台数据中心能效新规',
  image: 'https://tech.example.cn/uploads/2026/05/datacenter-cooling-thumb.jpg',
};

/** Themes that show a post's author on its page with their default configuration. */
const SHOWS_AUTHOR = new Set(['newsstand', 'volantis', 'icarus', 'butterfly', 'fluid', 'redefine', 'keep']);

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * A page's body, character references decoded (themes escape `/` in URLs too), without the head (og:image
 * and the like name images a page may not show).
 */
function bodyOf(path: string): string {
  return decodeHTML(readFileSync(path, 'utf8').replace(/<head[\s>][\s\S]*?<\/head>/i, ''));
}

describe.each(THEME_NAMES)('the %s theme', (theme) => {
  let site: ReturnType<typeof makeThemeSite>;
  let publicDir: string;
  let posts: Record<string, string>;
  let build: Awaited<ReturnType<typeof runCli>>;

  /** The built page of the post whose file contains `marker`. */
  const postPage = (marker: string) => {
    const [file] = Object.entries(posts).find(([, text]) => text.includes(marker))!;
    const id = file.replace(/\.md$/, '').split('-').pop()!;
    return join(publicDir, 'p', id, 'index.html');
  };

  beforeAll(async () => {
    site = makeThemeSite(theme);
    const sync = await runCli(['sync', '-c', site.configFile], { cwd: OUTSIDE, env: ENV });
    expect(sync.code, sync.stderr).toBe(0);
    const postsDir = join(site.dir, 'source/_posts');
    posts = Object.fromEntries(readdirSync(postsDir).map((name) => [name, readFileSync(join(postsDir, name), 'utf8')]));
    for (const name of Object.keys(posts)) utimesSync(join(postsDir, name), MTIME, MTIME);
    build = await runCli(['build', '-c', site.configFile], { cwd: OUTSIDE, env: ENV });
    publicDir = join(site.dir, 'public');
  }, 180_000);
  afterAll(() => site.remove());

  it('builds from outside the site, no page empty', () => {
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/Built the site with Hexo: \d+ files/);
    const pages = htmlFiles(publicDir);
    expect(pages.length).toBeGreaterThan(10);
    for (const page of pages) expect(readFileSync(page, 'utf8').trim(), relative(publicDir, page)).not.toBe('');
  });

  it('shows the lead image on the index and on the post page', () => {
    const index = [join(publicDir, 'index.html'), ...htmlFiles(join(publicDir, 'page'))].find((page) =>
      bodyOf(page).includes(COVER_PROBE.title),
    );
    expect(index, 'an index page lists the post').toBeDefined();
    expect(bodyOf(index!)).toContain(COVER_PROBE.image);
    expect(bodyOf(postPage(COVER_PROBE.link))).toContain(COVER_PROBE.image);
  });

  it('shows the seed article with its date, author and categories', () => {
    const page = postPage('aljazeera');
    const body = bodyOf(page);
    expect(body).toContain(SEED_TITLE.replace(/ +/g, ' ').split(' ')[0]);
    expect(body).toMatch(/2022/);
    if (SHOWS_AUTHOR.has(theme)) expect(body).toContain('Aljazeera 半岛网');
    expect(body).not.toContain('请设置文章作者');
    expect(existsSync(join(publicDir, 'categories/新媒体/Aljazeera-半岛网/新闻/index.html'))).toBe(true);
  });

  it("never shows a post file's modification time as a date", () => {
    // As a year on its own: a hash or a build's timestamp in milliseconds may hold the digits 2001 by chance.
    for (const page of htmlFiles(publicDir)) expect(readFileSync(page, 'utf8'), relative(publicDir, page)).not.toMatch(/\b2001\b/);
  });

  it('puts the no-referrer meta on every page', () => {
    // Pages, not fragments (Volantis renders a README.md of its CSS into css/README.html).
    const pages = htmlFiles(publicDir).filter((page) => /<html[\s>]/i.test(readFileSync(page, 'utf8')));
    expect(pages.length).toBeGreaterThan(10);
    for (const page of pages)
      expect(readFileSync(page, 'utf8'), relative(publicDir, page)).toMatch(/<meta name="referrer" content="no-referrer"/);
  });

  it("keeps the body literal: Hexo's template tags and Markdown are not interpreted", () => {
    const page = postPage('static-site-template-pitfalls');
    const { document } = parseHTML(readFileSync(page, 'utf8'));
    const text = document.body.textContent ?? '';
    // Said as the page and the lines that mention price, not the whole page, should it ever fail.
    const shown = `${relative(site.dir, page)}: ${
      text
        .split('\n')
        .filter((line) => line.includes('price'))
        .join(' | ') || '(no line mentions price)'
    }`;
    for (const literal of ['{{ price }}', '{% if price > 100 %}', '{# 这是模板注释，不会输出 #}'])
      expect(text.includes(literal), `${literal} in ${shown}`).toBe(true);
  });
});

describe('a theme that fails', () => {
  let site: ReturnType<typeof makeThemeSite>;
  const snapshot = (dir: string) =>
    htmlFiles(dir)
      .map((page) => `${relative(dir, page)} ${statSync(page).mtimeMs} ${readFileSync(page, 'utf8').length}`)
      .sort()
      .join('\n');

  beforeAll(async () => {
    site = makeThemeSite('landscape');
    const first = await runCli(['run', '-c', site.configFile], { cwd: OUTSIDE, env: ENV });
    expect(first.code, first.stderr).toBe(0);
  }, 120_000);
  afterAll(() => site.remove());

  it('exits 1 naming the theme and the error, keeps public/, and the next run builds again', async () => {
    const publicDir = join(site.dir, 'public');
    const before = snapshot(publicDir);
    mkdirSync(join(site.dir, 'scripts'));
    writeFileSync(join(site.dir, 'scripts/broken.js'), "throw new Error('the theme broke on purpose');\n");

    const failed = await runCli(['build', '-c', site.configFile], { cwd: OUTSIDE, env: ENV });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('"landscape"');
    expect(failed.stderr).toContain('the theme broke on purpose');
    expect(failed.stderr).toContain('was left as it was');
    expect(failed.stderr).not.toMatch(/^\s+at /m);
    expect(snapshot(publicDir)).toBe(before);

    // Nothing changed in the feeds, but the site is not built as it should be: run builds (and fails) again.
    const again = await runCli(['run', '-c', site.configFile], { cwd: OUTSIDE, env: ENV });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('the theme broke on purpose');
    expect(snapshot(publicDir)).toBe(before);

    rmSync(join(site.dir, 'scripts'), { recursive: true });
    const fixed = await runCli(['run', '-c', site.configFile], { cwd: OUTSIDE, env: ENV });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/Built the site with Hexo/);
    const quiet = await runCli(['run', '-c', site.configFile], { cwd: OUTSIDE, env: ENV });
    expect(quiet.stdout).toContain('Nothing changed: the site was not rebuilt.');
  }, 180_000);

  it('fails on a theme whose layouts write empty pages', async () => {
    const publicDir = join(site.dir, 'public');
    const before = snapshot(publicDir);
    mkdirSync(join(site.dir, 'themes/hollow/layout'), { recursive: true });
    const hexoConfig = join(site.dir, '_config.yml');
    writeFileSync(hexoConfig, readFileSync(hexoConfig, 'utf8').replace(/^theme: .*$/m, 'theme: hollow'));
    const failed = await runCli(['build', '-c', site.configFile], { cwd: OUTSIDE, env: ENV });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('"hollow"');
    expect(failed.stderr).toContain('No layout');
    expect(snapshot(publicDir)).toBe(before);
  }, 120_000);
});
