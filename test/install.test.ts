/**
 * A new user's first commands, for a newsstand that is not on the npm registry: the CLI installed from a
 * clone (`npm pack`, then `npm install -g` of the tarball, as README says), `newsstand init` (which packs this
 * newsstand into the site's vendor/), `npm install` in the site, `newsstand run`, and the `npm ci` of the
 * site's workflow.
 *
 * No network beyond loopback, and every package from the npm cache: npm is pointed at a registry on
 * 127.0.0.1 that this test serves from the repository's package-lock.json and the npm cache. It answers
 * package metadata (the versions the lock names, each with the lock's integrity) — which the cache does not
 * hold: `npm ci` in the repository fetched tarballs only, so `npm install --offline` fails with ENOTCACHED —
 * and tarballs, read from the cache by that integrity (`npm ci` asks for them even when they are cached). A
 * tarball missing from the cache is answered 404 and fails the test: run `npm ci` in the repository first.
 * `newsstand` itself is not among the packages, as on the real registry today. better-sqlite3 compiles from
 * source (npm_config_build_from_source: no prebuilt is downloaded), twice: for the CLI and for the site. That
 * makes this test take minutes.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepOnlyExampleFeed } from './helpers/scaffold.js';
import { REPO } from './helpers/site.js';

const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
const temp = mkdtempSync(join(tmpdir(), 'newsstand-install-'));
const prefix = join(temp, 'prefix');
const site = join(temp, 'my-news');
const cli = join(prefix, 'bin', 'newsstand');

interface LockEntry {
  name?: string;
  version?: string;
  integrity?: string;
  link?: boolean;
  [key: string]: unknown;
}

/** Where the npm cache keeps the content whose integrity is `integrity` (cacache's layout). */
function cachedContent(cache: string, integrity: string): string {
  const [algorithm, digest] = integrity.split(' ')[0]!.split('-') as [string, string];
  const hex = Buffer.from(digest, 'base64').toString('hex');
  return join(cache, '_cacache', 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
}

interface LockRegistry {
  origin: string;
  /** Every URL asked for. */
  requests: string[];
  /** Tarballs asked for that the npm cache does not have. */
  missing: string[];
  close(): Promise<void>;
}

/** A registry on loopback with the packages the lock names: metadata made from the lock, tarballs from the npm cache. */
async function startLockRegistry(cache: string): Promise<LockRegistry> {
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const packuments = new Map<string, { name: string; 'dist-tags': Record<string, string>; versions: Record<string, object> }>();
  const tarballs = new Map<string, string>(); // URL path → integrity
  const requests: string[] = [];
  const missing: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '/';
    requests.push(url);
    const integrity = tarballs.get(url);
    const file = integrity && cachedContent(cache, integrity);
    if (file && existsSync(file)) {
      response.setHeader('content-type', 'application/octet-stream');
      response.end(readFileSync(file));
      return;
    }
    const packument = packuments.get(decodeURIComponent(url.slice(1)));
    response.setHeader('content-type', 'application/json');
    if (packument) {
      response.end(JSON.stringify(packument));
      return;
    }
    if (integrity) missing.push(url);
    response.statusCode = 404;
    response.end(JSON.stringify({ error: `${url}: not in the npm cache (run npm ci in the repository) or not in its package-lock.json` }));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.link || !entry.integrity || !entry.version) continue;
    // An alias (`string-width-cjs` → string-width) names the real package.
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    // The lock's own bookkeeping is not part of a package's metadata.
    const {
      integrity,
      dev: _dev,
      devOptional: _devOptional,
      optional: _optional,
      peer: _peer,
      resolved: _resolved,
      name: _alias,
      ...manifest
    } = entry;
    const tarball = `/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
    tarballs.set(tarball, integrity);
    const packument = packuments.get(name) ?? { name, 'dist-tags': {}, versions: {} };
    packument.versions[entry.version] = { ...manifest, name, dist: { integrity, tarball: `${origin}${tarball}` } };
    packuments.set(name, packument);
  }
  for (const packument of packuments.values()) {
    packument['dist-tags'].latest = Object.keys(packument.versions)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .at(-1)!;
  }
  return { origin, requests, missing, close: () => new Promise((closed) => server.close(() => closed())) };
}

let registry: LockRegistry;
let env: NodeJS.ProcessEnv;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command (never spawnSync: this process serves the registry the command asks). */
function run(command: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const tail = (ran: Ran) => `exit ${ran.code}\n${(ran.stdout + ran.stderr).split('\n').slice(-40).join('\n')}`;

beforeAll(async () => {
  // Only the npm settings of this machine's npmrc files (and its cache): none of the npm_* variables a
  // surrounding `npm test` exports, which would point npm at this repository.
  env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || /^npm_config_(cache|userconfig|globalconfig)$/i.test(key)),
  );
  delete env.INIT_CWD;
  const cache = await run('npm', ['config', 'get', 'cache'], temp);
  expect(cache.code, tail(cache)).toBe(0);
  registry = await startLockRegistry(cache.stdout.trim());
  Object.assign(env, {
    npm_config_registry: `${registry.origin}/`,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_build_from_source: 'true',
    NO_COLOR: '1',
  });
});

afterAll(async () => {
  await registry?.close();
  rmSync(temp, { recursive: true, force: true });
});

describe('installing newsstand from a clone, and a new site with it, offline', () => {
  let tarball: string;

  it("npm pack makes a tarball with everything the CLI needs and nothing of the repository's own", async () => {
    // --ignore-scripts: `npm test` built dist/ already (what the prepare script does when npm pack runs it).
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', temp], REPO);
    expect(packed.code, tail(packed)).toBe(0);
    const [{ filename, files }] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    expect(filename).toBe(`newsstand-${version}.tgz`);
    tarball = join(temp, filename);
    const paths = files.map((file) => file.path);
    for (const path of [
      'package.json',
      'README.md',
      'bin/newsstand.js',
      'dist/cli/main.js',
      'dist/cli-bundle/main.js',
      'dist/cli-bundle/writer-thread-worker.js',
      'dist/site/init.js',
      'dist/site/build.js',
      'schema/newsstand.schema.json',
      'templates/site/gitignore',
      'templates/site/.github/workflows/newsstand.yml',
      'templates/site/feeds/example.xml',
      'themes/newsstand/layout/layout.ejs',
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(paths.filter((path) => /^(src|test|bench|examples|node_modules|docs)\//.test(path) || path === 'dist/published.json')).toEqual(
      [],
    );
  });

  it('npm install -g of the tarball puts a working newsstand on PATH', async () => {
    const installed = await run('npm', ['install', '-g', '--prefix', prefix, '--allow-scripts=better-sqlite3', tarball], temp);
    expect(installed.code, tail(installed)).toBe(0);
    const copy = join(prefix, 'lib', 'node_modules', 'newsstand');
    expect(lstatSync(copy).isSymbolicLink()).toBe(false); // a copy, not a link back to this repository
    const versionOut = await run(cli, ['--version'], temp);
    expect(versionOut.stdout.trim()).toBe(version);
    // better-sqlite3 was built (its install script ran): the state database opens.
    const sqlite = await run(
      process.execPath,
      ['-e', "const D = require('better-sqlite3'); console.log(new D(':memory:').prepare('select 41 + 1 as n').get().n)"],
      copy,
    );
    expect(sqlite.stdout.trim(), tail(sqlite)).toBe('42');
  }, 600_000);

  it('newsstand init packs this newsstand into the site, which npm install then installs', async () => {
    const init = await run(cli, ['init', site], temp);
    expect(init.code, tail(init)).toBe(0);
    expect(init.stdout).toContain(`vendor/newsstand-${version}.tgz`);
    // npm 11 lists the install scripts it skipped: none that a site needs, and not newsstand's own (denied).
    expect((init.stdout + init.stderr).match(/^npm warn install-scripts +\S+@.*$/gm) ?? []).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(site, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.newsstand).toBe(`file:vendor/newsstand-${version}.tgz`);
    expect(existsSync(join(site, 'vendor', `newsstand-${version}.tgz`))).toBe(true);
    const lock = JSON.parse(readFileSync(join(site, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockEntry & { resolved?: string }>;
    };
    expect(lock.packages['node_modules/newsstand']).toMatchObject({
      version,
      resolved: `file:vendor/newsstand-${version}.tgz`,
      integrity: expect.stringMatching(/^sha512-/),
    });
    expect(JSON.parse(readFileSync(join(site, 'node_modules', 'newsstand', 'package.json'), 'utf8')).version).toBe(version);
    expect(existsSync(join(site, 'node_modules', '.bin', 'newsstand'))).toBe(true);
  }, 600_000);

  it('newsstand run builds the site offline: posts and public/index.html', async () => {
    keepOnlyExampleFeed(join(site, 'newsstand.yml')); // its other feeds are on the web
    const ran = await run(cli, ['run'], site);
    expect(ran.code, tail(ran)).toBe(0);
    const posts = readdirSync(join(site, 'source', '_posts')).filter((name) => name.endsWith('.md'));
    expect(posts.length).toBeGreaterThan(0);
    expect(readFileSync(join(site, 'public', 'index.html'), 'utf8')).toContain('<html');
    // The workflow's command runs the site's own copy (from vendor/).
    const npx = await run('npx', ['newsstand', 'run', '--force-build'], site);
    expect(npx.code, tail(npx)).toBe(0);
    expect(npx.stdout).toMatch(/Built the site with Hexo/);
  }, 300_000);

  it("the workflow's npm ci installs the committed lock and vendor/ tarball", async () => {
    const clone = join(temp, 'checkout');
    mkdirSync(clone);
    for (const file of ['package.json', 'package-lock.json', 'vendor']) cpSync(join(site, file), join(clone, file), { recursive: true });
    // --ignore-scripts: the install is what is checked here; building better-sqlite3 a third time proves nothing new.
    const ci = await run('npm', ['ci', '--ignore-scripts'], clone);
    expect(ci.code, tail(ci)).toBe(0);
    expect(JSON.parse(readFileSync(join(clone, 'node_modules', 'newsstand', 'package.json'), 'utf8')).version).toBe(version);
  }, 300_000);

  it('took every package from the npm cache through the loopback registry, and never asked it for newsstand', () => {
    expect(registry.requests.length).toBeGreaterThan(0);
    expect(registry.missing).toEqual([]);
    expect(registry.requests.filter((url) => /^\/newsstand(\/|$)/.test(url))).toEqual([]);
  });
});
