/** `newsstand run`, the job to schedule: sync, then build when the site needs it. */
import { siteChanged, type SyncSummary } from '../sync/summary.js';
import type { BuildResult } from '../site/build.js';
import { syncSources, type SyncCommandOptions } from './sync.js';

export interface RunOptions extends Omit<SyncCommandOptions, 'dryRun'> {
  /** Build even when nothing changed. */
  forceBuild?: boolean;
  verbose?: boolean;
  /** Told the sync's summary before any build starts: it stands even when the build then fails. */
  synced?: (summary: SyncSummary) => void;
  /** Told each warning of Hexo and the theme. */
  hexoWarning?: (warning: string) => void;
}

export interface RunResult {
  summary: SyncSummary;
  /** null when the site was not rebuilt. */
  build: BuildResult | null;
  /** As for `sync`; a failed build throws instead (exit 1). */
  exitCode: number;
}

/**
 * Builds when the sync changed posts, when asked to (--force-build), or when the last build failed or never
 * happened (site/build-needed.ts) — never after a run a signal stopped.
 */
export async function syncAndBuild(options: RunOptions): Promise<RunResult> {
  const { config } = options;
  const { summary, exitCode } = await syncSources(options);
  const { buildNeeded } = await import('../site/build-needed.js');
  const wanted = !summary.interrupted && (siteChanged(summary) || options.forceBuild || buildNeeded(config.site.root));
  options.synced?.(summary);
  if (!wanted) return { summary, build: null, exitCode };
  // Imported here: a run in which nothing changed loads none of the build's modules.
  const { buildWithWarnings } = await import('./build.js');
  const build = await buildWithWarnings({ config, verbose: options.verbose, warn: options.hexoWarning });
  return { summary, build, exitCode };
}
