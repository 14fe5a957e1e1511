import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import Hexo from 'hexo';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeAttribute, escapeText } from '../../content/escape.js';
import { renderPost } from '../../post/post-text.js';
import { htmlBlockAsRendered, readOwnPostsDirectly } from './post-reading.js';

const require = createRequire(import.meta.url);
type Render = (this: Hexo, data: { text: string }, options?: object) => string;
const markedRender = require('hexo-renderer-marked/lib/renderer.js') as Render;
const frontMatter = createRequire(require.resolve('hexo'))('hexo-front-matter') as { parse: (text: string) => object };

const SEED = readFileSync(join(import.meta.dirname, '../../../test/golden/000_4206ef1ae22bb898.txt'), 'utf8');
const DATE = new Date('2024-03-05T06:07:08Z');

/** Posts as newsstand writes them, and two it did not: a user's own Markdown post, and a hand-edited one. */
const POSTS: Record<string, string> = {
  seed: SEED,
  'theme-keys': renderPost(
    {
      title: 'It\'s "quoted" — 新闻: #1',
      categories: ['Tech', 'yes', '2024'],
      author: 'A. Writer',
      comments: true,
      date: DATE,
      updated: DATE,
      original_url: 'https://example.com/a?b=1&c=2',
      newsstand_id: '00ff',
      theme: [
        ['cover', 'https://example.com/i.jpg'],
        ['photos', ['https://example.com/1.jpg', 'https://example.com/2.jpg']],
        ['sticky', false],
      ],
    },
    [
      `<p>${escapeText('a {{ tag }} & ``` fence\n# not a heading\n- not a list', false)}</p>`,
      `<pre>${escapeText('line one\n\n    indented\n', true)}</pre>`,
      `<figure><img src="${escapeAttribute('https://example.com/a b.jpg')}" alt="x"><figcaption>c</figcaption></figure>`,
    ].join('\n'),
  ),
  'control-characters': renderPost({ title: 'tab\there\u2028', categories: [], author: '', comments: false, date: DATE }, '<p>text</p>'),
  'users-own':
    '---\ntitle: Mine\ndate: 2024-01-02 03:04:05\ntags: [a, b]\n---\n\n# Heading\n\nSome *Markdown* and a [link](https://example.com).\n',
  'hand-edited': `${SEED.replace('comments: false', 'comments: false # off')}\n\nAn added paragraph.\n`,
};

/** The posts in a site of their own, their files' times fixed (Hexo dates a post without `updated` by its file). */
function postsSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsstand-post-reading-'));
  mkdirSync(join(dir, 'source', '_posts'), { recursive: true });
  for (const [name, text] of Object.entries(POSTS)) {
    const file = join(dir, 'source', '_posts', `${name}.md`);
    writeFileSync(file, text);
    utimesSync(file, DATE, DATE);
  }
  return dir;
}

/** What Hexo makes of each post: its fields (dates as ISO strings, categories by name) and its rendered content. */
async function readPosts(dir: string, direct: boolean): Promise<Record<string, unknown>> {
  const hexo = new Hexo(dir, { silent: true });
  await hexo.init();
  await hexo.loadPlugin(require.resolve('hexo-renderer-marked'));
  if (direct) readOwnPostsDirectly(hexo);
  const source = hexo.source as unknown as { _processFile(type: string, path: string): Promise<unknown> };
  const made: Record<string, unknown> = {};
  for (const name of Object.keys(POSTS)) {
    await source._processFile('create', `_posts/${name}.md`);
    type Doc = Record<string, unknown> & {
      full_source: string;
      _content: string;
      categories: { map(f: (c: { name: string }) => string): string[] };
    };
    const doc = hexo.model('Post').findOne({ source: `_posts/${name}.md` }) as unknown as Doc;
    doc.content = doc._content;
    await hexo.post.render(doc.full_source, doc as never);
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(doc)) {
      if (key === '_id' || typeof value === 'function') continue;
      fields[key] = value && typeof (value as { toISOString?: unknown }).toISOString === 'function' ? (value as Date).toISOString() : value;
    }
    fields.categories = doc.categories.map((category) => category.name);
    delete fields.tags;
    made[name] = fields;
  }
  await hexo.exit();
  return made;
}

describe('readOwnPostsDirectly', () => {
  const parse = frontMatter.parse;
  afterAll(() => {
    frontMatter.parse = parse;
  });

  it("makes every post what Hexo's own reading makes of it, reading newsstand's without js-yaml and marked", async () => {
    // First as Hexo reads them (the front matter change is to a module every Hexo of the process shares).
    const dir = postsSite();
    const asHexo = await readPosts(dir, false);
    const direct = await readPosts(dir, true);
    rmSync(dir, { recursive: true, force: true });
    expect(direct).toEqual(asHexo);
    expect(Object.keys(direct)).toEqual(Object.keys(POSTS));
    // The posts say what they should, so that the comparison above compares something.
    expect(direct.seed).toMatchObject({ title: '哈萨克斯坦危机：被革职的国家安全局长被捕  执政党各地总部被毁', comments: false });
    expect(direct['theme-keys']).toMatchObject({
      categories: ['Tech', 'yes', '2024'],
      photos: ['https://example.com/1.jpg', 'https://example.com/2.jpg'],
    });
    expect((direct['users-own'] as { content: string }).content).toContain(
      '<h1 id="Heading"><a href="#Heading" class="headerlink" title="Heading"></a>Heading</h1>',
    );
    expect((direct['hand-edited'] as { content: string }).content).toContain('<p>An added paragraph.</p>');
  });

  it('is what Hexo calls: its post processor looks the parse up at each call, and renders .md with the replaced renderer', async () => {
    const hexo = new Hexo(mkdtempSync(join(tmpdir(), 'newsstand-post-reading-')), { silent: true });
    await hexo.init();
    await hexo.loadPlugin(require.resolve('hexo-renderer-marked'));
    readOwnPostsDirectly(hexo);
    const renderers = hexo.extend.renderer;
    for (const extension of ['md', 'markdown']) expect(renderers.get(extension, true)).not.toBe(markedRender);
    // Hexo's post processor reads through the module's `parse`: counted, a post it processes is read by it.
    const direct = frontMatter.parse;
    let calls = 0;
    frontMatter.parse = (text) => {
      calls++;
      return direct(text);
    };
    mkdirSync(join(hexo.source_dir, '_posts'), { recursive: true });
    writeFileSync(join(hexo.source_dir, '_posts', 'seed.md'), SEED);
    const source = hexo.source as unknown as { _processFile(type: string, path: string): Promise<unknown> };
    await source._processFile('create', '_posts/seed.md');
    frontMatter.parse = direct;
    expect(calls).toBe(1);
    expect((hexo.model('Post').findOne({ source: '_posts/seed.md' }) as unknown as { author: string }).author).toBe('Aljazeera 半岛网');
    // Installed twice (a kept worker's Hexo, the helper's), the renderer is replaced once and still renders.
    readOwnPostsDirectly(hexo);
    const body = '\n<div>\n<p>a</p>\n</div>\n';
    expect(await hexo.render.render({ text: body, engine: 'md' })).toBe(body.slice(1));
    expect(await hexo.render.render({ text: '*a*', engine: 'md' })).toBe('<p><em>a</em></p>\n');
    await hexo.exit();
    rmSync(hexo.base_dir, { recursive: true, force: true });
  });

  it('leaves HTML blocks to marked when the site changes marked', async () => {
    const hexo = new Hexo(mkdtempSync(join(tmpdir(), 'newsstand-post-reading-')), { silent: true });
    await hexo.init();
    await hexo.loadPlugin(require.resolve('hexo-renderer-marked'));
    readOwnPostsDirectly(hexo);
    const body = '<div>\n<p>a</p>\n</div>\n';
    // The renderer object a filter changes is the plugin's own, for every later render: the change is undone below.
    let changed: { html?: unknown } = {};
    hexo.extend.filter.register('marked:renderer', (renderer: { html?: unknown }) => {
      changed = renderer;
      renderer.html = ({ text }: { text: string }) => text.toUpperCase();
    });
    expect(await hexo.render.render({ text: body, engine: 'md' })).toBe(body.toUpperCase());
    hexo.extend.filter.store['marked:renderer'] = [];
    delete changed.html;
    expect(await hexo.render.render({ text: body, engine: 'md' })).toBe(body);
    // `pedantic` reads an HTML block otherwise: a `<div>` line's block ends at its first `</div>`.
    (hexo.config as unknown as { marked: Record<string, unknown> }).marked.pedantic = true;
    const twoBlocks = '<div>\n<p>a</p>\n</div>\n*b*\n';
    expect(await hexo.render.render({ text: twoBlocks, engine: 'md' })).toBe(markedRender.call(hexo, { text: twoBlocks }));
    expect(await hexo.render.render({ text: twoBlocks, engine: 'md' })).toContain('<em>b</em>');
    await hexo.exit();
    rmSync(hexo.base_dir, { recursive: true, force: true });
  });
});

describe('htmlBlockAsRendered', () => {
  const hexo = new Hexo(mkdtempSync(join(tmpdir(), 'newsstand-post-reading-')), { silent: true });
  afterAll(async () => {
    await hexo.exit();
    rmSync(hexo.base_dir, { recursive: true, force: true });
  });

  it('is what hexo-renderer-marked makes of a text, or null', async () => {
    await hexo.init();
    await hexo.loadPlugin(require.resolve('hexo-renderer-marked'));
    const piece = fc.constantFrom(
      ...['\n', '\n', '\n', ' ', '\t', '\r', '<div>', '</div>', '<p>', '</p>', '<pre>', '</pre>', '<!--', '-->', '<script>'],
      ...['# ', '- ', '* ', '1. ', '> ', '    ', '```', '---', '===', '|a|b|', '[x]: /y', 'a', '中文', '*em*', '&amp;', '<br>'],
    );
    const text = fc
      .tuple(
        fc.constantFrom('', '\n', '\n\n', ' \n', '<div>'),
        fc.constantFrom('<div>\n', '<div>', ' <div>\n', '<p>\n', ''),
        fc.array(piece, { maxLength: 14 }),
      )
      .map(([before, open, rest]) => before + open + rest.join(''));
    let passed = 0;
    fc.assert(
      fc.property(text, (body) => {
        const direct = htmlBlockAsRendered(body);
        if (direct === null) return;
        passed++;
        expect(direct).toBe(markedRender.call(hexo, { text: body }));
      }),
      { numRuns: 10_000 },
    );
    // About one text in ten is a block (945-1,101 of 10,000 over 200 seeds): enough that the comparison runs.
    expect(passed).toBeGreaterThan(500);
  });

  it('takes every body newsstand writes', () => {
    for (const name of ['theme-keys', 'control-characters']) {
      const body = frontMatterSplit(POSTS[name]!);
      expect(htmlBlockAsRendered(body), name).not.toBeNull();
    }
    expect(htmlBlockAsRendered('\n<div>\n<p>a</p>\n\n</div>\n')).toBeNull();
    expect(htmlBlockAsRendered('<p>a</p>\n')).toBeNull();
  });
});

/** A post's body as Hexo's front matter reading leaves it. */
function frontMatterSplit(text: string): string {
  return (createRequire(require.resolve('hexo'))('hexo-front-matter') as { split(text: string): { content: string } }).split(text).content;
}
