/**
 * Disk trouble: writes that fail — a directory in a post's place, a file size limit reached half-way through a
 * post (real EFBIG, from `ulimit -f`), the posts directory swapped for a file mid-run, a read-only posts
 * directory, a state database that cannot be written. Each time: exit 1 with one line naming the path and
 * what to do (no stack trace), nothing half-written, no temporary left, the state claiming no post that failed
 * — and once the cause is gone, the next run gives the full result.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { itemId } from '../src/item-identity.js';
import { postBaseName } from '../src/post/file-name.js';
import { preparePostsDir } from '../src/post/files.js';
import { makeSite, REPO, rss, runCli, type CliResult, type RssItem, type TestSite } from './helpers/site.js';
import { checkState, duplicates, readPosts, temporaries } from './reliability/crash-site.js';
import { Cli, HeldFeed, until } from './reliability/held-feed.js';

const PATTERN = ':year-:month-:day-:title-:id';
const BASE = Date.now() - 3_600_000;

function items(count: number, rev: number, big?: number): RssItem[] {
  return Array.from({ length: count }, (_, n) => ({
    title: `Report ${n} rev ${rev}`,
    link: `https://disk.example/${n}`,
    guid: `disk-${n}`,
    pubDate: new Date(BASE - n * 60_000).toUTCString(),
    // A post of 2 MB: above the file size limit below, whether sh counts it in blocks of 512 bytes or 1 KB.
    description:
      n === big
        ? `<p>${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(100)}</p>`.repeat(400)
        : `<p>Report ${n} rev ${rev}</p>`,
  }));
}

/** The file name newsstand gives item `n` (as publish-source does), to put something in its way. */
async function postPath(site: TestSite, n: number, rev: number): Promise<string> {
  const config = await site.config();
  const item = items(n + 1, rev)[n]!;
  const id = itemId(config.sources[0]!.key, { guid: item.guid!, link: item.link!, title: item.title, published: null, updated: null });
  const date = new Date(Math.floor(Date.parse(item.pubDate!) / 1000) * 1000);
  return join(site.postsDir, `${postBaseName(PATTERN, { date, id, title: item.title, source: 'Disk' })}.md`);
}

let sites: TestSite[] = [];
afterEach(() => {
  for (const site of sites) {
    chmodSync(site.dir, 0o755);
    site.remove();
  }
  sites = [];
});

function diskSite(feed: string): TestSite {
  const site = makeSite();
  sites.push(site);
  site.writeConfig({
    site: { filename: PATTERN },
    sources: [{ file: site.writeFeed('disk.xml', feed), name: 'Disk', categories: ['新闻', 'Disk', '全部'] }],
  });
  return site;
}

function sync(site: TestSite): Promise<CliResult> {
  return runCli(['sync', '--all', '--config', site.configFile]);
}

/** `sync` under a file size limit of `blocks` (sh's units): writes past it fail with EFBIG (Node ignores SIGXFSZ). */
function syncLimited(site: TestSite, blocks: number): Promise<CliResult> {
  const args = [
    '-c',
    `ulimit -f ${blocks} && exec "$0" "$@"`,
    process.execPath,
    join(REPO, 'bin/newsstand.js'),
    'sync',
    '--all',
    '--config',
    site.configFile,
  ];
  return new Promise((done) => {
    const child = spawn('/bin/sh', args, { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** What must hold after any failed run: one line of error, nothing half-written, nothing claimed that failed. */
function expectCleanFailure(site: TestSite, result: CliResult, message: RegExp, failedPath: string, readState = true): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/internal error|^\s+at /m);
  expect(temporaries(site)).toEqual([]);
  const posts = readPosts(site); // throws on any post that is not whole
  if (!readState) return;
  const state = checkState(site, posts); // throws on any post claimed but missing
  expect(state?.recorded.has(failedPath.slice(site.postsDir.length + 1)) ?? false).toBe(false);
}

/** After the cause is gone: every item once, whole, at its latest revision, and recorded by the state. */
function expectFullResult(site: TestSite, count: number, rev: number): void {
  const posts = readPosts(site);
  expect(duplicates(posts)).toEqual([]);
  expect(posts.map((post) => post.title).sort()).toEqual(
    items(count, rev)
      .map((item) => item.title)
      .sort(),
  );
  const state = checkState(site, posts)!;
  expect(posts.filter((post) => !state.recorded.has(post.name))).toEqual([]);
  expect(temporaries(site)).toEqual([]);
}

/** Whether this user writes into a 0555 directory anyway (root, CAP_DAC_OVERRIDE): then chmod proves nothing. */
const PRIVILEGED = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'newsstand-probe-'));
  try {
    chmodSync(dir, 0o555);
    writeFileSync(join(dir, 'probe'), '');
    return true;
  } catch {
    return false;
  } finally {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
})();

describe('disk trouble', () => {
  it.skipIf(process.platform === 'win32')(
    'a write that fails half-way through a post (file size limit, EFBIG): no part of it; the posts written meanwhile are adopted, not doubled',
    async () => {
      // A site with posts already, so that the state is not rebuilt from the posts but settles the failed run.
      const site = diskSite(rss(items(4, 0)));
      expect((await sync(site)).code).toBe(0);
      site.writeFeed('disk.xml', rss(items(12, 0, 8)));
      const big = await postPath(site, 8, 0);
      const failed = await syncLimited(site, 1024);
      expectCleanFailure(
        site,
        failed,
        new RegExp(
          `^error: cannot write ${escapeRegExp(big)} \\(EFBIG\\): the disk is full or a size limit was reached: free some space for ${escapeRegExp(site.postsDir)}, then run again — nothing was half-written$`,
          'm',
        ),
        big,
      );
      const written = readPosts(site);
      expect(written.some((post) => post.title === 'Report 8 rev 0')).toBe(false);
      expect(written.length).toBeGreaterThan(4); // new small posts were written before the run stopped

      // The cause goes, and meanwhile every title changed: posts already on disk keep their file names.
      site.writeFeed('disk.xml', rss(items(12, 1, 8)));
      const repeated = await sync(site);
      expect(repeated.code, repeated.stderr).toBe(0);
      expectFullResult(site, 12, 1);
      const posts = readPosts(site);
      for (const post of written) expect(posts.map((p) => p.name)).toContain(post.name);
      expect(posts.find((post) => post.title === 'Report 8 rev 1')!.content.length).toBeGreaterThan(2_000_000);
    },
  );

  it('a directory squatting on a new post’s name: the post takes the next free name', async () => {
    const site = diskSite(rss(items(2, 0)));
    expect((await sync(site)).code).toBe(0);
    site.writeFeed('disk.xml', rss(items(4, 0)));
    const squatted = await postPath(site, 3, 0);
    mkdirSync(squatted);
    const result = await sync(site);
    expect(result.code, result.stderr).toBe(0);
    expectFullResult(site, 4, 0);
    expect(readPosts(site).find((post) => post.title === 'Report 3 rev 0')!.name).toBe(
      squatted.slice(site.postsDir.length + 1).replace(/\.md$/, '-2.md'),
    );
  });

  it('the posts directory swapped for a file mid-run: stops with the path, and runs in full once it is a directory again', async () => {
    const feed = new HeldFeed([{ title: 'Held 1', link: 'https://held.example/1', guid: 'held-1', pubDate: new Date(BASE).toUTCString() }]);
    const url = await feed.start();
    try {
      const site = diskSite(rss(items(5, 0)));
      site.writeConfig({
        site: { filename: PATTERN },
        sources: [
          { url, name: 'Held', categories: ['新闻', 'Held', '全部'] },
          { file: './feeds/disk.xml', name: 'Disk', categories: ['新闻', 'Disk', '全部'] },
        ],
      });
      feed.hold();
      const run = new Cli(['sync', '--config', site.configFile]);
      await until(() => feed.requests === 1); // inside the lock, the posts directory already prepared
      rmSync(site.postsDir, { recursive: true, force: true });
      writeFileSync(site.postsDir, 'not a directory');
      feed.release();
      const exit = await run.exited;
      const failed: CliResult = { code: exit.code, stdout: exit.stdout, stderr: exit.stderr };
      expectCleanFailure(
        site,
        failed,
        new RegExp(
          `^error: cannot write ${escapeRegExp(site.postsDir)}/[a-z0-9-]+\\.md \\(ENOTDIR\\): make sure ${escapeRegExp(site.postsDir)} exists and is a directory`,
          'm',
        ),
        site.postsDir,
      );

      rmSync(site.postsDir);
      const repeated = await sync(site);
      expect(repeated.code, repeated.stderr).toBe(0);
      const posts = readPosts(site);
      expect(posts).toHaveLength(6);
      expect(duplicates(posts)).toEqual([]);
    } finally {
      feed.close();
    }
  });

  it.skipIf(PRIVILEGED)(
    'a read-only posts directory (chmod 0555; skipped for a user who writes there anyway, as root does — the tests above make writes fail for anyone)',
    async () => {
      const site = diskSite(rss(items(3, 0)));
      expect((await sync(site)).code).toBe(0);
      const before = readPosts(site);
      site.writeFeed('disk.xml', rss(items(5, 1)));
      chmodSync(site.postsDir, 0o555);
      try {
        const failed = await sync(site);
        expectCleanFailure(
          site,
          failed,
          new RegExp(
            `^error: cannot write ${escapeRegExp(site.postsDir)}/[a-z0-9-]+\\.md \\(EACCES\\): make sure ${escapeRegExp(site.postsDir)} exists and is writable`,
            'm',
          ),
          site.postsDir,
        );
        expect(readPosts(site)).toEqual(before);
      } finally {
        chmodSync(site.postsDir, 0o755);
      }
      const repeated = await sync(site);
      expect(repeated.code, repeated.stderr).toBe(0);
      expectFullResult(site, 5, 1);
    },
  );

  it('a state database that cannot be opened or written: says which, writes no post, and runs in full once fixed', async () => {
    const site = diskSite(rss(items(4, 0)));
    const db = join(site.dir, '.newsstand/state.db');
    mkdirSync(db, { recursive: true }); // a directory where the database should be
    const blocked = await sync(site);
    expectCleanFailure(
      site,
      blocked,
      new RegExp(
        `^error: cannot use the state database ${escapeRegExp(db)} \\(SQLITE_CANTOPEN\\): make sure .+ is a writable directory`,
        'm',
      ),
      db,
      false,
    ); // no database to read
    expect(readPosts(site)).toEqual([]);
    rmSync(db, { recursive: true });

    if (process.platform !== 'win32') {
      // Too little room for the database itself (a 16-block file size limit).
      const full = await syncLimited(site, 16);
      expectCleanFailure(
        site,
        full,
        new RegExp(`^error: cannot use the state database ${escapeRegExp(db)} \\(SQLITE_(FULL|IOERR\\w*)\\)`, 'm'),
        db,
      );
      expect(readPosts(site)).toEqual([]);
    }

    const repeated = await sync(site);
    expect(repeated.code, repeated.stderr).toBe(0);
    expectFullResult(site, 4, 0);
  });

  it('preparePostsDir: a file in the posts directory’s place is a UserError naming it, not an internal error', async () => {
    const site = diskSite(rss(items(1, 0)));
    mkdirSync(join(site.dir, 'source'), { recursive: true });
    writeFileSync(site.postsDir, 'not a directory');
    for (const path of [site.postsDir, join(site.postsDir, 'below')]) {
      const error = await preparePostsDir(path).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).exitCode).toBe(1);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^cannot use ${escapeRegExp(path)} as the posts directory \\((EEXIST|ENOTDIR)\\): something that is not a directory is in the way`,
        ),
      );
    }
    rmSync(site.postsDir);
    writeFileSync(join(site.dir, 'source/.x.md.0a1b2c3d.newsstand-tmp'), 'half');
    mkdirSync(site.postsDir);
    writeFileSync(join(site.postsDir, '.a.md.0a1b2c3d.newsstand-tmp'), 'half');
    await preparePostsDir(site.postsDir);
    expect(temporaries(site)).toEqual(['source/.x.md.0a1b2c3d.newsstand-tmp']); // only the posts directory's own
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
