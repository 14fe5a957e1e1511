import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSite, REPO, rss, runCli, SEED_FEED, type TestSite } from './helpers/site.js';

const sites: TestSite[] = [];
afterAll(() => {
  for (const site of sites) site.remove();
});

function site(): TestSite {
  const created = makeSite();
  sites.push(created);
  return created;
}

describe('newsstand CLI', () => {
  it('prints help naming every command', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['sync', 'build', 'run', 'parse', 'init', 'status']) expect(result.stdout).toContain(command);
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await runCli(['fly'])).code).toBe(2);
    expect((await runCli(['sync', '--no-such-flag'])).code).toBe(2);
  });

  it('exits 2 with file, line and key for a bad configuration, and writes nothing', async () => {
    const s = site();
    writeFileSync(s.configFile, 'site:\n  postDir: posts\nsources:\n  - url: https://example.com/feed.xml\n    interval: 30 minutes\n');
    const result = await runCli(['sync', '--config', s.configFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${s.configFile}:2:3: site.postDir: unknown key`);
    expect(result.stderr).toMatch(/:5:\d+: sources\[0\]\.interval: /);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(s.posts()).toEqual({});
  });

  it('exits 2 naming the file when the configuration is missing', async () => {
    const result = await runCli(['sync', '--config', '/nonexistent/newsstand.yml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/nonexistent/newsstand.yml');
    expect(result.stderr).toContain('newsstand init');
  });

  it('parses a feed to the SPEC §6 JSON shape', async () => {
    const result = await runCli(['parse', SEED_FEED]);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.feed).toEqual({
      format: 'rss2',
      title: 'Aljazeera 半岛网 - 新闻',
      link: 'https://chinese.aljazeera.net/news',
      description: 'Aljazeera 半岛网 - 新闻 - Powered by RSSHub',
      language: 'zh-cn',
      image: '',
      updated: '2022-01-08T12:10:00.000Z',
    });
    expect(document.items).toHaveLength(1);
    const [item] = document.items;
    expect(Object.keys(item)).toEqual([
      'id',
      'guid',
      'title',
      'link',
      'published',
      'updated',
      'author',
      'categories',
      'summary',
      'contentHtml',
      'image',
      'enclosures',
    ]);
    expect(item).toMatchObject({
      guid: 'https://chinese.aljazeera.net/news/2022/1/8/example-item',
      title: '哈萨克斯坦危机：被革职的国家安全局长被捕  执政党各地总部被毁',
      published: '2022-01-08T11:58:24.000Z',
      updated: null,
      author: '',
      categories: [],
      summary: '',
      image: 'https://chinese.aljazeera.net/wp-content/uploads/2022/01/image-21-1.jpg?w=770&resize=770%2C433',
      enclosures: [],
    });
    expect(item.id).toMatch(/^[0-9a-f]{16}$/);
    expect(item.contentHtml).toContain('referrerpolicy="no-referrer"');
  });

  it('parses standard input, and reports a non-feed clearly', async () => {
    const ok = await runCli(['parse', '-'], { input: rss([{ title: 'stdin item', link: 'https://e.example/1' }]) });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).items[0].title).toBe('stdin item');

    const html = await runCli(['parse', '-'], { input: '<!DOCTYPE html><html><body>hello</body></html>' });
    expect(html.code).toBe(1);
    expect(html.stderr).toContain('not a feed');
    expect(html.stderr).toContain('HTML page');
  });

  it('syncs with --dry-run writing nothing, then syncs and reports status', async () => {
    const s = site();
    s.writeConfig({
      sources: [
        {
          file: s.writeFeed('a.xml', rss([{ title: '一', link: 'https://e.example/1', pubDate: new Date().toUTCString() }])),
          name: 'A 源',
          categories: ['新闻', 'A 源', '全部'],
        },
      ],
    });
    const dry = await runCli(['sync', '--dry-run', '--config', s.configFile]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('1 new');
    expect(s.posts()).toEqual({});

    const real = await runCli(['sync', '--config', s.configFile]);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/Sources: 1 ok, 0 failed/);
    expect(real.stdout).toMatch(/Posts: 1 new, 0 updated, 0 pruned/);

    const status = await runCli(['status', '--json', '--config', s.configFile]);
    expect(status.code).toBe(0);
    const rows = JSON.parse(status.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'A 源', failures: 0, posts: 1, lastError: '' });
    expect(rows[0].lastSuccess).not.toBeNull();

    const table = await runCli(['status', '--config', s.configFile]);
    expect(table.stdout).toContain('A 源');
    expect(table.stdout).toContain('LAST SUCCESS');
  });

  it('exits 1 with --strict when a source failed, 0 without', async () => {
    const s = site();
    s.writeConfig({ sources: [{ url: 'http://127.0.0.1:9/feed.xml', categories: ['x'] }] });
    const relaxed = await runCli(['sync', '--config', s.configFile]);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toContain('1 failed');
    // The failed source backs off, so it is not due again: --all fetches it anyway.
    const strict = await runCli(['sync', '--all', '--strict', '--config', s.configFile]);
    expect(strict.code).toBe(1);
  });

  it('init scaffolds a site that run builds offline, and refuses a non-empty directory', async () => {
    const s = site();
    const dir = join(s.dir, 'new-site');
    const init = await runCli(['init', dir, '--no-install']);
    expect(init.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies).toHaveProperty('hexo-generator-index');

    const run = await runCli(['run', '--config', join(dir, 'newsstand.yml')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Built the site with Hexo: `);
    expect(run.stdout).toContain(`in ${join(dir, 'public')}.`);
    expect(readFileSync(join(dir, 'public/index.html'), 'utf8')).toContain('class="card-title"');

    const again = await runCli(['init', dir, '--no-install']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('not empty');
  });

  it('prints its version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect((await runCli(['--version'])).stdout.trim()).toBe(version);
  });
});
