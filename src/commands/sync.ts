/** `newsstand sync`: the chosen sources fetched and published, until done or stopped, and the exit code that implies. */
import type { Config } from '../config/load.js';
import type { SyncReporter, SyncSummary } from '../sync/summary.js';
import { syncSite, type SourceSelection } from '../sync/sync.js';
import { exitCodeFor, withInterrupt } from './interrupt.js';

export interface SyncCommandOptions {
  config: Config;
  dryRun?: boolean;
  select: SourceSelection;
  /** Exit 1 when a source failed. */
  strict?: boolean;
  reporter?: SyncReporter;
  /** Told when SIGINT/SIGTERM asks the run to stop: it stops between sources. */
  onStop?: (signal: NodeJS.Signals) => void;
}

export interface SyncCommandResult {
  summary: SyncSummary;
  /** 130/143 for a run a signal stopped, 1 for a strict run in which a source failed, else 0. */
  exitCode: number;
}

export async function syncSources({
  config,
  dryRun = false,
  select,
  strict = false,
  reporter,
  onStop,
}: SyncCommandOptions): Promise<SyncCommandResult> {
  return withInterrupt(async (signal, stoppedBy) => {
    const summary = await syncSite({ config, dryRun, select, signal, reporter });
    const stopped = stoppedBy();
    // A run stopped before it was done did not do its job: a scheduler must not take it for a success.
    if (summary.interrupted && stopped) return { summary, exitCode: exitCodeFor(stopped) };
    return { summary, exitCode: strict && summary.sources.failed > 0 && !summary.interrupted ? 1 : 0 };
  }, onStop);
}
