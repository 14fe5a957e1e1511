import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CachedPost } from './build-cache.js';
import { MadePosts, siteModel } from './model.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cachedPost(name: string, extra: Record<string, unknown> = {}): CachedPost {
  return {
    name,
    size: 1,
    mtimeMs: 1,
    hash: `hash-${name}`,
    fields: {
      title: `Title ${name}`,
      date: { $moment: '2026-11-01T08:00:00.000Z' },
      path: `p/${name}/`,
      more: { $content: true },
      ...extra,
    },
    categories: [],
  };
}

function model(posts: CachedPost[], made?: MadePosts) {
  const postsDir = mkdtempSync(join(tmpdir(), 'newsstand-model-'));
  dirs.push(postsDir);
  for (const post of posts) writeFileSync(join(postsDir, `${post.name}.md`), `---\ntitle: ${post.name}\n---\nraw ${post.name}`);
  const reads: string[] = [];
  const content = (name: string) => {
    reads.push(name);
    return `<p>content of ${name}</p>`;
  };
  const locals = siteModel({ posts, categories: [], postsDir, content, future: true, now: Date.now(), made });
  return { posts: locals.posts.toArray(), reads };
}

describe('siteModel posts', () => {
  it('has the cached fields, dates as moments, and reads the texts only when asked', () => {
    const { posts, reads } = model([cachedPost('a', { extra_field: 3 })]);
    const post = posts[0]!;
    expect(post.title).toBe('Title a');
    expect(post.extra_field).toBe(3);
    expect(post.date.toISOString()).toBe('2026-11-01T08:00:00.000Z');
    expect(reads).toEqual([]);
    expect(post.content).toBe('<p>content of a</p>');
    expect(post.more).toBe('<p>content of a</p>');
    expect(post.raw).toBe('---\ntitle: a\n---\nraw a');
    expect(reads).toEqual(['a']); // the last few texts read are kept (RecentTexts)
    expect(post.__hash).toBe('hash-a');
  });

  it('copies as Hexo data: the content and `more` by value, not the raw text or the hash', () => {
    const post = model([cachedPost('a')]).posts[0]!;
    const copy = { ...post };
    expect(copy.content).toBe('<p>content of a</p>');
    expect(copy.more).toBe('<p>content of a</p>');
    expect(Object.keys(copy)).not.toContain('raw');
    expect(Object.keys(copy)).not.toContain('__hash');
  });

  it('keeps what a filter or generator sets on the texts, per post', () => {
    const [a, b] = model([cachedPost('a'), cachedPost('b')]).posts;
    a!.content = 'filtered';
    a!.more = 'more of a';
    a!.raw = 'raw set';
    expect([a!.content, a!.more, a!.raw]).toEqual(['filtered', 'more of a', 'raw set']);
    expect(b!.content).toBe('<p>content of b</p>');
    expect(b!.more).toBe('<p>content of b</p>');
  });

  // Accessors that differ by post make V8 keep each post as a hash table: 20,000 posts took ~30 MB more.
  it('gives every post the same accessor functions', () => {
    const [a, b] = model([cachedPost('a'), cachedPost('b')]).posts;
    for (const key of ['content', 'raw', 'more']) {
      const ofA = Object.getOwnPropertyDescriptor(a, key)!;
      const ofB = Object.getOwnPropertyDescriptor(b, key)!;
      expect(ofA.get).toBeTypeOf('function');
      expect(ofA.get).toBe(ofB.get);
      expect(ofA.set).toBe(ofB.set);
    }
  });

  it('reuses a made post in the next model with what the build set on it forgotten', () => {
    const made = new MadePosts();
    const cached = [cachedPost('a'), cachedPost('b')];
    const first = model(cached, made).posts;
    const post = first[0]!;
    post.content = 'filtered';
    post.more = 'set';
    post.prev = first[1];
    post.next = first[1];
    post.__post = true;
    const again = model(cached, made).posts[0]!;
    expect(again).toBe(post);
    expect(again.content).toBe('<p>content of a</p>');
    expect(again.more).toBe('<p>content of a</p>');
    expect('prev' in again || 'next' in again || '__post' in again).toBe(false);
  });
});
