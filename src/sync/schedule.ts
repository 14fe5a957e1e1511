/** When a source is next due: its interval, stretched by what the publisher asks, backed off after failures. */

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SuccessTiming {
  now: number;
  intervalMs: number;
  /** The feed's own refresh hint (`<ttl>`, `sy:updatePeriod`/`sy:updateFrequency`). */
  feedRefreshMs?: number | null;
  /** `Cache-Control: max-age`. */
  maxAgeMs?: number | null;
  /** `Retry-After` on a successful answer. */
  retryAfterMs?: number | null;
}

/**
 * After a success: the interval, or longer when the feed or server asks for it — but never stretched past a
 * day beyond the interval, so a feed claiming a week-long TTL is still read daily.
 */
export function nextDueAfterSuccess(timing: SuccessTiming): number {
  const asked = Math.max(timing.feedRefreshMs ?? 0, timing.maxAgeMs ?? 0, timing.retryAfterMs ?? 0);
  const wait = Math.max(timing.intervalMs, Math.min(asked, Math.max(timing.intervalMs, DAY_MS)));
  return timing.now + wait;
}

/** After the n-th failure in a row: the interval doubled per failure, at most a day; a Retry-After wins if longer. */
export function nextDueAfterFailure({
  now,
  intervalMs,
  failures,
  retryAfterMs,
}: {
  now: number;
  intervalMs: number;
  failures: number;
  retryAfterMs?: number | null;
}): number {
  const backoff = Math.min(intervalMs * 2 ** Math.max(0, failures - 1), DAY_MS);
  return now + Math.max(backoff, retryAfterMs ?? 0);
}
