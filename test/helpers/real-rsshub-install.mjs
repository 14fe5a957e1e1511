#!/usr/bin/env node
// Installs a real RSSHub from the npm registry into a cache directory outside node_modules, once per machine:
//   ${NEWSSTAND_RSSHUB_CACHE ?? (XDG_CACHE_HOME ?? ~/.cache)/newsstand-test/rsshub-VERSION}
// Run by .ci/run before the tests (so its time shows and the cache is kept between runs), and by
// real-rsshub.ts when a test needs RSSHub and the cache is empty. A stamp file marks a finished install, so a
// half-finished one is redone rather than trusted; a lock directory keeps parallel test workers from installing
// at once. When the registry cannot be reached at all the result is "unreachable" (the CLI exits 0, the tests
// skip with the reason); any other failure throws (the CLI exits 1), so a broken install is never skipped over.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// A build of RSSHub's master that the registry can serve whole: later builds need packages it lacks, and the
// `latest` tag (1.0.0) is an old build. Two of its dependencies are git URLs, which cannot be fetched here:
// the overrides put the same libraries' registry releases in their place.
export const RSSHUB_VERSION = '1.0.0-master.6a664a8';
const OVERRIDES = { difflib: '0.2.4', 'browser-request': '0.3.3' };
const STAMP = '.newsstand-install-complete.json';
const LOCK_WAIT_MS = 20 * 60_000;

/** The cache directory for this RSSHub version (see the top of this file). */
export function rsshubCacheDir(env = process.env) {
  if (env.NEWSSTAND_RSSHUB_CACHE) return env.NEWSSTAND_RSSHUB_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'newsstand-test', `rsshub-${RSSHUB_VERSION}`);
}

/** True when the cache holds a finished install of this version. */
export function isInstalled(dir = rsshubCacheDir()) {
  try {
    const stamp = JSON.parse(readFileSync(join(dir, STAMP), 'utf8'));
    return stamp.version === RSSHUB_VERSION && existsSync(join(dir, 'node_modules', 'rsshub', 'dist-lib', 'pkg.mjs'));
  } catch {
    return false;
  }
}

/**
 * Makes sure the cache holds RSSHub. Resolves to { status: 'ready', dir, installed } (installed: this call did
 * the install) or { status: 'unreachable', dir, reason }; rejects on any other failure.
 * @param {{ log?: (line: string) => void }} [options]
 */
export async function installRealRsshub({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const dir = rsshubCacheDir();
  if (isInstalled(dir)) return { status: 'ready', dir, installed: false };
  await mkdir(dir, { recursive: true });
  const release = await lock(join(dir, '.install-lock'), log);
  try {
    if (isInstalled(dir)) return { status: 'ready', dir, installed: false }; // another worker finished it
    // Ask the registry first, briefly: an unreachable one would otherwise cost npm install minutes of retries.
    const ping = await run('npm', ['ping', '--fetch-retries=0', '--fetch-timeout=20000'], dir);
    if (ping.code !== 0) {
      const why =
        /FetchError: (.*)/.exec(ping.output)?.[1] ?? /npm error code (\S+)/.exec(ping.output)?.[1] ?? ping.output.trim().split('\n').pop();
      return { status: 'unreachable', dir, reason: `real RSSHub not installed: the npm registry could not be reached (npm ping: ${why})` };
    }
    const started = Date.now();
    log(`Installing rsshub@${RSSHUB_VERSION} into ${dir} (once per machine; about a minute, ~650 MB)…`);
    await rm(join(dir, STAMP), { force: true });
    await rm(join(dir, 'node_modules'), { recursive: true, force: true }); // whatever a killed install left
    const manifest = {
      name: 'newsstand-test-rsshub',
      private: true,
      description: "Real RSSHub for newsstand's tests (test/helpers/real-rsshub-install.mjs)",
      dependencies: { rsshub: RSSHUB_VERSION },
      overrides: OVERRIDES,
    };
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // --ignore-scripts: none of the install scripts is needed to serve routes (they are an optional native
    // speed-up for ws, notices, esbuild's self-check, and a Chrome download by a puppeteer fork, which cannot work
    // offline anyway); skipping them is faster and runs no third-party code at install time.
    const args = ['install', '--no-audit', '--no-fund', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--loglevel=warn'];
    const result = await run('npm', args, dir);
    await writeFile(join(dir, 'install.log'), result.output);
    if (result.code !== 0) {
      throw new Error(
        `npm ${args.join(' ')} failed in ${dir} (exit ${result.code}); the last of its output:\n${result.output.trim().split('\n').slice(-25).join('\n')}`,
      );
    }
    if (!existsSync(join(dir, 'node_modules', 'rsshub', 'dist-lib', 'pkg.mjs')))
      throw new Error(`npm install finished but ${dir}/node_modules/rsshub/dist-lib/pkg.mjs is missing`);
    await writeFile(
      join(dir, STAMP),
      `${JSON.stringify({ version: RSSHUB_VERSION, node: process.version, seconds: (Date.now() - started) / 1000, at: new Date().toISOString() })}\n`,
    );
    log(`Installed rsshub@${RSSHUB_VERSION} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return { status: 'ready', dir, installed: true };
  } finally {
    await release();
  }
}

/** npm run in `cwd` with its own project there: the variables a parent `npm test` sets (its package, its
 * prefix, its lifecycle) must not steer it, while the user's registry, cache and proxy settings still apply. */
function run(command, args, cwd) {
  const keep = /^npm_config_(registry|cache|userconfig|globalconfig|proxy|https_proxy|noproxy|cafile|ca|strict_ssl)$/i;
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) || keep.test(name)));
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, '--prefix', cwd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** A mkdir lock (atomic on every file system) holding its owner's pid; a dead owner's lock is taken over. */
async function lock(path, log) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      await mkdir(path);
      await writeFile(join(path, 'owner'), String(process.pid));
      return () => rm(path, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (await isStale(path)) {
      await rm(path, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(
        `waited ${LOCK_WAIT_MS / 60_000} min for ${path}: another RSSHub install holds it; remove the directory if no install is running`,
      );
    if (!told) log(`Waiting for another process's RSSHub install to finish (${path})…`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function isStale(path) {
  const pid = Number(await readFile(join(path, 'owner'), 'utf8').catch(() => ''));
  if (!pid) {
    // Created but no owner written yet — or its owner died in between: old means dead.
    const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: 0 }));
    return Date.now() - mtimeMs > 30_000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const result = await installRealRsshub();
    if (result.status === 'unreachable') console.log(`${result.reason}; the tests that need it will be skipped.`);
    else console.log(result.installed ? `Real RSSHub ready in ${result.dir}.` : `Real RSSHub already installed in ${result.dir}.`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
