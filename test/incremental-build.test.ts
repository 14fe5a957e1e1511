/**
 * The incremental build (src/site/fast/) against full builds: after a random sequence of new, changed, reverted,
 * back-dated and pruned posts, each followed by an incremental build — each in a process of its own, or all in one
 * kept worker (watch, serve) — the site is byte for byte the one a build from no cache makes, and the one Hexo makes
 * whole (NEWSSTAND_FULL_BUILD=1). Seeded; the seed is in the test's name.
 */
import { cpSync, existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BuildResult, buildSite } from '../src/site/build.js';
import { KeptWorker } from '../src/site/build-worker.js';
import { differences, fileOf, makeNewsSite, type Post, SOURCES, tree, writePost } from './helpers/news-site.js';
import type { TestSite } from './helpers/site.js';

const SEED = Number(process.env.INCREMENTAL_SEED ?? 20261206);
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 8, 0, 0);
/** mulberry32 */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sites: TestSite[] = [];
afterAll(() => {
  for (const site of sites) site.remove();
});

function newsSite(): TestSite {
  const site = makeNewsSite();
  sites.push(site);
  return site;
}

/** The same posts, built in a site of their own from nothing: fast (no cache) and by Hexo whole. */
async function freshBuilds(site: TestSite): Promise<{ fast: Map<string, Buffer>; hexo: Map<string, Buffer> }> {
  const copy = newsSite();
  rmSync(copy.postsDir, { recursive: true, force: true });
  cpSync(site.postsDir, copy.postsDir, { recursive: true });
  const built = await buildSite({ root: copy.dir });
  expect(built.incremental).toMatchObject({ full: true });
  const fast = tree(join(copy.dir, 'public'));
  await buildSite({ root: copy.dir, full: true });
  return { fast, hexo: tree(join(copy.dir, 'public')) };
}

/**
 * A random sequence of changes, each followed by an incremental build (`build`); then the site against fresh builds
 * of the same posts. With `interloper`, every fifth step first changes a post, builds the site with it in another
 * process (`newsstand build` from a shell while watch runs), and changes the post back.
 */
async function changeAndCompare(build: (root: string) => Promise<BuildResult>, interloper?: (root: string) => Promise<unknown>) {
  const next = random(SEED);
  const site = newsSite();
  const posts: Post[] = [];
  let counter = 0;
  const newPost = (date: number): Post => {
    counter++;
    return {
      id: (counter * 2654435761).toString(16).padStart(16, '0').slice(-16),
      title: `第${counter}条新闻`,
      date,
      source: Math.floor(next() * SOURCES.length),
      revision: 1,
    };
  };
  for (let n = 0; n < 24; n++) posts.push(newPost(NOW - Math.floor(next() * 40) * DAY - n * 3_600_000));
  for (const post of posts) writePost(site, post);
  const first = await build(site.dir);
  expect(first.incremental).toMatchObject({ full: true });

  const steps: string[] = [];
  const writtenBy: number[] = [];
  let changed: { post: Post; title: string } | null = null;
  const kinds = ['newest', 'newest', 'back-dated', 'changed', 'reverted', 'pruned', 'newest-pruned', 'unchanged'];
  // Random steps, and a newest post that goes again: its neighbour's page must lose the link to it.
  const plan = [...Array.from({ length: 14 }, () => kinds[Math.floor(next() * kinds.length)]!), 'newest', 'newest-pruned'];
  for (const [step, kind] of plan.entries()) {
    if (interloper && step % 5 === 4) {
      const post = posts[Math.floor(next() * posts.length)]!;
      writePost(site, { ...post, title: `${post.title}（另一进程）`, revision: post.revision + 1 });
      await interloper(site.dir);
      writePost(site, post);
    }
    if (kind === 'newest') posts.push(newPost(NOW + step * 3_600_000));
    if (kind === 'back-dated') posts.push(newPost(NOW - Math.floor(next() * 30) * DAY));
    if (kind === 'newest' || kind === 'back-dated') writePost(site, posts.at(-1)!);
    if (kind === 'changed') {
      const post = posts[Math.floor(next() * posts.length)]!;
      changed = { post, title: post.title };
      post.revision++;
      post.title = `${post.title}（更新）`;
      writePost(site, post);
    }
    // Back to the text it had two builds ago: pages and search files must not stay as the change made them.
    if (kind === 'reverted' && changed && posts.includes(changed.post)) {
      changed.post.revision--;
      changed.post.title = changed.title;
      writePost(site, changed.post);
      changed = null;
    }
    if (kind === 'pruned') {
      const [post] = posts.splice(Math.floor(next() * posts.length), 1);
      unlinkSync(fileOf(site, post!));
    }
    // The newest post gone: the next newest has no newer neighbour any more.
    if (kind === 'newest-pruned') {
      const newest = posts.reduce((a, b) => (b.date > a.date ? b : a));
      posts.splice(posts.indexOf(newest), 1);
      unlinkSync(fileOf(site, newest));
    }
    steps.push(kind);
    const built = await build(site.dir);
    expect(built.incremental, `step ${step} (${kind})`).toMatchObject({ full: false });
    writtenBy.push(built.incremental!.written);
    if (kind === 'unchanged' && !interloper) expect(built.incremental!.written, 'nothing changed: nothing written').toBe(0);
  }
  const incremental = tree(join(site.dir, 'public'));
  const { fast, hexo } = await freshBuilds(site);
  expect(differences(incremental, fast), `after ${steps.join(', ')}`).toEqual([]);
  expect(differences(fast, hexo), 'the fast build against a whole Hexo build').toEqual([]);
  // A new newest post touches a handful of files, not the site (search files, feeds, lists, the post and its neighbour).
  const newest = steps.flatMap((kind, step) => (kind === 'newest' ? [writtenBy[step]!] : []));
  for (const written of newest) expect(written).toBeLessThan(incremental.size / 2);
}

describe(`incremental builds of newsstand's theme (seed ${SEED})`, () => {
  it('make the site a full build makes, after every kind of change to the posts', { timeout: 240_000 }, async () => {
    await changeAndCompare((root) => buildSite({ root }));
  });

  it('make it too in a worker kept between builds, with builds by other processes in between', { timeout: 240_000 }, async () => {
    const worker = new KeptWorker();
    const pids = new Set<number>();
    try {
      await changeAndCompare(
        async (root) => {
          const built = await buildSite({ root, worker });
          pids.add(worker.pid!);
          return built;
        },
        // Another process builds the site now and then: what the worker kept is stale.
        (root) => buildSite({ root }),
      );
    } finally {
      await worker.close();
    }
    expect(pids.size, 'one worker for every build').toBe(1);
  });

  it('replaces a kept worker that died between builds, and saves what it deferred when closed', { timeout: 120_000 }, async () => {
    const site = newsSite();
    const worker = new KeptWorker();
    const state = join(site.dir, '.newsstand', 'search.state');
    try {
      writePost(site, { id: 'aaaaaaaaaaaaaaaa', title: '一条', date: NOW, source: 0, revision: 1 });
      await buildSite({ root: site.dir, worker });
      const first = worker.pid!;
      process.kill(first, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 200));
      writePost(site, { id: 'bbbbbbbbbbbbbbbb', title: '两条', date: NOW + DAY, source: 1, revision: 1 });
      const built = await buildSite({ root: site.dir, worker });
      expect(built.incremental).toMatchObject({ full: false });
      expect(worker.pid).not.toBe(first);
      expect(readFileSync(join(site.dir, 'public', 'index.html'), 'utf8')).toContain('两条');
    } finally {
      await worker.close();
    }
    expect(existsSync(state), 'the search state, saved after the last build').toBe(true);
    const again = await buildSite({ root: site.dir });
    expect(again.incremental).toMatchObject({ written: 0 });
  });

  it('builds a site whose theme copy differs with Hexo whole, and says why', async () => {
    const site = newsSite();
    const theme = join(site.dir, 'themes', 'newsstand');
    cpSync(join(import.meta.dirname, '..', 'themes', 'newsstand'), theme, { recursive: true });
    writeFileSync(join(theme, 'layout', '_partial', 'footer.ejs'), '<footer class="site-footer">mine</footer>\n');
    writePost(site, { id: 'aaaaaaaaaaaaaaaa', title: '一条', date: NOW, source: 0, revision: 1 });
    const built = await buildSite({ root: site.dir });
    expect(built.incremental).toBeUndefined();
    expect(built.fullBuildReason).toContain('differs from the newsstand theme this newsstand ships');
    expect(readFileSync(join(site.dir, 'public', 'index.html'), 'utf8')).toContain('>mine</footer>');
    expect(existsSync(join(site.dir, '.newsstand', 'build.db'))).toBe(false);
  });
});
