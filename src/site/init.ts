import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { PACKAGE_ROOT, packagePath } from '../own-package.js';
import { THEME_NAMES, THEME_PROFILES, themeName, type ThemeProfile } from '../theme-profiles.js';
import { BUNDLED_THEME_DIR, SITE_PACKAGES } from './hexo-packages.js';

const require = createRequire(import.meta.url);
const TEMPLATE_DIR = packagePath('templates', 'site');
/**
 * Written into dist/ by `npm publish` alone (the prepack script; postpack removes it again), so only a copy
 * that came from the registry carries it: such a copy's version can be installed from there by name.
 */
export const PUBLISHED_MARKER = join('dist', 'published.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface InitOptions {
  dir: string;
  force?: boolean;
  /** newsstand's own theme (copied into the site), or a popular one from npm that has a profile. */
  theme?: string;
  /** Run `npm install` in the new site, as `hexo init` does. */
  install?: boolean;
  log?: (line: string) => void;
}

/**
 * Scaffolds a site that `newsstand run` can build at once: newsstand.yml, Hexo's _config.yml, package.json,
 * an example feed, the theme (copied, so the site owns it), .gitignore and a GitHub Actions workflow.
 */
export async function initSite({
  dir,
  force = false,
  theme = 'newsstand',
  install = true,
  log = () => undefined,
}: InitOptions): Promise<string> {
  const root = resolve(dir);
  const profile = THEME_PROFILES[themeName(theme)];
  const npmTheme = theme === 'newsstand' ? undefined : profile?.package;
  if (!profile || (theme !== 'newsstand' && !npmTheme)) {
    throw new UserError(
      `--theme ${theme}: not a theme newsstand knows; choose one of ${THEME_NAMES.join(', ')} (any other theme works too: see README, "Your theme")`,
      2,
    );
  }
  const existing = await readdir(root).catch(() => [] as string[]);
  if (existing.length > 0 && !force) {
    throw new UserError(`${root} is not empty; choose an empty or new directory, or pass --force to write into it`, 2);
  }
  await mkdir(join(root, 'source', '_posts'), { recursive: true });
  await cp(TEMPLATE_DIR, root, { recursive: true, force: true, filter: (source) => basename(source) !== 'gitignore' });
  // npm leaves a package's .gitignore out of its tarball, so the template ships it as `gitignore`.
  await writeFile(join(root, '.gitignore'), await readFile(join(TEMPLATE_DIR, 'gitignore')));
  const name = themeName(theme);
  if (npmTheme) {
    await writeThemeChoice(root, name);
  } else {
    await cp(BUNDLED_THEME_DIR, join(root, 'themes', 'newsstand'), { recursive: true, force: true });
  }
  const newsstand = await newsstandDependency(root);
  await writeFile(join(root, 'package.json'), `${JSON.stringify(sitePackageJson(basename(root), profile, newsstand.spec), null, 2)}\n`);
  log(`Created a newsstand site in ${root}${npmTheme ? ` with the ${name} theme (${npmTheme.name}@${npmTheme.version})` : ''}`);
  if (newsstand.tarball) {
    log(
      `newsstand ${newsstand.version} is not from the npm registry: the site installs it from ${newsstand.tarball} (commit that file with the site)`,
    );
  }

  if (install) {
    log(`Installing Hexo${npmTheme ? `, the ${name} theme` : ''} and its plugins (npm install)…`);
    await npmInstall(root, Boolean(npmTheme));
  } else if (npmTheme) {
    log(`The ${name} theme comes from npm: run "npm install" in ${root} before building`);
  }
  return root;
}

/**
 * Names the theme in _config.yml and gives it the configuration file its documentation tells users to
 * create (`_config.<theme>.yml`, Hexo's place for a theme's settings beside the site's). Icarus writes its
 * own on the first build, with the version it checks.
 */
async function writeThemeChoice(root: string, theme: string): Promise<void> {
  const hexoConfig = join(root, '_config.yml');
  await writeFile(hexoConfig, (await readFile(hexoConfig, 'utf8')).replace(/^theme: .*$/m, `theme: ${theme}`));
  if (theme === 'icarus') return;
  await writeFile(
    join(root, `_config.${theme}.yml`),
    `# ${theme} 主题的配置，覆盖主题自带的默认值 · Settings of the ${theme} theme, over its defaults: see the theme's documentation.\n` +
      '# newsstand 按主题写入文章的封面与摘要字段（newsstand.yml 的 theme:）· newsstand writes the cover and excerpt keys this theme reads (theme: in newsstand.yml).\n' +
      '{}\n',
  );
}

export interface NewsstandDependency {
  version: string;
  /** What the site's package.json names: the version, or `file:vendor/newsstand-<version>.tgz`. */
  spec: string;
  /** The tarball written into the site (relative to it), when there is one. */
  tarball?: string;
}

/**
 * How a new site gets the newsstand that made it, for `npm install` in the site and `npm ci` in its workflow.
 * A copy installed from the npm registry (it carries {@link PUBLISHED_MARKER}) is named by its version. Any
 * other copy — a clone, `npm link`, a tarball from `npm pack` — may have a version the registry does not have,
 * or a different one of the same number; it is packed (`npm pack`, the package's own "files") into the site as
 * vendor/newsstand-<version>.tgz, which the site depends on and commits. No registry is asked, so this works
 * offline and gives the same answer every time.
 */
export async function newsstandDependency(site: string, packageRoot = PACKAGE_ROOT): Promise<NewsstandDependency> {
  const manifest = JSON.parse(await readFile(join(packageRoot, 'package.json'), 'utf8')) as {
    version: string;
    files?: string[];
    scripts?: object;
    devDependencies?: object;
  };
  const { version } = manifest;
  if (existsSync(join(packageRoot, PUBLISHED_MARKER))) return { version, spec: version };
  // The bundle is the build's last step (bin/newsstand.js runs it): with it, the build is whole.
  if (!existsSync(join(packageRoot, 'dist', 'cli-bundle', 'main.js'))) {
    throw new UserError(
      `${packageRoot} is not built (no dist/cli-bundle/): run "npm run build" there, then init again (the site gets a packed copy of this newsstand)`,
    );
  }
  const vendor = join(site, 'vendor');
  await mkdir(vendor, { recursive: true });
  // Packed from a copy whose package.json has no scripts: they build a clone (prepare runs the build), and npm would
  // list them as install scripts to approve in the site — approved, they would fail there, with no compiler.
  // The copy holds what npm pack takes: the "files", and the files npm always takes (README, LICENSE…).
  const staging = await mkdtemp(join(tmpdir(), 'newsstand-pack-'));
  try {
    const always = /^(readme|license|licence|copying|changelog)(\..*)?$/i;
    for (const entry of await readdir(packageRoot)) {
      if (always.test(entry) || manifest.files?.includes(entry))
        await cp(join(packageRoot, entry), join(staging, entry), { recursive: true });
    }
    const { scripts: _scripts, devDependencies: _devDependencies, ...packed } = manifest;
    await writeFile(join(staging, 'package.json'), `${JSON.stringify(packed, null, 2)}\n`);
    // --ignore-scripts: the package is built already (it is running).
    const output = await runNpm(['pack', '--ignore-scripts', '--json', '--loglevel=error', '--pack-destination', vendor], staging);
    let filename: string | undefined;
    try {
      filename = (JSON.parse(output) as Array<{ filename?: string }>)[0]?.filename;
    } catch {
      // reported below
    }
    if (!filename || !existsSync(join(vendor, basename(filename)))) {
      throw new UserError(
        `npm pack of ${packageRoot} wrote no tarball into ${vendor}; run "npm pack --pack-destination ${vendor}" in ${packageRoot} to see why, or make the site's package.json depend on newsstand another way`,
      );
    }
    const tarball = `vendor/${basename(filename)}`;
    return { version, spec: `file:${tarball}`, tarball };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Runs npm in `cwd` and gives its standard output; a failure names the command and what npm said. */
function runNpm(args: string[], cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(npm, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const command = `npm ${args.join(' ')}`;
    child.on('error', (error) =>
      fail(new UserError(`${command} (in ${cwd}) could not start: ${error.message}; newsstand init needs npm on PATH`)),
    );
    child.on('close', (code) => {
      if (code === 0) return done(Buffer.concat(out).toString('utf8'));
      const said = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' ');
      fail(new UserError(`${command} (in ${cwd}) failed (exit ${code})${said ? `: ${said}` : ''}; fix that and run init again`));
    });
  });
}

function sitePackageJson(name: string, profile: ThemeProfile, newsstand: string): object {
  const dependencies: Record<string, string> = {};
  for (const pkg of SITE_PACKAGES) dependencies[pkg] = installedVersion(pkg);
  if (profile.package) dependencies[profile.package.name] = profile.package.version;
  Object.assign(dependencies, profile.needs);
  return {
    name:
      name
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'news-site',
    version: '0.0.0',
    private: true,
    scripts: { sync: 'newsstand sync', build: 'newsstand build', start: 'newsstand run', serve: 'newsstand serve' },
    hexo: { version: installedVersion('hexo') },
    // newsstand itself, so that `npx newsstand run` in the site's workflow runs this very version.
    dependencies: { newsstand, ...dependencies },
    // npm 11 asks about every install script: better-sqlite3 (newsstand's state) needs its own to fetch or
    // build its binary; hexo-util ships the file its script would generate.
    allowScripts: { 'better-sqlite3': true, 'hexo-util': false },
  };
}

function installedVersion(pkg: string): string {
  const { version } = require(`${pkg}/package.json`) as { version: string };
  return version;
}

function npmInstall(root: string, needsTheme: boolean): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(npm, ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
    child.on('error', (error) => fail(new UserError(`npm install failed in ${root}: ${error.message}; run it there yourself`)));
    child.on('exit', (code) =>
      code === 0
        ? done()
        : fail(
            new UserError(
              `npm install failed in ${root} (exit ${code}); ${needsTheme ? 'the theme comes from npm: run "npm install" there once the registry answers' : "the site still builds with newsstand's bundled Hexo plugins"}`,
            ),
          ),
    );
  });
}
