import { describe, expect, it } from 'vitest';
import { backoffMs, parseMaxAge, parseRetryAfter } from './retry.js';

describe('backoffMs', () => {
  it('doubles per attempt with jitter between half and all of the step, capped at 30 s', () => {
    expect([0, 1, 2].map((attempt) => backoffMs(attempt, 500, () => 0))).toEqual([250, 500, 1000]);
    expect([0, 1, 2].map((attempt) => backoffMs(attempt, 500, () => 1))).toEqual([500, 1000, 2000]);
    expect(backoffMs(20, 500, () => 1)).toBe(30_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('parseMaxAge', () => {
  it('reads max-age, and ignores it under no-store/no-cache', () => {
    expect(parseMaxAge('public, max-age=600')).toBe(600_000);
    expect(parseMaxAge('max-age="60", must-revalidate')).toBe(60_000);
    expect(parseMaxAge('no-cache, max-age=600')).toBeNull();
    expect(parseMaxAge('private')).toBeNull();
    expect(parseMaxAge(null)).toBeNull();
  });
});
