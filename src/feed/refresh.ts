const DAY_MS = 24 * 60 * 60 * 1000;

/** RSS `<ttl>` (minutes) or Syndication `updatePeriod`/`updateFrequency`, in milliseconds. */
export function feedRefreshMs(hints: {
  ttlMinutes?: number | null;
  updatePeriod?: string | null;
  updateFrequency?: number | null;
}): number | null {
  if (hints.ttlMinutes && hints.ttlMinutes > 0) return hints.ttlMinutes * 60_000;
  const period = { hourly: 3_600_000, daily: DAY_MS, weekly: 7 * DAY_MS, monthly: 30 * DAY_MS, yearly: 365 * DAY_MS }[
    (hints.updatePeriod ?? '').trim().toLowerCase()
  ];
  if (!period) return null;
  const frequency = hints.updateFrequency && hints.updateFrequency > 0 ? hints.updateFrequency : 1;
  return Math.round(period / frequency);
}
