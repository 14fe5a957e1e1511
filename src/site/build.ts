import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { hexoLayout, readHexoConfig } from '../config/hexo-config.js';
import type { Config } from '../config/load.js';
import { UserError } from '../errors.js';
import { markBuilt, markBuildNeeded } from './build-needed.js';
import type { HelperWork } from './fast/build-helper.js';
import { type FastPath, fastPathFor } from './fast/eligibility.js';
import type { GenerateRequest } from './hexo-generate.js';
import { generateOnce, type KeptWorker } from './build-worker.js';
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
   * whether every page was rendered (no cache yet, or one for another theme or configuration), and what a helper
   * process did for a full build of a large site. Unset: a full Hexo build, and why the fast one was not possible.
   */
  incremental?: { written: number; deleted: number; full: boolean; helper?: HelperWork };
  fullBuildReason?: string;
}

export interface BuildOptions {
  root: string;
  verbose?: boolean;
  /** Build with Hexo whole even where the incremental build would do (NEWSSTAND_FULL_BUILD=1 sets it too). */
  full?: boolean;
  /** Every page carries the no-referrer meta (the sources' `images.referrerPolicy` is `no-referrer`). */
  noReferrer?: boolean;
  /** Incremental builds run in this worker, kept between builds (watch and serve build again and again). */
  worker?: KeptWorker;
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
export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const { root, worker } = options;
  const started = Date.now();
  const { request, timezone, fastPath } = generateRequest(options);
  const { theme, stagingDir: staging } = request;
  const { publicDir, root: urlRoot } = hexoLayout(root);
  const previous = previousDir(publicDir);
  await restoreInterruptedSwap(publicDir, previous);
  const outcome = await (worker ? worker.build(request, timezone) : generateOnce(request, timezone));
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
      `Hexo could not build the site in ${root} with the theme "${theme}": ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}. ${kept}; ${whatToDo(problems, outcome.outOfMemory, hexoLayout(root).sourceDir)}`,
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
  if (incremental) {
    result.incremental = { written: incremental.written, deleted: incremental.deleted, full: incremental.full };
    if (incremental.helper) result.incremental.helper = incremental.helper;
  } else if (!fastPath.ok) result.fullBuildReason = fastPath.reason;
  return result;
}

/**
 * What to do about a failed build: more memory; the post files Hexo could not read, when those are all that
 * failed (a post edited by hand, its front matter no longer YAML); else the theme.
 */
function whatToDo(problems: readonly string[], outOfMemory: boolean, sourceDir: string): string {
  if (outOfMemory) return 'build again with more memory (NODE_OPTIONS=--max-old-space-size=<MB>)';
  // Killed from outside, most often by the system when memory runs out (a process of its own cannot catch it).
  if (problems.some((problem) => problem.startsWith('Hexo was stopped by SIGKILL')))
    return 'build again with more memory free — the system kills the largest process when it runs out; a large site builds in one process with NEWSSTAND_BUILD_HELPER=0 — or find what killed it ("newsstand build -v" shows Hexo\'s own output)';
  const files = problems.map((problem) => /^Process failed: (_(?:posts|drafts)\/\S+)/.exec(problem)?.[1]);
  const onlyPosts = problems.every((problem, n) => files[n] !== undefined || problem.startsWith('Hexo made no post of '));
  if (onlyPosts && files.some(Boolean)) {
    const named = [...new Set(files.filter((file): file is string => file !== undefined))].map((file) => join(sourceDir, file));
    return `fix ${named.join(', ')} (its front matter must be YAML between two --- lines) and build again`;
  }
  return 'fix the theme (run "newsstand build -v" for Hexo\'s own output) and build again';
}

/**
 * Has a kept worker load Hexo and read ahead what the site's next build will read (watch and serve, as they
 * start), when that build will be an incremental one. Resolves when it is ready: true, or false when the build
 * will not be incremental. Never fails (the build would say why).
 */
export async function prepareBuild(options: BuildOptions & { worker: KeptWorker }): Promise<boolean> {
  try {
    const { request, timezone, fastPath } = generateRequest(options);
    await options.worker.prepare(request, timezone);
    return fastPath.ok;
  } catch {
    return false; // an unreadable configuration: the build reports it
  }
}

/** What the Hexo worker is asked to build, in the site's timezone; and whether it can be an incremental build. */
function generateRequest({ root, verbose = false, noReferrer = false, full = process.env.NEWSSTAND_FULL_BUILD === '1' }: BuildOptions): {
  request: GenerateRequest;
  timezone: string;
  fastPath: FastPath;
} {
  const siteConfig = readHexoConfig(root);
  const theme = String(siteConfig.theme ?? 'newsstand');
  const { publicDir, sourceDir } = hexoLayout(root);
  const timezone = typeof siteConfig.timezone === 'string' ? siteConfig.timezone.trim() : '';
  const fastPath: FastPath = full ? { ok: false, reason: 'a full build was asked for' } : fastPathFor(root);
  const fast = fastPath.ok
    ? { environment: fastPath.environment, publicDir, previousDir: previousDir(publicDir), postsDir: join(sourceDir, '_posts'), sourceDir }
    : undefined;
  const stagingDir = join(dirname(publicDir), `.${basename(publicDir)}.next`);
  return { request: { root, stagingDir, theme, noReferrer, verbose, fast }, timezone, fastPath };
}

/** Where the old public/ goes while a new one is swapped in (swap.ts). */
function previousDir(publicDir: string): string {
  return join(dirname(publicDir), `.${basename(publicDir)}.previous`);
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
