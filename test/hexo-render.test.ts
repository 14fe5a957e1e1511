import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Hexo from 'hexo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../src/site/build.js';
import { BUNDLED_PLUGINS } from '../src/site/hexo-packages.js';
import { syncSite } from '../src/sync/sync.js';
import { parseWithHexo } from './helpers/hexo-front-matter.js';
import { elementsOf, textOf } from './helpers/html.js';
import { makeSite, rss, SEED_FEED, type TestSite } from './helpers/site.js';
import { parse } from 'parse5';

const require = createRequire(import.meta.url);

// Feed content that Hexo's Nunjucks and Markdown passes would interpret if it reached them raw.
const HOSTILE_TEXT = [
  'Price: {{ x }} and {{price}}',
  '{% raw %}not raw{% endraw %} and {% if a %}b{% endif %}',
  '{# a comment #} stays',
  '<!-- more --> marker text',
];
const HOSTILE_HTML = `<p>${HOSTILE_TEXT[0]}</p>

<p>${HOSTILE_TEXT[1]}</p>


<p>${HOSTILE_TEXT[2]}</p>
<pre>    four-space indented line
---

# not a heading
*not emphasis*</pre>
<p>line before rule</p>
---
<p>*stars* and _underscores_ and [link](http://x)</p>
    <p>indented paragraph</p>
<p><!-- more --> ${HOSTILE_TEXT[3]}</p>
<img src="https://img.example.com/a.jpg"><img data-src="https://img.example.com/b.jpg" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">`;

const TRICKY_TITLES = [
  'It\'s a "quoted" title: with colon # and hash',
  '- leading dash',
  '@ leading at',
  '[leading bracket]',
  '* leading star',
  '& leading ampersand',
  '! leading bang',
  'emoji 🚀👩‍💻 title',
  '这是一个非常长的中文标题'.repeat(20),
  '{{ nunjucks }} in title',
  'true',
  '2022-01-08',
];

function pageFor(site: TestSite, title: string): string {
  const hexoPublic = join(site.dir, 'public');
  const index = readFileSync(join(hexoPublic, 'index.html'), 'utf8');
  // Find the post link on the index page by its title, then read that page.
  const document = parse(index);
  const links: Array<{ href: string; text: string }> = [];
  const walk = (node: any, inCardTitle: boolean) => {
    if (inCardTitle && node.tagName === 'a') {
      links.push({ href: node.attrs.find((a: any) => a.name === 'href').value, text: textOf(node).trim() });
    }
    const isCardTitle = node.attrs?.some((a: any) => a.name === 'class' && a.value.split(' ').includes('card-title'));
    for (const child of node.childNodes ?? []) walk(child, inCardTitle || isCardTitle);
  };
  walk(document, false);
  const link = links.find((l) => l.text === title);
  if (!link) throw new Error(`no post titled ${title} on the index page; saw ${links.map((l) => l.text).join(' | ')}`);
  return readFileSync(join(hexoPublic, decodeURI(link.href), 'index.html'), 'utf8');
}

function articleBody(page: string): string {
  const match = /<div class="post-content">([\s\S]*?)<\/div>\s*(?:<footer class="post-footer">|<\/article>)/.exec(page);
  if (!match) throw new Error('article body not found in the rendered page');
  return match[1]!;
}

describe('real Hexo renders the posts', () => {
  let site: TestSite;

  beforeAll(async () => {
    site = makeSite();
    const hostile = site.writeFeed(
      'hostile.xml',
      rss([
        {
          title: 'Hostile content',
          link: 'https://example.com/hostile',
          guid: 'h1',
          pubDate: 'Mon, 02 Mar 2026 10:00:00 +0800',
          description: HOSTILE_HTML,
        },
      ]),
    );
    const tricky = site.writeFeed(
      'tricky.xml',
      rss(
        TRICKY_TITLES.map((title, i) => ({
          title,
          link: `https://example.com/t/${i}`,
          guid: `t${i}`,
          pubDate: `Mon, 0${(i % 9) + 1} Feb 2026 10:00:00 +0800`,
        })),
      ),
    );
    site.writeConfig({
      defaults: { retention: { maxAge: '36500d' } },
      sources: [
        { file: SEED_FEED, categories: ['新媒体', 'Aljazeera 半岛网', '新闻'] },
        { file: hostile, categories: ['测试', 'Hostile', '内容'] },
        { file: tricky, categories: ['测试', 'Tricky', '标题'] },
      ],
    });
    // Show every post on the index page, so the test can find each by its title.
    const hexoConfig = readFileSync(join(site.dir, '_config.yml'), 'utf8').replace(/per_page: 20/g, 'per_page: 0');
    await import('node:fs').then((fs) => fs.writeFileSync(join(site.dir, '_config.yml'), hexoConfig));
    await syncSite({ config: await site.config() });
    await buildSite({ root: site.dir });
  }, 120_000);
  afterAll(() => site.remove());

  it('renders the seed article with its text and every image with no-referrer', () => {
    const page = pageFor(site, '哈萨克斯坦危机：被革职的国家安全局长被捕  执政党各地总部被毁');
    const body = articleBody(page);
    expect(body).toContain('哈萨克斯坦国家安全局8日宣布以叛国罪逮捕该部门已被革职的局长卡里姆·马西莫夫');
    expect(body).toContain('中国宣布支持以俄罗斯为首的集安组织国家向哈萨克斯坦派遣维和部队的决定');
    const images = elementsOf(body).filter((e) => e.tag === 'img');
    expect(images.map((i) => i.src)).toEqual([
      'https://chinese.aljazeera.net/wp-content/uploads/2022/01/image-21-1.jpg?w=770&resize=770%2C433',
      'https://chinese.aljazeera.net/wp-content/uploads/2022/01/h_57388407.jpg?w=770&resize=770%2C501',
    ]);
    for (const image of images) expect(image.referrerpolicy).toBe('no-referrer');
  });

  it("neither writes nor reads Hexo's db.json, and a second build still renders every post", async () => {
    const cache = join(site.dir, 'db.json');
    expect(existsSync(cache)).toBe(false);
    // The user's own `hexo` may leave one; a db.json Hexo cannot load it reports as an error and deletes.
    writeFileSync(cache, '{"meta": not JSON');
    const before = statSync(cache).mtimeMs;
    const second = await buildSite({ root: site.dir, full: true });
    expect(readFileSync(cache, 'utf8')).toBe('{"meta": not JSON');
    expect(statSync(cache).mtimeMs).toBe(before);
    rmSync(cache); // the tests below run plain Hexo in the site
    expect(second.files).toBeGreaterThan(10);
    expect(
      elementsOf(articleBody(pageFor(site, 'Hostile content')))
        .map((e) => e.text)
        .join('\n'),
    ).toContain('Price: {{ x }}');
  });

  it("builds the bundled theme's stylesheet and scripts into the site", () => {
    expect(readFileSync(join(site.dir, 'public/css/newsstand.css'), 'utf8')).toContain('.post-content');
    expect(readFileSync(join(site.dir, 'public/js/newsstand.js'), 'utf8').length).toBeGreaterThan(100);
  });

  it('keeps the post date as the GMT instant, whatever the site timezone', () => {
    const page = pageFor(site, '哈萨克斯坦危机：被革职的国家安全局长被捕  执政党各地总部被毁');
    expect(page).toContain('datetime="2022-01-08T11:58:24.000Z"');
  });

  it('shows Nunjucks tags and Markdown in feed content literally', () => {
    const body = articleBody(pageFor(site, 'Hostile content'));
    const elements = elementsOf(body);
    const text = elements.map((e) => e.text).join('\n');
    for (const hostile of HOSTILE_TEXT.slice(0, 3)) expect(text).toContain(hostile);
    expect(text).toContain('marker text');
    // Markdown syntax stayed text: no <em>, <h1>, <hr> or <code> blocks came out of it.
    expect(elements.map((e) => e.tag)).not.toContain('em');
    expect(elements.map((e) => e.tag)).not.toContain('h1');
    expect(elements.map((e) => e.tag)).not.toContain('hr');
    expect(text).toContain('*stars* and _underscores_ and [link](http://x)');
    const pre = elements.find((e) => e.tag === 'pre');
    expect(pre).toBeDefined();
    expect(pre!.text).toContain('four-space indented line');
    const images = elements.filter((e) => e.tag === 'img');
    expect(images.map((i) => i.src)).toEqual(['https://img.example.com/a.jpg', 'https://img.example.com/b.jpg']);
    for (const image of images) expect(image.referrerpolicy).toBe('no-referrer');
  });

  it('keeps line breaks and indentation inside <pre>', () => {
    const body = articleBody(pageFor(site, 'Hostile content'));
    const pre = /<pre>([\s\S]*?)<\/pre>/.exec(body)?.[1] ?? '';
    const decoded = pre
      .replace(/&#10;/g, '\n')
      .replace(/&#123;/g, '{')
      .replace(/&#125;/g, '}');
    expect(decoded).toBe('    four-space indented line\n---\n\n# not a heading\n*not emphasis*');
  });

  it('round-trips tricky titles exactly through the front matter (Hexo parser and Hexo model)', async () => {
    const posts = Object.values(site.posts()).map((text) => parseWithHexo(text));
    const parsedTitles = posts.map((p) => p.title);
    for (const title of TRICKY_TITLES) expect(parsedTitles).toContain(title);

    const hexo = new Hexo(site.dir, { silent: true });
    hexo.env.init = true;
    await hexo.init();
    // The site has no node_modules: the renderer of its posts is one newsstand brings (its worker loads them so).
    for (const plugin of BUNDLED_PLUGINS) await hexo.loadPlugin(require.resolve(plugin));
    await hexo.load();
    expect(hexo.model('Post').length).toBe(posts.length);
    const modelTitles = hexo.locals.get('posts').map((p: { title: string }) => p.title);
    await hexo.exit();
    for (const title of TRICKY_TITLES) expect(modelTitles).toContain(title);
  });

  it('shows tricky titles on their pages, escaped as text', () => {
    for (const title of TRICKY_TITLES) {
      const page = pageFor(site, title);
      expect(page).toContain('class="post-title"');
    }
  });
});
