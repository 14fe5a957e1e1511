/**
 * A first sync of many new posts writes them on a second thread (src/post/writer-thread.ts) while the rest are
 * cleaned. Killed with SIGKILL while that thread writes, the site must hold what the crash test demands: whole
 * posts, none twice, none the state claims without the file; and the next whole run leaves one post per item.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { makeSite, rss } from '../helpers/site.js';
import { checkState, duplicates, random, readPosts, runSync, temporaries } from './crash-site.js';

/** Above the writer thread's threshold (200 files). */
const ITEMS = 400;

describe('the writer thread of a large first sync', () => {
  const site = makeSite();
  afterAll(() => site.remove());

  it('survives kills while it writes, and a whole run then leaves one post per item', async () => {
    const body = '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>'.repeat(20);
    const items = Array.from({ length: ITEMS }, (_, n) => ({
      title: `Story ${n}`,
      link: `https://news.example/${n}`,
      pubDate: new Date(Date.now() - n * 60_000).toUTCString(),
      description: `<p>Body ${n}</p>${body}`,
    }));
    site.writeConfig({
      defaults: { retention: { maxAge: '3650d', maxItems: 5000 } },
      sources: [{ file: site.writeFeed('many.xml', rss(items)), name: 'Many' }],
    });
    const rand = random(20_261_206);
    for (let kill = 0; kill < 6; kill++) {
      const run = await runSync(site, kill % 2 === 0 ? 'first new post' : { afterMs: 150 + Math.floor(rand() * 600) });
      const posts = readPosts(site);
      expect(duplicates(posts)).toEqual([]);
      const state = checkState(site, posts);
      if (state) expect(state.integrity).toBe('ok');
      if (run.outcome !== 'killed') expect(run.outcome, run.stderr).toBe(0);
    }
    const last = await runSync(site);
    expect(last.outcome, last.stderr).toBe(0);
    const posts = readPosts(site);
    expect(posts).toHaveLength(ITEMS);
    expect(duplicates(posts)).toEqual([]);
    expect(temporaries(site)).toEqual([]);
    expect(checkState(site, posts)?.recorded.size).toBe(ITEMS);
  });
});
