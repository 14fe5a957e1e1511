import type { SyncReporter } from '../sync/summary.js';
import type { Output } from './output.js';

/**
 * Progress of a sync: on a terminal one live line (sources done/total, in flight, posts written); in CI or
 * when piped one plain line per source; with --quiet nothing but the summary, which names each failure.
 */
export function progressReporter(output: Output): SyncReporter {
  let started = 0;
  let done = 0;
  return {
    sourceStarted() {
      started++;
    },
    sourceDone(outcome, summary) {
      done++;
      const written = summary.posts.created + summary.posts.updated;
      // A failure's message is printed once, in the summary (also with --quiet): here only that it failed.
      const keptOut = outcome.ok ? outcome.counts.tooOld + outcome.counts.beyondMaxItems : 0;
      const line = outcome.ok
        ? `✓ ${outcome.name}: ${outcome.notModified ? 'not modified' : `${outcome.counts.created} new, ${outcome.counts.updated} updated`}` +
          (outcome.counts.pruned ? `, ${outcome.counts.pruned} pruned` : '') +
          (keptOut ? `, ${keptOut} kept out by retention` : '')
        : `✗ ${outcome.name}: failed (${outcome.errorKind}; see the summary)`;
      const { fetched: chosen } = summary.sources;
      const live = `[${done}/${chosen}] sources done · ${Math.max(0, started - done)} in flight · ${written} posts written — ${outcome.name}`;
      output.progress(line, live);
    },
  };
}

/** In watch, a line per source that changed or failed; quiet about the rest. */
export function watchReporter(log: (line: string) => void): SyncReporter {
  return {
    sourceDone(outcome) {
      if (!outcome.ok) log(`✗ ${outcome.name}: [${outcome.errorKind}] ${outcome.error}`);
      else if (outcome.counts.created + outcome.counts.updated + outcome.counts.pruned > 0) {
        log(`✓ ${outcome.name}: ${outcome.counts.created} new, ${outcome.counts.updated} updated, ${outcome.counts.pruned} pruned`);
      }
    },
  };
}
