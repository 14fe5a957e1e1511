import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Hexo from 'hexo';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyPostModels } from './posts.js';

// processBatch reads warehouse's stored documents (data) and emptyPostModels resets its models through their
// internals (data, _dataKeys, length and Hexo's relation indexes): this fails when a Hexo or warehouse upgrade
// renames or adds one.
describe('emptyPostModels', () => {
  const hexo = new Hexo(mkdtempSync(join(tmpdir(), 'newsstand-fast-posts-')), { silent: true });
  afterAll(() => rmSync(hexo.base_dir, { recursive: true, force: true }));

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
