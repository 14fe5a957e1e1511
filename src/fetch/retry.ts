import type { FetchError } from '../errors.js';

/** Failures worth another try within the run: the network hiccuped or the server had a bad moment. */
export function isRetryable(error: FetchError): boolean {
  return error.kind === 'network' || error.kind === 'connect' || error.kind === 'http-5xx';
}

/** Exponential backoff with full jitter: attempt 0 waits up to `base`, then 2×, 4×… (never more than 30 s). */
export function backoffMs(attempt: number, base: number, random = Math.random): number {
  const ceiling = Math.min(base * 2 ** attempt, 30_000);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** `Retry-After`: delta-seconds or an HTTP date. Null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** `Cache-Control: max-age=N` in milliseconds; null when absent, or when the answer must not be reused. */
export function parseMaxAge(value: string | null): number | null {
  if (!value) return null;
  if (/(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|$)/i.test(value)) return null;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(value);
  return match ? Number(match[1]) * 1000 : null;
}
