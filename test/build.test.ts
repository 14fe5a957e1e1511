import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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

describe('the search state a killed build was writing', () => {
  let site: TestSite;
  beforeAll(() => {
    site = makeSite();
    const feed = site.writeFeed('news.xml', rss([{ title: '第一条', guid: 'a', pubDate: 'Mon, 02 Mar 2026 10:00:00 +0800' }]));
    site.writeConfig({ defaults: { retention: { maxAge: '36500d' } }, sources: [{ file: feed, name: '测试' }] });
  });
  afterAll(() => site.remove());

  it("is removed by the next build, and a running process's is left alone", async () => {
    const dir = join(site.dir, '.newsstand');
    mkdirSync(dir, { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dir, `search.state.${gone}.tmp`), 'half a state');
    writeFileSync(join(dir, `search.state.${process.pid}.tmp`), 'being written');
    const run = await runCli(['run', '-c', site.configFile]);
    expect(run.code, run.stderr).toBe(0);
    expect(
      readdirSync(dir)
        .filter((name) => name.startsWith('search.state'))
        .sort(),
    ).toEqual(['search.state', `search.state.${process.pid}.tmp`]);
  });
});

describe('a post file whose front matter is broken (edited by hand)', () => {
  let site: TestSite;
  beforeAll(() => {
    site = makeSite();
    site.writeConfig({ sources: [] });
    mkdirSync(site.postsDir, { recursive: true });
    writeFileSync(join(site.postsDir, 'good.md'), "---\ntitle: '好的'\ndate: 2026-03-02 10:00:00\n---\n<p>正文</p>\n");
    writeFileSync(join(site.postsDir, 'broken.md'), "---\ntitle: '坏的'（改）\ndate: 2026-03-02 10:00:00\n---\n<p>正文</p>\n");
  });
  afterAll(() => site.remove());

  for (const [how, env] of [
    ['incrementally', {}],
    ['with Hexo whole', { NEWSSTAND_FULL_BUILD: '1' }],
  ] as const) {
    it(`fails the build ${how}, naming the post and saying to fix it, not the theme`, async () => {
      const build = await runCli(['build', '-c', site.configFile], { env });
      expect(build.code).toBe(1);
      expect(build.stderr).toContain(`fix ${join(site.postsDir, 'broken.md')} (its front matter must be YAML`);
      expect(build.stderr).not.toContain('fix the theme');
      expect(build.stderr).not.toMatch(/^\s+at /m);
    });
  }
});

// A plugin in the site's scripts/ that ends the Hexo worker in one of several ways once the pages are written
// (Hexo's exit runs the before_exit filters; Hexo itself saved db.json there). DIE chooses how; the wait lets
// the worker's 'done' message reach newsstand first, as it did when Hexo ran out of heap saving db.json.
const DYING_PLUGIN = `
const ways = {
  oom: () => { const hog = []; for (;;) hog.push(new Array(100000).fill(hog.length)); },
  kill: () => process.kill(process.pid, 'SIGKILL'),
  exit: () => { console.error('the plugin gave up on purpose'); process.exit(3); },
  quiet: () => process.exit(0),
};
hexo.extend.filter.register('before_exit', () => new Promise(() => setTimeout(ways[process.env.DIE], 100)));
`;

describe('a Hexo worker that dies after it wrote the pages', () => {
  let site: TestSite;
  const publicDir = () => join(site.dir, 'public');
  const snapshot = () =>
    readdirSync(publicDir(), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .map((path) => `${relative(publicDir(), path)} ${statSync(path).mtimeMs}`)
      .sort()
      .join('\n');

  beforeAll(async () => {
    site = makeSite();
    const feed = site.writeFeed('news.xml', rss([{ title: '第一条', guid: 'a', pubDate: 'Mon, 02 Mar 2026 10:00:00 +0800' }]));
    site.writeConfig({
      defaults: { retention: { maxAge: '36500d' } },
      sources: [{ file: feed, name: '测试', categories: ['新闻', '测试', '快讯'] }],
    });
    const run = await runCli(['run', '-c', site.configFile]);
    expect(run.code, run.stderr).toBe(0);
    mkdirSync(join(site.dir, 'scripts'));
    writeFileSync(join(site.dir, 'scripts/die.js'), DYING_PLUGIN);
  });
  afterAll(() => site.remove());

  it.each([
    // The heap limit reaches the worker through the environment, as in CI; 200 MB builds this site.
    [
      'oom',
      { NODE_OPTIONS: '--max-old-space-size=200' },
      /Hexo ran out of memory \(V8 heap limit 2\d\d MB\) after writing the pages, while finishing/,
      /build again with more memory \(NODE_OPTIONS/,
    ],
    ['kill', {}, /Hexo was stopped by SIGKILL after writing the pages, while finishing/, /more memory free .* NEWSSTAND_BUILD_HELPER=0/],
    ['exit', {}, /Hexo exited with code 3 after writing the pages, while finishing: the plugin gave up on purpose/, /fix the theme/],
    ['quiet', {}, /Hexo exited after writing the pages, while finishing, before its last message/, /fix the theme/],
  ])('fails the build when it dies by %s, says what to do, and keeps public/ as it was', async (way, env, message, advice) => {
    const before = snapshot();
    const build = await runCli(['build', '-c', site.configFile], { env: { DIE: way, ...env } });
    expect(build.code, build.stdout).toBe(1);
    expect(build.stderr).toMatch(message);
    expect(build.stderr).toMatch(advice);
    expect(build.stderr).toContain('was left as it was');
    expect(build.stdout).not.toContain('Built the site');
    expect(snapshot()).toBe(before);
    expect(existsSync(join(site.dir, '.public.next'))).toBe(false);
    expect(existsSync(join(site.dir, '.newsstand/build-needed'))).toBe(true);
  });

  it('builds again once the plugin is gone', async () => {
    rmSync(join(site.dir, 'scripts'), { recursive: true });
    const run = await runCli(['run', '-c', site.configFile]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Built the site with Hexo');
    expect(existsSync(join(site.dir, '.newsstand/build-needed'))).toBe(false);
  });
});
