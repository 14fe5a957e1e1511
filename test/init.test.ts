import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../src/config/load.js';
import { UserError } from '../src/errors.js';
import { newsstandDependency, PUBLISHED_MARKER } from '../src/site/init.js';
import { keepOnlyExampleFeed } from './helpers/scaffold.js';
import { REPO, runCli } from './helpers/site.js';

const temp = mkdtempSync(join(tmpdir(), 'newsstand-init-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };

/** The paths in a .tgz, as npm pack wrote them. */
function tarEntries(file: string): string[] {
  const listed = spawnSync('tar', ['-tzf', file], { encoding: 'utf8' });
  expect(listed.status, listed.stderr).toBe(0);
  return listed.stdout.split('\n').filter(Boolean);
}

interface WorkflowStep {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

describe('newsstand init', () => {
  const site = join(temp, 'news');

  it('scaffolds a complete site into a new directory', async () => {
    const init = await runCli(['init', site, '--no-install']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('newsstand run');

    // newsstand.yml: the offline example first, then real feeds, each with a name and three categories.
    const config = await loadConfig(join(site, 'newsstand.yml'));
    expect(config.warnings).toEqual([]);
    const [example, ...web] = config.sources;
    expect(example!.kind).toBe('file');
    expect(existsSync(example!.location)).toBe(true);
    expect(web.length).toBeGreaterThanOrEqual(3);
    for (const source of web) {
      expect(source.kind).toBe('url');
      expect(source.categories).toHaveLength(3);
      expect(source.name).not.toBe('');
    }

    // _config.yml: Chinese, Beijing time, short permalinks from the post's id, and a theme the site has.
    const hexo = parseYaml(readFileSync(join(site, '_config.yml'), 'utf8')) as Record<string, string>;
    expect(hexo).toMatchObject({
      language: 'zh-CN',
      timezone: 'Asia/Shanghai',
      permalink: 'p/:title/',
      new_post_name: ':year-:month-:day-:title.md',
    });
    expect(() => new URL(hexo.url!)).not.toThrow();
    expect(statSync(join(site, 'themes', hexo.theme!, 'layout')).isDirectory()).toBe(true);

    // package.json: exact versions, and newsstand itself for `npx newsstand run` in CI: this copy is not from
    // the registry, so a tarball of it, packed into the site.
    const pkg = JSON.parse(readFileSync(join(site, 'package.json'), 'utf8'));
    expect(pkg.dependencies.newsstand).toBe(`file:vendor/newsstand-${version}.tgz`);
    expect(init.stdout + init.stderr).toContain(`vendor/newsstand-${version}.tgz`);
    const entries = tarEntries(join(site, 'vendor', `newsstand-${version}.tgz`));
    for (const entry of [
      'package/package.json',
      'package/bin/newsstand.js',
      'package/dist/cli/main.js',
      'package/dist/cli-bundle/main.js',
      'package/dist/cli-bundle/writer-thread-worker.js',
      'package/dist/site/init.js',
      'package/templates/site/gitignore',
      'package/templates/site/.github/workflows/newsstand.yml',
      'package/themes/newsstand/layout/layout.ejs',
      'package/schema/newsstand.schema.json',
    ]) {
      expect(entries, entry).toContain(entry);
    }
    expect(entries.filter((entry) => /^package\/(src|test|node_modules|examples|bench)\/|published\.json$/.test(entry))).toEqual([]);
    expect(pkg.dependencies).toHaveProperty('hexo');
    for (const [name, pinned] of Object.entries(pkg.dependencies))
      if (name !== 'newsstand') expect(pinned, name).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.allowScripts).toEqual({ 'better-sqlite3': true, 'hexo-util': false });
    // The packed newsstand has no scripts (prepare builds a clone; npm would ask the site to approve it).
    const packed = spawnSync('tar', ['-xzOf', join(site, 'vendor', `newsstand-${version}.tgz`), 'package/package.json'], {
      encoding: 'utf8',
    });
    const packedPkg = JSON.parse(packed.stdout) as Record<string, unknown>;
    expect(packedPkg).toMatchObject({ name: 'newsstand', version, bin: { newsstand: 'bin/newsstand.js' } });
    expect(packedPkg).not.toHaveProperty('scripts');
    expect(packedPkg).not.toHaveProperty('devDependencies');
    expect(packedPkg.dependencies).toEqual(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).dependencies);
    expect(pkg.scripts).toMatchObject({ start: 'newsstand run', build: 'newsstand build', serve: 'newsstand serve' });

    expect(readdirSync(join(site, 'source', '_posts'))).toEqual([]);
  });

  it('writes a .gitignore that keeps build output out and the state database in', () => {
    const git = (...args: string[]) => spawnSync('git', ['-C', site, ...args], { encoding: 'utf8' });
    expect(git('init', '-q').status).toBe(0);
    const ignored = (path: string) => git('check-ignore', '-q', '--no-index', path).status === 0;
    for (const path of [
      'node_modules/hexo/package.json',
      'public/index.html',
      'db.json',
      '.newsstand/build.db',
      '.newsstand/search.state',
      '.newsstand/lock',
      '.newsstand/lock.123.0a1b2c3d.tmp',
      '.newsstand/hexo/x',
      '.newsstand/state.db-wal',
      '.newsstand/state.db-shm',
    ]) {
      expect(ignored(path), path).toBe(true);
    }
    for (const path of [
      '.newsstand/state.db',
      'source/_posts/2026-01-01-abcdef0123456789.md',
      'source/images/ab/x.png',
      'themes/newsstand/layout/index.ejs',
      'package-lock.json',
      `vendor/newsstand-${version}.tgz`,
    ]) {
      expect(ignored(path), path).toBe(false);
    }
    // Not even when the user's own global ignore file leaves out tarballs.
    const globalIgnore = join(temp, 'global-gitignore');
    writeFileSync(globalIgnore, '*.tgz\n');
    expect(
      spawnSync('git', [
        '-C',
        site,
        '-c',
        `core.excludesFile=${globalIgnore}`,
        'check-ignore',
        '-q',
        '--no-index',
        `vendor/newsstand-${version}.tgz`,
      ]).status,
    ).toBe(1);
    expect(
      spawnSync('git', ['-C', site, '-c', `core.excludesFile=${globalIgnore}`, 'check-ignore', '-q', '--no-index', 'vendor/other.tgz'])
        .status,
    ).toBe(0);
  });

  it('writes a GitHub Actions workflow that runs newsstand, commits posts and state, and deploys Pages', () => {
    const workflow = parseYaml(readFileSync(join(site, '.github/workflows/newsstand.yml'), 'utf8'));
    expect(workflow.on.schedule[0].cron).toBe('*/30 * * * *');
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(workflow.concurrency).toMatchObject({ group: expect.any(String), 'cancel-in-progress': false });
    expect(workflow.permissions).toEqual({ contents: 'write', pages: 'write', 'id-token': 'write' });

    const steps = workflow.jobs.run.steps as WorkflowStep[];
    const at = (match: (step: WorkflowStep) => boolean) => {
      const index = steps.findIndex(match);
      expect(index).toBeGreaterThanOrEqual(0);
      return index;
    };
    const checkout = at((step) => step.uses === 'actions/checkout@v4');
    const node = at((step) => step.uses === 'actions/setup-node@v4');
    expect(steps[node]!.with).toEqual({ 'node-version': 20, cache: 'npm' });
    const install = at((step) => step.run === 'npm ci');
    // The last build and its cache come back before the run, so that it builds incrementally.
    const cache = at((step) => step.uses === 'actions/cache@v4');
    expect(steps[cache]!.with).toMatchObject({
      path: 'public\n.newsstand/build.db\n.newsstand/search.state\n',
      'restore-keys': 'newsstand-build-',
    });
    expect(String(steps[cache]!.with?.key)).toMatch(/^newsstand-build-\$\{\{ github\.run_id \}\}$/);
    const run = at((step) => step.run === 'npx newsstand run');
    expect(steps[run]!.env).toEqual({ RSSHUB_ACCESS_KEY: '${{ secrets.RSSHUB_ACCESS_KEY }}' });
    const commit = at((step) => Boolean(step.run?.includes('git commit')));
    expect(steps[commit]!.run).toContain('git add -A source .newsstand/state.db');
    expect(steps[commit]!.run).toContain('git diff --cached --quiet');
    expect(steps[commit]!.run).toContain('git push');
    const pages = at((step) => step.uses === 'actions/configure-pages@v5');
    const upload = at((step) => step.uses === 'actions/upload-pages-artifact@v3');
    expect(steps[upload]!.with).toEqual({ path: 'public' });
    expect([checkout, node, install, cache, run, commit, pages, upload]).toEqual(
      [...[checkout, node, install, cache, run, commit, pages, upload]].sort((a, b) => a - b),
    );

    expect(workflow.jobs.deploy.needs).toBe('run');
    expect(workflow.jobs.deploy.environment.name).toBe('github-pages');
    expect((workflow.jobs.deploy.steps as WorkflowStep[]).map((step) => step.uses)).toEqual(['actions/deploy-pages@v4']);
  });

  it('shows only valid keys in newsstand.yml, also in the commented examples', async () => {
    // Uncomment every commented line that is YAML (a key, or a list entry), leaving the prose commented.
    const text = readFileSync(join(REPO, 'templates/site/newsstand.yml'), 'utf8').replace(
      /^(\s*)# (\s*(?:- )?[A-Za-z]+:(?: |$))/gm,
      '$1$2',
    );
    // Beside the site's newsstand.yml, where the example feed it names is.
    const file = join(site, 'uncommented.yml');
    writeFileSync(file, text);
    const previous = process.env.RSSHUB_ACCESS_KEY;
    process.env.RSSHUB_ACCESS_KEY = 'key-from-the-environment';
    try {
      const config = await loadConfig(file);
      expect(config.warnings).toEqual([]);
      expect(config.rsshub.accessKey).toBe('key-from-the-environment');
      const routes = config.sources.filter((source) => source.kind === 'rsshub');
      expect(routes.length).toBeGreaterThanOrEqual(3);
      for (const route of routes) expect(route.categories).toHaveLength(3);
    } finally {
      if (previous === undefined) delete process.env.RSSHUB_ACCESS_KEY;
      else process.env.RSSHUB_ACCESS_KEY = previous;
      rmSync(file);
    }
  });

  it("runs offline into a built site with posts at short permalinks, rendered with the site's _config.yml, and keeps the build cache", async () => {
    const configFile = join(site, 'newsstand.yml');
    keepOnlyExampleFeed(configFile);
    const run = await runCli(['run', '--config', configFile]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Built the site with Hexo: \d+ files in \d+\.\ds/);
    expect(existsSync(join(site, 'public/index.html'))).toBe(true);
    // Hexo ran in the site: the pages carry the title init wrote into its _config.yml. Hexo's own cache stays
    // in memory (no db.json); the incremental build's (newsstand's theme) lets the next run render only what changed.
    expect(readFileSync(join(site, 'public/index.html'), 'utf8')).toContain('<title>新闻站');
    expect(existsSync(join(site, 'db.json'))).toBe(false);
    expect(existsSync(join(site, '.newsstand/build.db'))).toBe(true);

    const posts = readdirSync(join(site, 'source/_posts'));
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) {
      const [, id] = /^\d{4}-\d\d-\d\d-([0-9a-f]{16})\.md$/.exec(post) ?? [];
      expect(id, post).toBeDefined();
      const { title } = parseYaml(
        readFileSync(join(site, 'source/_posts', post), 'utf8')
          .split('\n---\n')[0]!
          .replace(/^---\n/, ''),
      ) as { title: string };
      expect(readFileSync(join(site, 'public/p', id!, 'index.html'), 'utf8')).toContain(title);
    }

    const again = await runCli(['run', '--config', configFile]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing changed');
  });

  it('refuses a non-empty directory with exit 2, and writes into it with --force', async () => {
    const busy = join(temp, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    const refused = await runCli(['init', busy, '--no-install']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(busy);
    expect(refused.stderr).toContain('not empty');
    expect(refused.stderr).toContain('--force');
    expect(readdirSync(busy)).toEqual(['notes.txt']);

    const forced = await runCli(['init', busy, '--no-install', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(busy, 'notes.txt'), 'utf8')).toBe('mine');
    for (const file of [
      'newsstand.yml',
      '_config.yml',
      'package.json',
      '.gitignore',
      '.github/workflows/newsstand.yml',
      'themes/newsstand',
    ]) {
      expect(existsSync(join(busy, file)), file).toBe(true);
    }
  });

  it('--theme scaffolds a site with a theme from npm, what it needs and its config file, and run builds it', async () => {
    const site = join(temp, 'fluid-news');
    const init = await runCli(['init', site, '--theme', 'fluid', '--no-install']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr + init.stdout).toContain('npm install');
    const hexo = parseYaml(readFileSync(join(site, '_config.yml'), 'utf8')) as Record<string, string>;
    expect(hexo.theme).toBe('fluid');
    expect(existsSync(join(site, '_config.fluid.yml'))).toBe(true);
    expect(parseYaml(readFileSync(join(site, '_config.fluid.yml'), 'utf8'))).toEqual({});
    expect(existsSync(join(site, 'themes'))).toBe(false);
    const pkg = JSON.parse(readFileSync(join(site, 'package.json'), 'utf8'));
    expect(pkg.dependencies['hexo-theme-fluid']).toBe('1.9.9');

    const icarus = join(temp, 'icarus-news');
    expect((await runCli(['init', icarus, '--theme', 'icarus', '--no-install'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(icarus, 'package.json'), 'utf8')).dependencies).toMatchObject({
      'hexo-theme-icarus': '6.1.1',
      'hexo-renderer-inferno': '1.0.2',
    });

    // What `npm install` would bring is in newsstand's own node_modules (the themes are its dev dependencies).
    symlinkSync(join(REPO, 'node_modules'), join(site, 'node_modules'), 'junction');
    keepOnlyExampleFeed(join(site, 'newsstand.yml'));
    const run = await runCli(['run', '--config', join(site, 'newsstand.yml')], { cwd: tmpdir() });
    expect(run.code, run.stderr).toBe(0);
    const posts = readdirSync(join(site, 'source/_posts'));
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.some((post) => /^index_img: '/m.test(readFileSync(join(site, 'source/_posts', post), 'utf8')))).toBe(true);
    expect(readFileSync(join(site, 'public/index.html'), 'utf8')).toContain('fluid');
  });

  describe('how the site gets newsstand', () => {
    /** A stand-in for an installed newsstand package: what npm pack needs, and a marker when asked. */
    function fakePackage(name: string, { published = false, built = true } = {}): string {
      const root = join(temp, name);
      mkdirSync(join(root, 'bin'), { recursive: true });
      writeFileSync(
        join(root, 'package.json'),
        JSON.stringify({
          name: 'newsstand',
          version: '9.8.7',
          files: ['bin', 'dist'],
          bin: { newsstand: 'bin/newsstand.js' },
          scripts: { prepare: 'tsc' },
        }),
      );
      writeFileSync(join(root, 'bin', 'newsstand.js'), '#!/usr/bin/env node\n');
      writeFileSync(join(root, 'README.md'), '# newsstand\n');
      mkdirSync(join(root, 'src'));
      writeFileSync(join(root, 'src', 'main.ts'), 'export {};\n'); // not in "files": stays out
      if (built) {
        mkdirSync(join(root, 'dist', 'cli-bundle'), { recursive: true });
        writeFileSync(join(root, 'dist', 'cli-bundle', 'main.js'), 'export {};\n');
      }
      if (published) writeFileSync(join(root, PUBLISHED_MARKER), '{}\n');
      return root;
    }

    it('a copy that npm publish marked comes from the registry by its version, and nothing is packed', async () => {
      const target = join(temp, 'from-registry');
      mkdirSync(target);
      expect(await newsstandDependency(target, fakePackage('published', { published: true }))).toEqual({ version: '9.8.7', spec: '9.8.7' });
      expect(existsSync(join(target, 'vendor'))).toBe(false);
    });

    it('any other copy is packed into vendor/ and named by that file', async () => {
      const target = join(temp, 'packed');
      mkdirSync(target);
      expect(await newsstandDependency(target, fakePackage('unpublished'))).toEqual({
        version: '9.8.7',
        spec: 'file:vendor/newsstand-9.8.7.tgz',
        tarball: 'vendor/newsstand-9.8.7.tgz',
      });
      expect(tarEntries(join(target, 'vendor', 'newsstand-9.8.7.tgz')).sort()).toEqual([
        'package/README.md',
        'package/bin/newsstand.js',
        'package/dist/cli-bundle/main.js',
        'package/package.json',
      ]);
    });

    it('a copy that was never built is refused, saying how to build it', async () => {
      const target = join(temp, 'unbuilt');
      mkdirSync(target);
      const root = fakePackage('unbuilt-package', { built: false });
      await expect(newsstandDependency(target, root)).rejects.toThrow(UserError);
      await expect(newsstandDependency(target, root)).rejects.toThrow(/is not built \(no dist\/cli-bundle\/\): run "npm run build" there/);
      expect(existsSync(join(target, 'vendor'))).toBe(false);
    });

    it('the real package is not marked as published (only npm publish writes the marker, and postpack removes it)', () => {
      expect(existsSync(join(REPO, PUBLISHED_MARKER))).toBe(false);
      const { scripts, files } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
        files: string[];
      };
      expect(scripts.prepack).toContain("npm_command === 'publish'");
      expect(scripts.prepack).toContain(PUBLISHED_MARKER);
      expect(scripts.postpack).toContain(PUBLISHED_MARKER);
      expect(files).toContain('dist');
    });
  });

  it('--theme refuses a theme it has no profile for, naming the ones it has', async () => {
    const refused = await runCli(['init', join(temp, 'nope'), '--theme', 'hugo-paper', '--no-install']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--theme hugo-paper.*volantis.*theme\.frontMatter|--theme hugo-paper.*volantis/);
    expect(existsSync(join(temp, 'nope'))).toBe(false);
  });
});
