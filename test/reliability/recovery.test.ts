/**
 * The moments the crash test can only hit by chance, set up exactly: what a run killed there leaves behind,
 * and the next run settling it. (A run stopped between new post files and the state's commit is set up
 * for real by the EFBIG test in test/disk.test.ts.)
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/store/state.js';
import { syncSite } from '../../src/sync/sync.js';
import { makeSite, rss, type RssItem, type TestSite } from '../helpers/site.js';
import { checkState, duplicates, readPosts } from './crash-site.js';

const NOW = new Date('2026-11-20T00:00:00Z');

function items(count: number, rev: number): RssItem[] {
  return Array.from({ length: count }, (_, n) => ({
    title: `Item ${n} rev ${rev}`,
    link: `https://recovery.example/${n}`,
    guid: `recovery-${n}`,
    pubDate: new Date(NOW.getTime() - (count - n) * 3_600_000).toUTCString(),
  }));
}

let sites: TestSite[] = [];
afterEach(() => {
  for (const site of sites) site.remove();
  sites = [];
});

function recoverySite(feed: string, extra: object = {}): TestSite {
  const site = makeSite();
  sites.push(site);
  site.writeConfig({
    site: { filename: ':year-:month-:day-:title-:id' },
    ...extra,
    sources: [{ file: site.writeFeed('r.xml', feed), categories: ['新闻', 'R', '全部'] }],
  });
  return site;
}

async function sync(site: TestSite) {
  return syncSite({ config: await site.config(), select: { all: true }, now: NOW });
}

describe('recovery from a killed run', () => {
  it('a state database created but killed before the rebuild from the posts committed is rebuilt by the next run', async () => {
    const site = recoverySite(rss(items(5, 0)));
    await sync(site);
    const before = readPosts(site)
      .map((post) => post.name)
      .sort();
    // The state is lost; the run that recreates it gets as far as the schema, then dies.
    const stateDir = join(site.dir, '.newsstand');
    for (const name of readdirSync(stateDir).filter((n) => n.startsWith('state.db'))) rmSync(join(stateDir, name));
    StateStore.open(join(stateDir, 'state.db')).close();

    // Meanwhile every title changed: a run that took the empty state for truth would publish them all again.
    site.writeFeed('r.xml', rss(items(5, 1)));
    const summary = await sync(site);
    expect(summary.posts).toMatchObject({ created: 0, updated: 5 });
    const posts = readPosts(site);
    expect(duplicates(posts)).toEqual([]);
    expect(posts.map((post) => post.name).sort()).toEqual(before);
  });

  it('posts pruned by a run killed before it deleted their files are deleted by the next run', async () => {
    const site = recoverySite(rss(items(2, 0)), { defaults: { retention: { maxItems: 2 } } });
    await sync(site);
    const oldest = readPosts(site).find((post) => post.title === 'Item 0 rev 0')!;
    // What the commit of a run that prunes the oldest post does, in one transaction — then the run dies.
    const store = StateStore.open(join(site.dir, '.newsstand/state.db'));
    store.transaction(() => {
      store.items.markPruned(oldest.id);
      store.journal.noteDeletes([oldest.name.replace(/\.md$/, '')]);
    });
    store.close();
    expect(existsSync(join(site.postsDir, oldest.name))).toBe(true);

    await sync(site);
    const posts = readPosts(site);
    expect(posts.map((post) => post.title).sort()).toEqual(['Item 1 rev 0']);
    expect(checkState(site, posts)!.recorded.size).toBe(1);
    // And it stays pruned: the item is still in the feed.
    await sync(site);
    expect(readPosts(site)).toHaveLength(1);
  });
});
