/**
 * The build helper (src/site/fast/build-helper.ts): a full build of newsstand's theme that shares its posts and pages
 * with a second Hexo process makes the site byte for byte as a build without one; a helper that dies — after some
 * posts, after some pages, with a page written and not reported — leaves the build whole, and the build cache as
 * the next build needs it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../src/site/build.js';
import { differences, makeNewsSite, type Post, tree, writePost } from './helpers/news-site.js';
import type { TestSite } from './helpers/site.js';

/** Three batches of posts (posts.ts makes 200 at a time): the helper is granted two while the build makes the third. */
const POSTS = 450;
const NOW = Date.UTC(2026, 11, 6, 8, 0, 0);

let site: TestSite;
/** The site as a build without a helper makes it. */
let alone: Map<string, Buffer>;

/** A full build (no cache, no public/) with the helper as `setting` says, and what came out. */
async function fullBuild(env: Record<string, string>) {
  for (const path of ['public', '.newsstand/build.db', '.newsstand/build.db-wal', '.newsstand/build.db-shm', '.newsstand/search.state'])
    rmSync(join(site.dir, path), { recursive: true, force: true });
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const built = await buildSite({ root: site.dir });
    expect(built.incremental).toMatchObject({ full: true });
    return { built, files: tree(join(site.dir, 'public')) };
  } finally {
    for (const key of Object.keys(env)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

beforeAll(async () => {
  site = makeNewsSite();
  for (let n = 0; n < POSTS; n++) {
    const post: Post = {
      id: (n * 2654435761 + 1).toString(16).padStart(16, '0').slice(-16),
      title: `第${n}条新闻`,
      date: NOW - n * 3_600_000,
      source: n % 4,
      revision: 1,
    };
    writePost(site, post);
  }
  const { built, files } = await fullBuild({ NEWSSTAND_BUILD_HELPER: '0' });
  expect(built.incremental?.helper).toBeUndefined();
  alone = files;
}, 120_000);

afterAll(() => site?.remove());

describe('a full build with a helper process', () => {
  it('makes the site a build without one makes, the helper having made posts and pages', { timeout: 120_000 }, async () => {
    const { built, files } = await fullBuild({ NEWSSTAND_BUILD_HELPER: '1' });
    const helper = built.incremental!.helper!;
    expect(helper.failed).toBe(false);
    expect(helper.posts).toBeGreaterThan(0);
    expect(helper.posts).toBeLessThan(POSTS);
    expect(helper.pages).toBeGreaterThan(0);
    expect(differences(files, alone)).toEqual([]);
    const again = await buildSite({ root: site.dir });
    expect(again.incremental, "the cache knows every page, the helper's too").toMatchObject({ full: false, written: 0 });
  });

  for (const fault of ['posts:1', 'pages:1', 'pages:40']) {
    it(`is whole when the helper dies (${fault}), the build doing what it did not report`, { timeout: 120_000 }, async () => {
      const { built, files } = await fullBuild({ NEWSSTAND_BUILD_HELPER: '1', NEWSSTAND_BUILD_HELPER_FAULT: fault });
      expect(built.incremental!.helper).toMatchObject({ failed: true });
      expect(differences(files, alone)).toEqual([]);
      const again = await buildSite({ root: site.dir });
      expect(again.incremental).toMatchObject({ full: false, written: 0 });
    });
  }
});
