import { describe, expect, it } from 'vitest';
import { feedRefreshMs } from '../feed/refresh.js';
import { nextDueAfterFailure, nextDueAfterSuccess } from './schedule.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const now = Date.UTC(2026, 10, 24);

describe('nextDueAfterSuccess', () => {
  it('is the interval when nothing asks for longer', () => {
    expect(nextDueAfterSuccess({ now, intervalMs: 30 * MINUTE }) - now).toBe(30 * MINUTE);
    expect(nextDueAfterSuccess({ now, intervalMs: 30 * MINUTE, feedRefreshMs: 5 * MINUTE, maxAgeMs: 60_000 }) - now).toBe(30 * MINUTE);
  });

  it('stretches to the feed TTL, max-age or Retry-After, whichever is longest', () => {
    expect(nextDueAfterSuccess({ now, intervalMs: 30 * MINUTE, feedRefreshMs: 2 * HOUR }) - now).toBe(2 * HOUR);
    expect(nextDueAfterSuccess({ now, intervalMs: 30 * MINUTE, maxAgeMs: 3 * HOUR, feedRefreshMs: HOUR }) - now).toBe(3 * HOUR);
    expect(nextDueAfterSuccess({ now, intervalMs: 30 * MINUTE, retryAfterMs: 4 * HOUR }) - now).toBe(4 * HOUR);
  });

  it('never stretches past a day (unless the interval itself is longer)', () => {
    expect(nextDueAfterSuccess({ now, intervalMs: 30 * MINUTE, feedRefreshMs: 7 * 24 * HOUR }) - now).toBe(24 * HOUR);
    expect(nextDueAfterSuccess({ now, intervalMs: 48 * HOUR, feedRefreshMs: 7 * 24 * HOUR }) - now).toBe(48 * HOUR);
  });
});

describe('nextDueAfterFailure', () => {
  it('doubles the interval per failure in a row, capped at 24 h', () => {
    const waits = [1, 2, 3, 4, 10].map((failures) => nextDueAfterFailure({ now, intervalMs: 30 * MINUTE, failures }) - now);
    expect(waits).toEqual([30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 24 * HOUR]);
  });

  it('honours a longer Retry-After', () => {
    expect(nextDueAfterFailure({ now, intervalMs: 30 * MINUTE, failures: 1, retryAfterMs: 3 * HOUR }) - now).toBe(3 * HOUR);
  });
});

describe('feedRefreshMs', () => {
  it('reads <ttl> in minutes and sy:updatePeriod/updateFrequency', () => {
    expect(feedRefreshMs({ ttlMinutes: 120 })).toBe(2 * HOUR);
    expect(feedRefreshMs({ updatePeriod: 'hourly', updateFrequency: 2 })).toBe(30 * MINUTE);
    expect(feedRefreshMs({ updatePeriod: ' Daily ' })).toBe(24 * HOUR);
    expect(feedRefreshMs({ updatePeriod: 'fortnightly' })).toBeNull();
    expect(feedRefreshMs({})).toBeNull();
  });
});
