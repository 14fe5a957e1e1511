import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hexoLayout, readHexoConfig } from '../config/hexo-config.js';
import type { Config } from '../config/load.js';
import { UserError } from '../errors.js';
import { markBuilt, markBuildNeeded } from './build-needed.js';
import { fastPathFor } from './fast/eligibility.js';
import type { GenerateMessage, GenerateRequest } from './hexo-generate.js';
import { restoreInterruptedSwap, swapIn } from './swap.js';

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
 * build succeeded: when Hexo or the theme reports an error, writes empty pages, or Hexo's process does not
 * end cleanly (out of memory, killed, exited before its last message), the build fails with their message and
 * `public/` stays exactly as it was. Either way the outcome is remembered, so that the
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
  // How the worker ended comes first: when it died, the errors it sent before may be only the symptoms.
  const problems = [...(outcome.ending ? [outcome.ending] : []), ...outcome.errors];
  if (outcome.done && outcome.done.emptyPages.length > 0) {
    const pages = outcome.done.emptyPages;
    problems.push(
      `${pages.length} empty page${pages.length === 1 ? '' : 's'} (${pages.slice(0, 3).join(', ')}${pages.length > 3 ? ', …' : ''})`,
    );
  }
  if (!outcome.done && problems.length === 0) problems.push('Hexo did not say it had written the pages');
  if (problems.length > 0) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    await markBuildNeeded(root);
    const kept = existsSync(publicDir) ? `${publicDir} was left as it was` : 'nothing was published';
    throw new BuildError(
      `Hexo could not build the site in ${root} with the theme "${theme}": ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}. ${kept}; ${outcome.outOfMemory ? 'build again with more memory (NODE_OPTIONS=--max-old-space-size=<MB>)' : 'fix the theme (run "newsstand build -v" for Hexo\'s own output) and build again'}`,
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
  /** What went wrong as the worker ended (describeWorkerEnd), or null. */
  ending: string | null;
  outOfMemory: boolean;
}

/** How the worker ended: its last message, exit code or signal, what it said last, its heap limit. */
interface WorkerEnd {
  done: boolean;
  ended: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** V8 said it ran out of heap (on standard error, before its stack trace). */
  outOfMemory: boolean;
  heapLimitMB: number | null;
}

/**
 * What went wrong at the end of the worker, or null when it ended cleanly: the 'end' message, then exit 0.
 * Pages written ('done') are not enough: Hexo's exit runs the plugins' before_exit filters (Hexo's own saved
 * db.json there, the peak of a large build's memory), and a worker that died there left a build nobody can
 * vouch for.
 */
function describeWorkerEnd(end: WorkerEnd): string | null {
  if (end.ended && end.code === 0 && !end.signal) return null;
  const when = end.done ? 'after writing the pages, while finishing' : 'while building';
  const said = lastLines(end.stderr);
  if (end.outOfMemory) {
    const limit = end.heapLimitMB ? `V8 heap limit ${end.heapLimitMB.toLocaleString('en-US')} MB` : 'V8 heap limit';
    return `Hexo ran out of memory (${limit}) ${when}`;
  }
  if (end.signal) return `Hexo was stopped by ${end.signal} ${when}${said ? `: ${said}` : ''}`;
  if (end.code !== 0) return `Hexo exited with code ${end.code} ${when}${said ? `: ${said}` : ''}`;
  return `Hexo exited ${when}, before its last message (a theme or plugin ended the process)${said ? `: ${said}` : ''}`;
}

function runGenerate(request: GenerateRequest, timezone: string): Promise<GenerateOutcome> {
  const outcome: GenerateOutcome = { done: null, errors: [], warnings: [], ending: null, outOfMemory: false };
  let ended = false;
  let heapLimitMB: number | null = null;
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
      outcome.outOfMemory ||= OUT_OF_MEMORY.test(stderr);
    });
    child.on('message', (message: GenerateMessage) => {
      if (message.kind === 'warning') outcome.warnings.push(message.text);
      else if (message.kind === 'error') outcome.errors.push(message.text);
      else if (message.kind === 'done') outcome.done = message;
      else if (message.kind === 'start') heapLimitMB = message.heapLimitMB;
      else if (message.kind === 'end') ended = true;
    });
    child.on('error', (error) => outcome.errors.push(`could not start Hexo: ${error.message}`));
    child.on('close', (code, signal) => {
      const { outOfMemory } = outcome;
      outcome.ending = describeWorkerEnd({ done: outcome.done !== null, ended, code, signal, stderr, outOfMemory, heapLimitMB });
      resolve(outcome);
    });
    child.send(request);
  });
}

/** What V8 prints when it aborts for want of heap ("FATAL ERROR: Reached heap limit Allocation failed - …"). */
const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit/;

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
