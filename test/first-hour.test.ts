/**
 * What a new user met in their first hour with the CLI (issue 15): retention that kept items out without a
 * word, a finished run pointing at a page that breaks when opened from disk, a missing feed file stopping
 * every source, failures printed twice or thrice, a Ctrl-C'd run exiting 0, and EPIPE stack traces.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSite, REPO, rss, runCli, type TestSite } from './helpers/site.js';

const sites: TestSite[] = [];
const servers: Server[] = [];
afterAll(() => {
  for (const site of sites) site.remove();
  for (const server of servers) server.close();
});

function site(newsstand?: object): TestSite {
  const created = makeSite(newsstand);
  sites.push(created);
  return created;
}

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toUTCString();

describe('retention', () => {
  it('says how many items it kept out and why, and a changed maxAge takes effect without the feed changing', async () => {
    const s = site();
    const feed = s.writeFeed(
      'old.xml',
      rss([
        { title: '新', guid: 'n1', link: 'https://r.example/1', pubDate: daysAgo(1) },
        { title: '旧一', guid: 'o1', link: 'https://r.example/2', pubDate: daysAgo(200) },
        { title: '旧二', guid: 'o2', link: 'https://r.example/3', pubDate: daysAgo(400) },
      ]),
    );
    s.writeConfig({ sources: [{ file: feed, name: '江城晚报', categories: ['新闻', '江城晚报', '全部'] }] });
    const first = await runCli(['sync', '-c', s.configFile]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('✓ 江城晚报: 1 new, 0 updated, 2 kept out by retention');
    expect(first.stdout).toMatch(/Posts: 1 new, 0 updated, 0 pruned \(.*, 2 kept out by retention\)\./);
    expect(first.stdout).toContain('江城晚报: 2 items older than retention.maxAge (90d) not published');
    const status = JSON.parse((await runCli(['status', '--json', '-c', s.configFile])).stdout);
    expect(status[0].warning).toContain('2 items older than retention.maxAge (90d) not published');
    expect((await runCli(['status', '-c', s.configFile])).stdout).toContain('2 items older than retention.maxAge (90d)');

    // The feed file is untouched: only the rule changes.
    s.writeConfig({
      defaults: { retention: { maxAge: '300d' } },
      sources: [{ file: feed, name: '江城晚报', categories: ['新闻', '江城晚报', '全部'] }],
    });
    const raised = await runCli(['sync', '--all', '-c', s.configFile]);
    expect(raised.stdout).toContain('✓ 江城晚报: 1 new, 0 updated, 1 kept out by retention');
    expect(raised.stdout).toContain('1 item older than retention.maxAge (300d) not published');
    expect(Object.keys(s.posts())).toHaveLength(2);
  });

  it('brings back items a raised maxItems now keeps', async () => {
    const s = site();
    const feed = s.writeFeed(
      'many.xml',
      rss([1, 2, 3].map((n) => ({ title: `第${n}条`, guid: `m${n}`, link: `https://m.example/${n}`, pubDate: daysAgo(n) }))),
    );
    const config = (maxItems: number) => ({
      defaults: { retention: { maxItems } },
      sources: [{ file: feed, name: 'M', categories: ['新闻', 'M', '全部'] }],
    });
    s.writeConfig(config(1));
    const first = await runCli(['sync', '-c', s.configFile]);
    expect(first.stdout).toContain('M: 2 items beyond retention.maxItems (1) not published');
    expect(Object.keys(s.posts())).toHaveLength(1);
    s.writeConfig(config(5));
    const raised = await runCli(['sync', '--all', '-c', s.configFile]);
    expect(raised.stdout).toContain('✓ M: 2 new');
    expect(Object.keys(s.posts())).toHaveLength(3);
  });
});

describe('after the build', () => {
  it('points to newsstand serve and its address, not to a file that breaks when opened from disk', async () => {
    const s = site();
    s.writeConfig({
      sources: [
        {
          file: s.writeFeed('a.xml', rss([{ title: '一', guid: 'a1', link: 'https://a.example/1', pubDate: daysAgo(1) }])),
          name: 'A',
          categories: ['新闻', 'A', '全部'],
        },
      ],
    });
    // As typed in a shell, not under npm or npx (whose variables the test runner may have passed on).
    const shell = { npm_command: '', npm_lifecycle_event: '' };
    const run = await runCli(['run', '-c', s.configFile], { cwd: s.dir, env: shell });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('index.html');
    expect(run.stdout).toContain(`in ${join(s.dir, 'public')}`);
    // In the site, newsstand.yml is the default: no -c; the bin is not on PATH here, so it is named by its path.
    expect(run.stdout).toContain(`Preview it: node ${join(REPO, 'bin/newsstand.js')} serve (then open http://127.0.0.1:4000/)`);
    const elsewhere = await runCli(['build', '-c', s.configFile], { cwd: REPO, env: shell });
    expect(elsewhere.stdout).toContain(`Preview it: node bin/newsstand.js serve -c ${s.configFile} (then open http://127.0.0.1:4000/)`);
  });
});

describe('a failing source', () => {
  it('a missing file: feed is reported like an unreachable URL, once, and the other sources sync', async () => {
    const s = site();
    const good = s.writeFeed('good.xml', rss([{ title: '好', guid: 'g1', link: 'https://g.example/1', pubDate: daysAgo(1) }]));
    s.writeConfig({
      sources: [
        { file: './feeds/missing.xml', name: '丢失的源', categories: ['新闻', '丢失的源', '全部'] },
        { file: good, name: '好源', categories: ['新闻', '好源', '全部'] },
      ],
    });
    const sync = await runCli(['sync', '-c', s.configFile]);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/Sources: 1 ok, 1 failed/);
    expect(Object.keys(s.posts())).toHaveLength(1);
    const message = `file not found: ${join(s.dir, 'feeds/missing.xml')}`;
    expect((sync.stdout + sync.stderr).split(message).length - 1).toBe(1);
    expect(sync.stdout).toContain('✗ 丢失的源: failed (file; see the summary)');
    const status = JSON.parse((await runCli(['status', '--json', '-c', s.configFile])).stdout);
    expect(status.map((row: { state: string }) => row.state)).toEqual(['failing', 'ok']);
    expect(status[0].lastError).toBe(message);
  });
});

describe('signals and pipes', () => {
  it('a run stopped with Ctrl-C exits 130, not 0, and says it was interrupted', async () => {
    // A feed that never answers keeps the run busy until the signal comes.
    const server = createServer(() => undefined);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
    const s = site({ sources: [{ url, name: 'Slow', categories: ['新闻', 'Slow', '全部'] }] });
    const child = spawn(process.execPath, [join(REPO, 'bin/newsstand.js'), 'run', '-c', s.configFile], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve) => server.once('connection', () => resolve()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(output).toContain('Interrupted');
    expect(output).not.toContain('Built the site');
  });

  it('output cut short by a closed pipe (status | head) ends quietly: no EPIPE stack trace', async () => {
    const sources = Array.from({ length: 600 }, (_, n) => ({
      file: `./feeds/f${n}.xml`,
      name: `源 ${n} ${'长名字'.repeat(20)}`,
      categories: ['新闻'],
    }));
    const s = site({ sources });
    for (const args of [['status', '--json'], ['sources'], ['status']]) {
      const child = spawn('sh', [
        '-c',
        `"${process.execPath}" "${join(REPO, 'bin/newsstand.js')}" ${args.join(' ')} -c "${s.configFile}" | head -c 100 > /dev/null`,
      ]);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect({ args, stderr }).toEqual({ args, stderr: '' });
      expect(code).toBe(0);
    }
  });
});

describe('sources', () => {
  it('shows a feed file outside the site by its absolute path, not as ../../../…', async () => {
    const outside = site();
    const feed = join(outside.dir, 'feeds', 'far.xml');
    outside.writeFeed('far.xml', rss([]));
    const s = site({
      sources: [
        { file: feed, name: 'Far', categories: ['x'] },
        { file: './feeds/near.xml', name: 'Near', categories: ['x'] },
      ],
    });
    const listed = JSON.parse((await runCli(['sources', '--json', '-c', s.configFile])).stdout);
    expect(listed.map((row: { location: string }) => row.location)).toEqual([feed, 'feeds/near.xml']);
    expect((await runCli(['sources', '-c', s.configFile])).stdout).not.toContain('../');
  });
});
