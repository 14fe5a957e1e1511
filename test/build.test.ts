import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSite, rss, runCli, type TestSite } from './helpers/site.js';

describe('when run builds', () => {
  let site: TestSite;
  beforeAll(() => {
    site = makeSite();
    const feed = site.writeFeed('news.xml', rss([{ title: '第一条', guid: 'a', pubDate: 'Mon, 02 Mar 2026 10:00:00 +0800' }]));
    site.writeConfig({
      defaults: { retention: { maxAge: '36500d' } },
      sources: [{ file: feed, name: '测试', categories: ['新闻', '测试', '快讯'] }],
    });
  });
  afterAll(() => site.remove());

  it('builds after a sync that ran without a build (as after a run killed between the two), then only when something changed', async () => {
    const sync = await runCli(['sync', '-c', site.configFile]);
    expect(sync.code, sync.stderr).toBe(0);
    expect(existsSync(join(site.dir, '.newsstand/build-needed'))).toBe(true);

    const run = await runCli(['run', '-c', site.configFile]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/0 new[\s\S]*Built the site with Hexo/);
    expect(existsSync(join(site.dir, '.newsstand/build-needed'))).toBe(false);
    expect(readFileSync(join(site.dir, 'public/index.html'), 'utf8')).toContain('第一条');
    expect(existsSync(join(site.dir, '.public.next'))).toBe(false);
    expect(existsSync(join(site.dir, '.public.previous'))).toBe(false);

    const again = await runCli(['run', '-c', site.configFile]);
    expect(again.stdout).toContain('Nothing changed: the site was not rebuilt.');
  });
});
