/**
 * lib/iso-date.js: a date as moment's toISOString writes it, for every moment — valid ones of any year and zone
 * by their Date, the rest (invalid ones, years outside 0–9999, anything not a moment) by the fallback.
 */
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { isoDate } = require('./iso-date.js') as { isoDate: (value: unknown, fallback: (value: any) => unknown) => unknown };
const moment = require('moment-timezone') as any;

const ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];
const byMoment = (value: any) => value.toISOString();

describe('lib/iso-date.js', () => {
  it("is the moment's toISOString for any instant, zone and locale", () => {
    // From year -300 to 12,000: moment writes the years outside 0–9999 with six digits and a sign.
    const instant = fc.integer({ min: -71_700_000_000_000, max: 316_500_000_000_000 });
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), fc.constantFrom('en', 'zh-cn', 'ar'), (ms, zone, locale) => {
        const value = moment(ms).tz(zone).locale(locale);
        expect(isoDate(value, byMoment)).toBe(value.toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves the edges of the year range, invalid moments and anything not a moment to the fallback', () => {
    for (const iso of [
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '-000001-12-31T23:59:59.999Z',
      '+010000-01-01T00:00:00.000Z',
    ]) {
      const value = moment.utc(Date.parse(iso));
      expect(isoDate(value, byMoment)).toBe(value.toISOString());
    }
    const invalid = moment('not a date', 'YYYY-MM-DD', true);
    expect(isoDate(invalid, byMoment)).toBeNull();
    const seen: unknown[] = [];
    const fallback = (value: unknown) => (seen.push(value), 'fallback');
    expect(isoDate('2026-03-02', fallback)).toBe('fallback');
    expect(isoDate(new Date(0), fallback)).toBe('fallback');
    expect(isoDate(null, fallback)).toBe('fallback');
    expect(seen).toEqual(['2026-03-02', new Date(0), null]);
  });
});
