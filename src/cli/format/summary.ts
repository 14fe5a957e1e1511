import type { SyncSummary } from '../../sync/summary.js';

/** The closing lines of `sync`: sources ok/failed, posts new/updated/pruned, each failure, what retention kept out. */
export function formatSummary(summary: SyncSummary): string {
  const { sources, posts } = summary;
  const { fetched: chosen } = sources;
  const notDue = sources.total - chosen;
  const lines = [
    `${summary.dryRun ? 'Dry run — nothing written. ' : ''}${summary.interrupted ? 'Interrupted — stopped between sources. ' : ''}` +
      `Sources: ${sources.ok} ok, ${sources.failed} failed (of ${chosen} fetched; ${sources.notModified} not modified` +
      `${notDue > 0 ? `, ${notDue} not due` : ''}).`,
    `Posts${summary.dryRun ? ' would be' : ''}: ${posts.created} new, ${posts.updated} updated, ${posts.pruned} pruned` +
      ` (${posts.unchanged} unchanged, ${posts.duplicates} duplicates skipped, ${posts.filtered} filtered out` +
      `${posts.tooOld + posts.beyondMaxItems > 0 ? `, ${posts.tooOld + posts.beyondMaxItems} kept out by retention` : ''}).`,
  ];
  for (const failure of summary.failures) lines.push(`  ✗ ${failure.source}: [${failure.kind}] ${failure.message}`);
  for (const warning of summary.warnings) lines.push(`  ! ${warning.source}: ${warning.message}`);
  for (const note of summary.keptOut) lines.push(`  · ${note.source}: ${note.message}`);
  return lines.join('\n');
}
