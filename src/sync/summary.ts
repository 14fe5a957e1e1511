import type { SourceConfig } from '../config/load.js';
import type { PublishCounts } from '../publish/publish-source.js';

export type SourceOutcome =
  | { source: SourceConfig; name: string; ok: true; counts: PublishCounts; filtered: number }
  | { source: SourceConfig; name: string; ok: false; error: string; errorKind: string };

export interface SyncSummary {
  dryRun: boolean;
  sources: { total: number; ok: number; failed: number };
  posts: PublishCounts & { filtered: number };
  failures: Array<{ source: string; kind: string; message: string }>;
}

/** Told about each source as it finishes, for progress display. */
export interface SyncReporter {
  sourceDone(outcome: SourceOutcome, summary: SyncSummary): void;
}

export function emptySummary(total: number, dryRun: boolean): SyncSummary {
  return {
    dryRun,
    sources: { total, ok: 0, failed: 0 },
    posts: { created: 0, updated: 0, pruned: 0, unchanged: 0, duplicates: 0, filtered: 0 },
    failures: [],
  };
}

/** Whether the site needs a rebuild after this run. */
export function siteChanged(summary: SyncSummary): boolean {
  const { created, updated, pruned } = summary.posts;
  return !summary.dryRun && created + updated + pruned > 0;
}

/** The closing lines of `sync`: sources ok/failed, posts new/updated/pruned, and each failure. */
export function formatSummary(summary: SyncSummary): string {
  const { sources, posts } = summary;
  const verb = summary.dryRun ? 'would be' : '';
  const lines = [
    `${summary.dryRun ? 'Dry run — nothing written. ' : ''}Sources: ${sources.ok} ok, ${sources.failed} failed (of ${sources.total}).`,
    `Posts${verb ? ` ${verb}` : ''}: ${posts.created} new, ${posts.updated} updated, ${posts.pruned} pruned` +
      ` (${posts.unchanged} unchanged, ${posts.duplicates} duplicates skipped, ${posts.filtered} filtered out).`,
  ];
  for (const failure of summary.failures) lines.push(`  ✗ ${failure.source}: ${failure.message}`);
  return lines.join('\n');
}
