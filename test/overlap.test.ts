/**
 * Overlap: one run per site at a time, whatever starts when. Complements test/sync.test.ts (a lock held in
 * this process makes the CLI exit 3; a lock naming a pid that cannot exist is taken over) with real
 * processes racing each other, a run killed while it holds the lock, and `watch` beside a manual `sync`.
 * A feed that answers only when released (HeldFeed) keeps a run inside its lock for as long as needed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LockedError } from '../src/errors.js';
import { acquireLock, takeOver } from '../src/store/lock.js';
import { syncSite } from '../src/sync/sync.js';
import { makeSite, rss, runCli, type RssItem, type TestSite } from './helpers/site.js';
import { duplicates, readPosts } from './reliability/crash-site.js';
import { Cli, HeldFeed, until } from './reliability/held-feed.js';

function items(prefix: string, count: number, start = 0): RssItem[] {
  return Array.from({ length: count }, (_, i) => ({
    title: `${prefix} ${start + i}`,
    link: `https://${prefix}.example/${start + i}`,
    guid: `${prefix}-${start + i}`,
    pubDate: new Date(Date.now() - (start + i) * 60_000).toUTCString(),
  }));
}

const LOCKED = /another newsstand run \(pid \d+ on .+, started .+\) is working on this site \(lock file .+\.newsstand[/\\]lock\)/;
// A pid above Linux's largest pid_max: no process can have it.
const DEAD_PID = 2 ** 22 + 12_345;

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const step of cleanup.reverse()) step();
  cleanup = [];
});

async function siteWithHeldFeed(
  extra: object = {},
): Promise<{ site: TestSite; feed: HeldFeed; lock: string; writeFiles(round: number): number }> {
  const feed = new HeldFeed(items('held', 3));
  const url = await feed.start();
  const site = makeSite();
  cleanup.push(
    () => site.remove(),
    () => feed.close(),
  );
  // Per round, two file sources gain items, so every run has posts to write.
  const writeFiles = (round: number) => {
    site.writeFeed('a.xml', rss(items('a', 20 + 5 * round)));
    site.writeFeed('b.xml', rss(items('b', 20 + 5 * round)));
    return 2 * (20 + 5 * round) + feed.items.length;
  };
  writeFiles(0);
  site.writeConfig({
    ...extra,
    sources: [
      { url, name: 'Held', categories: ['新闻', 'Held', '全部'] },
      { file: './feeds/a.xml', categories: ['新闻', 'A', '全部'] },
      { file: './feeds/b.xml', categories: ['新闻', 'B', '全部'] },
    ],
  });
  return { site, feed, lock: join(site.dir, '.newsstand/lock'), writeFiles };
}

function expectWholeSite(site: TestSite, count: number): void {
  const posts = readPosts(site);
  expect(posts).toHaveLength(count);
  expect(duplicates(posts)).toEqual([]);
}

describe('one run per site', () => {
  it('of two syncs started at once, exactly one runs and the other exits 3 — also racing for a stale lock', async () => {
    const { site, feed, lock, writeFiles } = await siteWithHeldFeed();
    for (let round = 0; round < 4; round++) {
      const expected = writeFiles(round);
      if (round >= 2) {
        // Both find a lock left by a dead run and try to take it over at the same moment.
        mkdirSync(join(site.dir, '.newsstand'), { recursive: true });
        writeFileSync(lock, JSON.stringify({ pid: DEAD_PID, host: hostname(), started: '2026-01-01T00:00:00.000Z' }));
      }
      feed.hold();
      feed.requests = 0;
      const runs = [new Cli(['sync', '--all', '--config', site.configFile]), new Cli(['sync', '--all', '--config', site.configFile])];
      // The winner waits on the held feed inside the lock; the loser must give up meanwhile. Two requests
      // would mean both got in: stop waiting and let the assertions say so.
      await until(
        () => runs.some((run) => run.done) || feed.requests >= 2,
        30_000,
        () => `round ${round}: ${runs.map((run) => run.output).join('\n---\n')}`,
      );
      expect(feed.requests, `round ${round}`).toBeLessThanOrEqual(1);
      feed.release();
      const exits = await Promise.all(runs.map((run) => run.exited));
      expect(exits.map((exit) => exit.code).sort(), `round ${round}: ${exits.map((exit) => exit.stderr).join('\n')}`).toEqual([0, 3]);
      const loser = exits.find((exit) => exit.code === 3)!;
      expect(loser.stderr).toMatch(LOCKED);
      expect(loser.stderr).not.toMatch(/^\s+at /m); // a message, not a stack trace
      expect(feed.requests).toBe(1);
      expect(existsSync(lock)).toBe(false);
      expectWholeSite(site, expected);
    }
  });

  it('a run killed while it holds the lock leaves it behind, and the next run takes it over', async () => {
    const { site, feed, lock, writeFiles } = await siteWithHeldFeed();
    const expected = writeFiles(0);
    feed.hold();
    const victim = new Cli(['sync', '--config', site.configFile]);
    await until(() => feed.requests === 1);
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(victim.child.pid);
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    expect(existsSync(lock)).toBe(true);

    feed.release();
    const next = await runCli(['sync', '--config', site.configFile]);
    expect(next.code, next.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
    expectWholeSite(site, expected);
    // Nothing the lock left beside it either.
    expect(readdirSync(join(site.dir, '.newsstand')).filter((name) => name.startsWith('lock'))).toEqual([]);
  });

  it('takes over a lock naming this very pid when this process does not hold it (pids repeat across container restarts)', async () => {
    const site = makeSite();
    cleanup.push(() => site.remove());
    site.writeConfig({ sources: [{ file: site.writeFeed('a.xml', rss(items('a', 3))), categories: ['新闻', 'A', '全部'] }] });
    const lock = join(site.dir, '.newsstand/lock');
    mkdirSync(join(site.dir, '.newsstand'));
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), started: '2026-01-01T00:00:00.000Z' }));
    const summary = await syncSite({ config: await site.config(), select: { all: true } });
    expect(summary.posts.created).toBe(3);
    expect(existsSync(lock)).toBe(false);

    // A lock this process does hold is still refused to it.
    const held = acquireLock(lock);
    try {
      expect(() => acquireLock(lock)).toThrow(LockedError);
    } finally {
      held.release();
    }
    expect(existsSync(lock)).toBe(false);
  });

  it('taking over a stale lock never removes a fresh lock another run put in its place', () => {
    const site = makeSite();
    cleanup.push(() => site.remove());
    const dir = join(site.dir, '.newsstand');
    mkdirSync(dir);
    const lock = join(dir, 'lock');
    const stale = JSON.stringify({ pid: DEAD_PID, host: hostname(), started: '2026-01-01T00:00:00.000Z' });
    const fresh = JSON.stringify({ pid: process.pid + 1, host: hostname(), started: new Date().toISOString() });
    // Another run took the stale lock over and wrote its own between our reading it and our removing it.
    writeFileSync(lock, fresh);
    takeOver(lock, stale);
    expect(readFileSync(lock, 'utf8')).toBe(fresh);
    // The stale lock itself is removed.
    writeFileSync(lock, stale);
    takeOver(lock, stale);
    expect(existsSync(lock)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('watch and a manual sync never overlap: each waits for, or refuses, the other; watch stops cleanly', async () => {
    const { site, feed, lock } = await siteWithHeldFeed();
    // Watch takes the lock for each sync, not for its whole life (src/sync/watch.ts): hold it here first.
    const manual = acquireLock(lock);
    let released = false;
    cleanup.push(() => released || manual.release());
    // No build during the test: the debounce is an hour.
    const watch = new Cli(['watch', '--debounce', '3600', '--config', site.configFile]);
    cleanup.push(() => watch.child.kill('SIGKILL'));
    await watch.waitFor(/another run is working on the site; trying again shortly/);
    expect(feed.requests).toBe(0); // watch did not fetch while the site was locked

    // Released, watch syncs; while it waits on the held feed, a manual sync is refused.
    feed.hold();
    manual.release();
    released = true;
    await until(() => feed.requests === 1);
    const refused = await runCli(['sync', '--config', site.configFile]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(LOCKED);
    expect(refused.stderr).toContain(`pid ${watch.child.pid} `);

    feed.release();
    await watch.waitFor(/synced 3 due sources: 3 ok, 0 failed; 43 new/);
    // Between watch's cycles the site is free: a manual sync runs (and watch sees its changes when due).
    const between = await runCli(['sync', '--all', '--config', site.configFile]);
    expect(between.code, between.stderr).toBe(0);
    expect(between.stdout).toMatch(/Posts: 0 new/);

    watch.child.kill('SIGTERM');
    const stopped = await watch.exited;
    expect(stopped.code, watch.output).toBe(0);
    expect(watch.output).toMatch(/stopped/);
    expect(existsSync(lock)).toBe(false);
    const after = await runCli(['sync', '--all', '--config', site.configFile]);
    expect(after.code, after.stderr).toBe(0);
    expectWholeSite(site, 43);
  });
});
