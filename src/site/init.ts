import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { THEME_NAMES, THEME_PROFILES, themeName, type ThemeProfile } from '../theme-profiles.js';
import { BUNDLED_THEME_DIR, SITE_PACKAGES } from './hexo-packages.js';

const require = createRequire(import.meta.url);
const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/site/', import.meta.url));
const { version: NEWSSTAND_VERSION } = require('../../package.json') as { version: string };

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
export async function initSite({ dir, force = false, theme = 'newsstand', install = true, log = () => undefined }: InitOptions): Promise<string> {
  const root = resolve(dir);
  const profile = THEME_PROFILES[themeName(theme)];
  const npmTheme = theme === 'newsstand' ? undefined : profile?.package;
  if (!profile || (theme !== 'newsstand' && !npmTheme)) {
    throw new UserError(`--theme ${theme}: not a theme newsstand knows; choose one of ${THEME_NAMES.join(', ')} (any other theme works too: see README, "Your theme")`, 2);
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
  await writeFile(join(root, 'package.json'), `${JSON.stringify(sitePackageJson(basename(root), profile), null, 2)}\n`);
  log(`Created a newsstand site in ${root}${npmTheme ? ` with the ${name} theme (${npmTheme.name}@${npmTheme.version})` : ''}`);

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

function sitePackageJson(name: string, profile: ThemeProfile): object {
  const dependencies: Record<string, string> = {};
  for (const pkg of SITE_PACKAGES) dependencies[pkg] = installedVersion(pkg);
  if (profile.package) dependencies[profile.package.name] = profile.package.version;
  Object.assign(dependencies, profile.needs);
  return {
    name: name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'news-site',
    version: '0.0.0',
    private: true,
    scripts: { sync: 'newsstand sync', build: 'newsstand build', start: 'newsstand run', serve: 'newsstand serve' },
    hexo: { version: installedVersion('hexo') },
    // newsstand itself, so that `npx newsstand run` in the site's workflow runs this very version.
    dependencies: { newsstand: NEWSSTAND_VERSION, ...dependencies },
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
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
    child.on('error', (error) => fail(new UserError(`npm install failed in ${root}: ${error.message}; run it there yourself`)));
    child.on('exit', (code) =>
      code === 0
        ? done()
        : fail(new UserError(`npm install failed in ${root} (exit ${code}); ${needsTheme ? 'the theme comes from npm: run "npm install" there once the registry answers' : "the site still builds with newsstand's bundled Hexo plugins"}`)),
    );
  });
}
