import type { SourceConfig } from '../config/load.js';
import type { PublishCounts } from '../publish/publish-source.js';

export type SourceOutcome =
  | {
      source: SourceConfig;
      name: string;
      ok: true;
      notModified: boolean;
      counts: PublishCounts;
      filtered: number;
      warning: string;
      /** The items retention kept out of the site, and why ("" when none). */
      keptOut: string;
    }
  | { source: SourceConfig; name: string; ok: false; error: string; errorKind: string };

export interface SyncSummary {
  dryRun: boolean;
  /** True when the run was stopped (SIGINT/SIGTERM) before every chosen source was done. */
  interrupted: boolean;
  sources: {
    /** Configured. */
    total: number;
    /**
     * Chosen for this run (due, or all, or named), fetched or not. Named `fetched` because the summary is
     * published as it is — `sync --json`/`run --json`, and syncSite's result, which test/sync.test.ts pins.
     */
    fetched: number;
    ok: number;
    failed: number;
    /** Of the ok ones: answered "not modified" (HTTP 304, or a file that did not change). */
    notModified: number;
  };
  posts: PublishCounts & { filtered: number };
  failures: Array<{ source: string; kind: string; message: string }>;
  /** Sources read fine whose items could not all get their full content (full text, mirrored images). */
  warnings: Array<{ source: string; message: string }>;
  /** Sources whose items retention kept out of the site: how many, and which rule. */
  keptOut: Array<{ source: string; message: string }>;
}

/** Told about each source as it starts and finishes, for progress display. */
export interface SyncReporter {
  sourceStarted?(source: SourceConfig): void;
  sourceDone(outcome: SourceOutcome, summary: SyncSummary): void;
}

/** The summary of a run that chose `chosen` of the `total` configured sources, before any is done. */
export function emptySummary(total: number, chosen: number, dryRun: boolean): SyncSummary {
  return {
    dryRun,
    interrupted: false,
    sources: { total, fetched: chosen, ok: 0, failed: 0, notModified: 0 },
    posts: { created: 0, updated: 0, pruned: 0, unchanged: 0, duplicates: 0, tooOld: 0, beyondMaxItems: 0, filtered: 0 },
    failures: [],
    warnings: [],
    keptOut: [],
  };
}

export function addOutcome(summary: SyncSummary, outcome: SourceOutcome): void {
  if (!outcome.ok) {
    summary.sources.failed++;
    summary.failures.push({ source: outcome.name, kind: outcome.errorKind, message: outcome.error });
    return;
  }
  summary.sources.ok++;
  if (outcome.notModified) summary.sources.notModified++;
  if (outcome.warning && !outcome.notModified) summary.warnings.push({ source: outcome.name, message: outcome.warning });
  if (outcome.keptOut) summary.keptOut.push({ source: outcome.name, message: outcome.keptOut });
  const { posts } = summary;
  posts.created += outcome.counts.created;
  posts.updated += outcome.counts.updated;
  posts.pruned += outcome.counts.pruned;
  posts.unchanged += outcome.counts.unchanged;
  posts.duplicates += outcome.counts.duplicates;
  posts.tooOld += outcome.counts.tooOld;
  posts.beyondMaxItems += outcome.counts.beyondMaxItems;
  posts.filtered += outcome.filtered;
}

/** Whether the site needs a rebuild after this run. */
export function siteChanged(summary: SyncSummary): boolean {
  const { created, updated, pruned } = summary.posts;
  return !summary.dryRun && created + updated + pruned > 0;
}
