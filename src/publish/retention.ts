/** Retention: which posts a source keeps, by age and by count. */
import { formatDuration } from '../config/units.js';

export interface RetentionRule {
  maxAgeMs: number;
  maxItems: number;
}

export interface Dated {
  id: string;
  date: number;
}

/**
 * The ids to keep among a source's existing and incoming posts: those not older than `maxAge`, and of
 * those the `maxItems` newest. Deciding before writing means an item that would be pruned at once is
 * never written at all.
 */
export function postsToKeep(posts: readonly Dated[], rule: RetentionRule, now: number): Set<string> {
  const cutoff = now - rule.maxAgeMs;
  const kept = posts
    .filter((post) => post.date >= cutoff)
    .sort((a, b) => b.date - a.date || a.id.localeCompare(b.id))
    .slice(0, rule.maxItems);
  return new Set(kept.map((post) => post.id));
}

/** Why items of a feed were not published, in the configuration's own terms; "" when retention kept none out. */
export function describeKeptOut(counts: { tooOld: number; beyondMaxItems: number }, rule: RetentionRule): string {
  const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
  return [
    counts.tooOld > 0 ? `${items(counts.tooOld)} older than retention.maxAge (${formatDuration(rule.maxAgeMs)}) not published` : '',
    counts.beyondMaxItems > 0 ? `${items(counts.beyondMaxItems)} beyond retention.maxItems (${rule.maxItems}) not published` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
