import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Hexo from 'hexo';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyPostModels, postPermalinks } from './posts.js';

/** A Hexo in a directory of its own, removed after the describe it is made in. */
function hexoOfItsOwn(): Hexo {
  const hexo = new Hexo(mkdtempSync(join(tmpdir(), 'newsstand-fast-posts-')), { silent: true });
  afterAll(() => rmSync(hexo.base_dir, { recursive: true, force: true }));
  return hexo;
}

// processBatch reads warehouse's stored documents (data) and emptyPostModels resets its models through their
// internals (data, _dataKeys, length and Hexo's relation indexes): this fails when a Hexo or warehouse upgrade
// renames or adds one.
describe('emptyPostModels', () => {
  const hexo = hexoOfItsOwn();

  it("leaves Hexo's post tables empty and working, with nothing of the old posts left in them", async () => {
    await hexo.init();
    const Post = hexo.model('Post');
    const Category = hexo.model('Category');
    const category = (await Category.insert({ name: 'news' })) as unknown as { _id: string };
    for (let i = 0; i < 5; i++) {
      const post = (await Post.insert({ source: `_posts/${i}.md`, slug: `p${i}` })) as unknown as { _id: string };
      await hexo.model('PostCategory').insert({ post_id: post._id, category_id: category._id });
    }
    expect(Post.length).toBe(5);
    // What processBatch reads instead of Post.forEach: the stored documents, made documents by Post.new.
    const stored = Object.values((Post as unknown as { data: Record<string, object> }).data);
    expect(stored.map((data) => (Post.new(data) as unknown as { source: string }).source).sort()).toEqual(
      Post.toArray()
        .map((post) => (post as unknown as { source: string }).source)
        .sort(),
    );

    emptyPostModels(hexo);
    expect(Post.length).toBe(0);
    expect(Post.toArray()).toEqual([]);
    expect(hexo.model('PostCategory').length).toBe(0);
    expect(Post.findOne({ source: '_posts/1.md' })).toBeUndefined();
    expect((Post as unknown as { _dataKeys: string[] })._dataKeys).toEqual([]);

    const again = (await Post.insert({ source: '_posts/new.md', slug: 'new' })) as unknown as { _id: string };
    await hexo.model('PostCategory').insert({ post_id: again._id, category_id: category._id });
    expect(Post.length).toBe(1);
    expect((Post.findOne({ source: '_posts/new.md' }) as unknown as { slug: string }).slug).toBe('new');
    expect(hexo.model('PostCategory').find({ category_id: category._id }).length).toBe(1);
    await hexo.exit();
  });
});

describe('postPermalinks', () => {
  const hexo = hexoOfItsOwn();

  it("gives a post's permalink as Hexo's own virtual does, under any site settings", async () => {
    await hexo.init();
    const Post = hexo.model('Post');
    const settings = [
      { url: 'http://example.com', permalink: ':year/:month/:day/:title/' },
      { url: 'https://news.example.com/planet/', permalink: ':title.html' },
      { url: 'https://news.example.com', permalink: ':year/:title/index.html', pretty_urls: { trailing_index: false } },
      { url: 'https://news.example.com', permalink: ':title.html', pretty_urls: { trailing_html: false } },
      { url: 'https://例子.测试/新闻', permalink: ':title/' },
    ];
    const piece = fc.constantFrom(...['a', 'Z', '0', '-', '.', '..', '/', ' ', '%', '%20', '#', '?', '新闻', 'é', '~', '_']);
    let id = 0;
    for (const setting of settings) {
      Object.assign(hexo.config, { pretty_urls: { trailing_index: true, trailing_html: true } }, setting);
      const permalinkOf = postPermalinks(hexo);
      fc.assert(
        fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (pieces) => {
          const doc = Post.new({ source: `_posts/${id++}.md`, slug: pieces.join(''), date: new Date(Date.UTC(2024, 0, 2)) }) as unknown as {
            path: string;
            permalink: string;
          };
          expect(outcome(() => permalinkOf(doc.path))).toBe(outcome(() => doc.permalink));
        }),
        { numRuns: 200 },
      );
    }
    await hexo.exit();
  });
});

/** What a call gives: its value, or the error it throws (full_url_for throws on a malformed escape). */
function outcome(call: () => string): string {
  try {
    return call();
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}
