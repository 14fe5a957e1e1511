import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hexoLayout, readHexoConfig } from '../config/hexo-config.js';
import type { Config } from '../config/load.js';
import { UserError } from '../errors.js';
import { markBuilt, markBuildNeeded } from './build-needed.js';
import { fastPathFor } from './fast/eligibility.js';
import type { GenerateMessage, GenerateRequest } from './hexo-generate.js';

export interface BuildResult {
  /** Files Hexo wrote into `public/`. */
  files: number;
  ms: number;
  /** Where the site was built (`public/`). */
  publicDir: string;
  /** The site's path below its host (Hexo's `root`, `/` unless the site lives in a sub-directory). */
  root: string;
  /** What Hexo and the theme warned about; the build succeeded all the same. */
  warnings: string[];
  /**
   * Set when the site was built incrementally (newsstand's own theme, fast/): the files written and deleted, and
   * whether every page was rendered (no cache yet, or one for another theme or configuration). Unset: a full Hexo
   * build, and why the fast one was not possible.
   */
  incremental?: { written: number; deleted: number; full: boolean };
  fullBuildReason?: string;
}

export interface BuildOptions {
  root: string;
  verbose?: boolean;
  /** Build with Hexo whole even where the incremental build would do (NEWSSTAND_FULL_BUILD=1 sets it too). */
  full?: boolean;
  /** Every page carries the no-referrer meta (the sources' `images.referrerPolicy` is `no-referrer`). */
  noReferrer?: boolean;
}

/** How a site is built for a configuration: with the no-referrer meta when any source asks for it. */
export function buildOptionsFor(config: Config, verbose = false): BuildOptions {
  return { root: config.site.root, verbose, noReferrer: config.sources.some((source) => source.images.referrerPolicy === 'no-referrer') };
}

/**
 * Renders the site with Hexo, as `hexo generate` run in the site would, from any working directory: Hexo
 * runs in a process of its own whose working directory is the site, with the site's node_modules/.bin on
 * PATH and in the site's `timezone`. The site is rendered beside `public/` and swapped in only when the
 * build succeeded: when Hexo or the theme reports an error, or writes empty pages, the build fails with
 * their message and `public/` stays exactly as it was. Either way the outcome is remembered, so that the
 * next `run` builds again after a failure.
 */
export async function buildSite({
  root,
  verbose = false,
  noReferrer = false,
  full = process.env.NEWSSTAND_FULL_BUILD === '1',
}: BuildOptions): Promise<BuildResult> {
  const started = Date.now();
  const siteConfig = readHexoConfig(root);
  const theme = String(siteConfig.theme ?? 'newsstand');
  const { publicDir, root: urlRoot } = hexoLayout(root);
  const staging = join(dirname(publicDir), `.${basename(publicDir)}.next`);
  const previous = join(dirname(publicDir), `.${basename(publicDir)}.previous`);
  await restoreInterruptedSwap(publicDir, previous);

  const timezone = typeof siteConfig.timezone === 'string' ? siteConfig.timezone.trim() : '';
  const fastPath = full ? { ok: false as const, reason: 'a full build was asked for' } : fastPathFor(root);
  const { sourceDir } = hexoLayout(root);
  const fast = fastPath.ok
    ? { environment: fastPath.environment, publicDir, previousDir: previous, postsDir: join(sourceDir, '_posts'), sourceDir }
    : undefined;
  const outcome = await runGenerate({ root, stagingDir: staging, theme, noReferrer, verbose, fast }, timezone);
  const problems = [...outcome.errors];
  if (outcome.done && outcome.done.emptyPages.length > 0) {
    const pages = outcome.done.emptyPages;
    problems.push(
      `${pages.length} empty page${pages.length === 1 ? '' : 's'} (${pages.slice(0, 3).join(', ')}${pages.length > 3 ? ', …' : ''})`,
    );
  }
  if (!outcome.done && problems.length === 0) problems.push(outcome.exit);
  if (problems.length > 0) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    await markBuildNeeded(root);
    const kept = existsSync(publicDir) ? `${publicDir} was left as it was` : 'nothing was published';
    throw new BuildError(
      `Hexo could not build the site in ${root} with the theme "${theme}": ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}. ${kept}; fix the theme (run "newsstand build -v" for Hexo's own output) and build again`,
      outcome.warnings,
    );
  }
  const incremental = outcome.done!.fast;
  // An incremental build has moved its changed pages into public/ itself, once all of them rendered.
  if (!incremental) await swapIn(staging, publicDir, previous);
  await markBuilt(root);
  const result: BuildResult = {
    files: outcome.done!.files,
    ms: Date.now() - started,
    publicDir,
    root: urlRoot,
    warnings: outcome.warnings,
  };
  if (incremental) result.incremental = { written: incremental.written, deleted: incremental.deleted, full: incremental.full };
  else if (!fastPath.ok) result.fullBuildReason = fastPath.reason;
  return result;
}

/** A failed build: its message, and the warnings Hexo gave on the way (often the cause). */
export class BuildError extends UserError {
  constructor(
    message: string,
    readonly warnings: string[],
  ) {
    super(message, 1);
  }
}

interface GenerateOutcome {
  done: Extract<GenerateMessage, { kind: 'done' }> | null;
  errors: string[];
  warnings: string[];
  /** How the process ended, for a build that died without a word. */
  exit: string;
}

function runGenerate(request: GenerateRequest, timezone: string): Promise<GenerateOutcome> {
  const outcome: GenerateOutcome = { done: null, errors: [], warnings: [], exit: '' };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEWSSTAND_HEXO_WORKER: '1',
    PATH: [join(request.root, 'node_modules', '.bin'), process.env.PATH ?? ''].filter(Boolean).join(delimiter),
  };
  // Hexo reads front-matter dates as wall-clock time in the machine's zone and then shifts them into
  // `timezone`; posts state their dates in GMT, so Hexo must run in the site's zone for no shift to happen.
  if (timezone) env.TZ = timezone;
  return new Promise((resolve) => {
    let stderr = '';
    const child = fork(workerScript(), [], { cwd: request.root, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    // Hexo's own output (with -v) goes to standard error, so that --json output stays clean.
    child.stdout!.on('data', (chunk: Buffer) => request.verbose && process.stderr.write(chunk));
    child.stderr!.on('data', (chunk: Buffer) => {
      if (request.verbose) process.stderr.write(chunk);
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('message', (message: GenerateMessage) => {
      if (message.kind === 'warning') outcome.warnings.push(message.text);
      else if (message.kind === 'error') outcome.errors.push(message.text);
      else if (message.kind === 'done') outcome.done = message;
    });
    child.on('error', (error) => outcome.errors.push(`could not start Hexo: ${error.message}`));
    child.on('close', (code, signal) => {
      const said = lastLines(stderr);
      outcome.exit = `Hexo stopped (${signal ? `signal ${signal}` : `exit ${code}`})${said ? `: ${said}` : ''}`;
      if (!outcome.done && outcome.errors.length === 0) outcome.errors.push(outcome.exit);
      resolve(outcome);
    });
    child.send(request);
  });
}

function lastLines(text: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = text
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at '));
  return lines.slice(-3).join(' ');
}

/** The worker's compiled script: beside this module in dist/, or in dist/ when this runs from src/ (tests). */
function workerScript(): string {
  const beside = fileURLToPath(new URL('./hexo-generate.js', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../../dist/site/hexo-generate.js', import.meta.url));
}

/**
 * `public/` becomes the new build in two renames; in between (microseconds) it does not exist. The old build
 * is deleted last. A run killed between the renames is repaired by the next build's restoreInterruptedSwap.
 */
async function swapIn(staging: string, publicDir: string, previous: string): Promise<void> {
  await rm(previous, { recursive: true, force: true });
  if (existsSync(publicDir)) await rename(publicDir, previous);
  await rename(staging, publicDir);
  await rm(previous, { recursive: true, force: true });
}

async function restoreInterruptedSwap(publicDir: string, previous: string): Promise<void> {
  if (!existsSync(publicDir) && existsSync(previous)) await rename(previous, publicDir);
}
