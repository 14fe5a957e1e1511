/**
 * Durations (`30m`) and sizes (`20MB`) as written in `newsstand.yml`, and the few other value formats the
 * schema checks. The regular expressions double as JSON Schema `pattern`s, so they stay ECMAScript-only.
 */
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';

// Loaded by the first filter pattern (synchronously: zod's checks are synchronous); most sites have none.
let re2Module: typeof import('re2js') | undefined;
const re2js = () => (re2Module ??= createRequire(import.meta.url)('re2js') as typeof import('re2js'));

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const SIZE_UNITS = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 } as const;

/** Lowercase units only: `30M` would be ambiguous (minutes or months?). The lookahead rules out zero. */
export const DURATION_PATTERN = /^(?=[\d.]*[1-9])\d+(?:\.\d+)?(?:ms|s|m|h|d|w)$/;
/** 1024-based, unit in any case: `512KB`, `20mb`, `100B`. */
export const SIZE_PATTERN = /^(?=[\d.]*[1-9])\d+(?:\.\d+)?[KkMmGg]?[Bb]$/;

/** Milliseconds for a duration string, or `undefined` when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  const unit = /[a-z]+$/.exec(text)![0] as keyof typeof DURATION_UNITS_MS;
  return Math.round(Number.parseFloat(text) * DURATION_UNITS_MS[unit]);
}

/** A duration as the shortest string parseDuration reads back: 7776000000 → `90d`. */
export function formatDuration(ms: number): string {
  const units = Object.entries(DURATION_UNITS_MS).reverse() as Array<[keyof typeof DURATION_UNITS_MS, number]>;
  const [unit, size] = units.find(([name, unitMs]) => name !== 'w' && ms % unitMs === 0) ?? ['ms', 1];
  return `${ms / size}${unit}`;
}

/** Bytes for a size string, or `undefined` when it is not one. */
export function parseSize(text: string): number | undefined {
  if (!SIZE_PATTERN.test(text)) return undefined;
  const unit = /[a-z]+$/i.exec(text)![0].toLowerCase() as keyof typeof SIZE_UNITS;
  return Math.floor(Number.parseFloat(text) * SIZE_UNITS[unit]);
}

/** `+08:00`, `-05:30`: a fixed offset for feed dates that state no zone. */
export const UTC_OFFSET_PATTERN = /^[+-](?:0\d|1[0-4]):[0-5]\d$/;

/** `""`, a fixed UTC offset, or a zone this Node's Intl knows (IANA names such as `Asia/Shanghai`). */
export function isTimezone(text: string): boolean {
  if (text === '' || UTC_OFFSET_PATTERN.test(text)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: text });
    return true;
  } catch {
    return false;
  }
}

export function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    return new URL(text).hostname !== '';
  } catch {
    return false;
  }
}

/** The reason a pattern does not compile with the flags newsstand matches with, or `undefined` if it does. */
export function regexProblem(pattern: string): string | undefined {
  try {
    compileFilterPattern(pattern);
    return undefined;
  } catch (error) {
    // re2js says "error parsing regexp: missing closing ): `(?i)(AI`"; the flag prefix is ours, not the user's.
    const message = error instanceof Error ? error.message : String(error);
    const reason = message.replace(/^error parsing regexp: /, '').replace('`(?i)', '`');
    return /unsupported Perl syntax|invalid escape sequence: `\\\d/.test(reason)
      ? `${reason} (lookaround and backreferences are not supported: patterns run in linear time)`
      : reason;
  }
}

/**
 * A filter pattern compiled with RE2's linear-time engine (case-insensitive): no pattern and no input can
 * make matching backtrack for ever, so a feed cannot hang a run through a user's filter.
 */
export function compileFilterPattern(pattern: string): RE2JS {
  const { RE2JS } = re2js();
  return RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
}

export const FILENAME_PLACEHOLDERS = ['year', 'month', 'day', 'hour', 'minute', 'id', 'title', 'source'] as const;

/**
 * What is wrong with a post file name pattern, or `undefined` when it is fine. Literal text is limited to
 * `[A-Za-z0-9_.-]` so a pattern can never produce a path separator or a name Hexo would ignore.
 */
export function filenameProblem(pattern: string): string | undefined {
  if (pattern.includes('/') || pattern.includes('\\')) return 'may not contain a path separator';
  // Longest names first, so `:minute` is not read as `:m` + "inute" should a shorter name ever be added.
  const names = [...FILENAME_PLACEHOLDERS].sort((a, b) => b.length - a.length);
  const token = new RegExp(`^:(?:${names.join('|')})`);
  let hasId = false;
  for (let rest = pattern; rest !== ''; ) {
    const placeholder = token.exec(rest)?.[0];
    if (placeholder !== undefined) {
      hasId ||= placeholder === ':id';
      rest = rest.slice(placeholder.length);
    } else if (rest.startsWith(':')) {
      const unknown = /^:[A-Za-z]*/.exec(rest)![0];
      return `unknown placeholder "${unknown}" (use ${FILENAME_PLACEHOLDERS.map((n) => `:${n}`).join(' ')})`;
    } else if (/^[A-Za-z0-9_.-]/.test(rest)) {
      rest = rest.slice(1);
    } else {
      return `may not contain "${[...rest][0]}" (literal text is limited to letters, digits, "_", "." and "-")`;
    }
  }
  if (!hasId) return 'must contain :id, which keeps every post file name unique';
  // Hexo skips files in source/_posts whose names start with "_" or ".".
  if (/^[_.]/.test(pattern)) return 'may not start with "_" or ".": Hexo ignores such files';
  return undefined;
}
