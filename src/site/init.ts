import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { SITE_PACKAGES } from './hexo-packages.js';

const require = createRequire(import.meta.url);
const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/site/', import.meta.url));

export interface InitOptions {
  dir: string;
  force?: boolean;
  /** Run `npm install` in the new site, as `hexo init` does. */
  install?: boolean;
  log?: (line: string) => void;
}

/** Scaffolds a site that `newsstand run` can build at once: config, Hexo config, package.json, an example feed. */
export async function initSite({ dir, force = false, install = true, log = () => undefined }: InitOptions): Promise<string> {
  const root = resolve(dir);
  const existing = await readdir(root).catch(() => [] as string[]);
  if (existing.length > 0 && !force) {
    throw new UserError(`${root} is not empty; choose an empty or new directory, or pass --force to write into it`, 2);
  }
  await mkdir(join(root, 'source', '_posts'), { recursive: true });
  await cp(TEMPLATE_DIR, root, { recursive: true, force: true, filter: (source) => basename(source) !== 'gitignore' });
  await writeFile(join(root, '.gitignore'), await readFile(join(TEMPLATE_DIR, 'gitignore')));
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
    scripts: { sync: 'newsstand sync', build: 'newsstand build', start: 'newsstand run' },
    hexo: { version: installedVersion('hexo') },
    dependencies,
    // hexo-util ships the file its install script would generate; npm 11 asks about every install script.
    allowScripts: { 'hexo-util': false },
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
