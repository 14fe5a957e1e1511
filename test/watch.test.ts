import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSite, REPO, rss, type RssItem, type TestSite } from './helpers/site.js';

const items: RssItem[] = [{ title: '第一条', link: 'https://w.example/1', guid: 'w1', pubDate: new Date().toUTCString() }];

describe('newsstand watch', () => {
  let server: Server;
  let site: TestSite;
  afterAll(() => {
    server?.close();
    site?.remove();
  });

  it('syncs when due, rebuilds after changes, and stops cleanly on SIGTERM', async () => {
    server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
    site = makeSite({ defaults: { interval: '1s' }, sources: [{ url, name: 'W', categories: ['新闻', 'W', '全部'] }] });

    const child = spawn(process.execPath, [join(REPO, 'bin/newsstand.js'), 'watch', '--debounce', '0.2', '--config', site.configFile], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const waitFor = async (pattern: RegExp, count = 1) => {
      const deadline = Date.now() + 20_000;
      while ((log.match(new RegExp(pattern, 'g')) ?? []).length < count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; log so far:\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    await waitFor(/built the site/);
    expect(Object.keys(site.posts())).toHaveLength(1);
    expect(existsSync(join(site.dir, 'public/index.html'))).toBe(true);

    items.unshift({ title: '第二条', link: 'https://w.example/2', guid: 'w2', pubDate: new Date().toUTCString() });
    await waitFor(/1 new/, 2);
    await waitFor(/built the site/, 2);
    expect(Object.keys(site.posts())).toHaveLength(2);

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(log).toMatch(/stopped/);
    expect(existsSync(join(site.dir, '.newsstand/lock'))).toBe(false);
    // One line per event, each stamped with the local time (not UTC's ISO form), and when it will next work.
    const synced = log.split('\n').filter((line) => line.includes('synced'));
    expect(synced.length).toBeGreaterThan(0);
    expect(synced.every((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d synced/.test(line))).toBe(true);
    expect(log).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d next due: W at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/m);
    expect(log).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
  }, 60_000);
});
