import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { BUNDLED_THEME_DIR, SITE_PACKAGES } from './hexo-packages.js';

const require = createRequire(import.meta.url);
const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/site/', import.meta.url));
const { version: NEWSSTAND_VERSION } = require('../../package.json') as { version: string };

export interface InitOptions {
  dir: string;
  force?: boolean;
  /** Run `npm install` in the new site, as `hexo init` does. */
  install?: boolean;
  log?: (line: string) => void;
}

/**
 * Scaffolds a site that `newsstand run` can build at once: newsstand.yml, Hexo's _config.yml, package.json,
 * an example feed, the theme (copied, so the site owns it), .gitignore and a GitHub Actions workflow.
 */
export async function initSite({ dir, force = false, install = true, log = () => undefined }: InitOptions): Promise<string> {
  const root = resolve(dir);
  const existing = await readdir(root).catch(() => [] as string[]);
  if (existing.length > 0 && !force) {
    throw new UserError(`${root} is not empty; choose an empty or new directory, or pass --force to write into it`, 2);
  }
  await mkdir(join(root, 'source', '_posts'), { recursive: true });
  await cp(TEMPLATE_DIR, root, { recursive: true, force: true, filter: (source) => basename(source) !== 'gitignore' });
  // npm leaves a package's .gitignore out of its tarball, so the template ships it as `gitignore`.
  await writeFile(join(root, '.gitignore'), await readFile(join(TEMPLATE_DIR, 'gitignore')));
  await cp(BUNDLED_THEME_DIR, join(root, 'themes', 'newsstand'), { recursive: true, force: true });
  await writeFile(join(root, 'package.json'), `${JSON.stringify(sitePackageJson(basename(root)), null, 2)}\n`);
  log(`Created a newsstand site in ${root}`);

  if (install) {
    log('Installing Hexo and its plugins (npm install)…');
    await npmInstall(root);
  }
  return root;
}

function sitePackageJson(name: string): object {
  const dependencies: Record<string, string> = {};
  for (const pkg of SITE_PACKAGES) dependencies[pkg] = installedVersion(pkg);
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

function npmInstall(root: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
    child.on('error', (error) => fail(new UserError(`npm install failed in ${root}: ${error.message}; run it there yourself`)));
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new UserError(`npm install failed in ${root} (exit ${code}); the site still builds with newsstand's bundled Hexo plugins`)),
    );
  });
}
