/**
 * Source identity: the kind, location and `key` of each source entry (SourceConfig.key), and what the schema
 * cannot know: two entries that are the same source. A `file:` that is missing is not checked here: like an
 * unreachable URL it is a failing source at sync time, and the others still sync.
 */
import path from 'node:path';
import type { Document } from 'yaml';
import { SOURCE_KINDS } from './schema.js';
import { isHttpUrl } from './units.js';
import { locate, type Problem } from './yaml-positions.js';

/** What a source is: its kind, where it is read from, and the key that tells it apart from every other source. */
export interface SourceIdentity {
  kind: (typeof SOURCE_KINDS)[number];
  location: string;
  key: string;
}

/**
 * The identity of each source entry by index, and a problem for each entry that repeats an earlier one. Runs on
 * the raw entries so these problems are reported together with the schema's.
 */
export function checkSources(doc: Document, raw: unknown, dir: string, at: (offset: number) => { line: number }) {
  const problems: Problem[] = [];
  const bySource = new Map<number, SourceIdentity>();
  const sources = (raw as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(sources)) return { problems, bySource };
  const seen = new Map<string, number>();
  for (const [index, entry] of sources.entries()) {
    const identity = identify(entry, dir);
    if (!identity) continue;
    const keyPath = ['sources', index, identity.kind];
    const offset = locate(doc, keyPath, 'value');
    const first = seen.get(identity.key);
    if (first !== undefined) {
      const line = at(locate(doc, ['sources', first], 'value')).line;
      problems.push({ offset, path: keyPath, message: `same source as sources[${first}] (line ${line}); remove one` });
      continue;
    }
    seen.set(identity.key, index);
    bySource.set(index, identity);
  }
  return { problems, bySource };
}

function identify(entry: unknown, dir: string): SourceIdentity | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  const given = SOURCE_KINDS.filter((kind) => (entry as Record<string, unknown>)[kind] !== undefined);
  const kind = given[0];
  const value = kind === undefined ? undefined : (entry as Record<string, unknown>)[kind];
  if (given.length !== 1 || kind === undefined || typeof value !== 'string') return undefined;
  return sourceIdentity(kind, value, dir);
}

/**
 * The identity of a source of `kind` written as `value` in a newsstand.yml in `dir` (a feed named on the
 * command line takes the identity it would have as a source in the working directory); undefined when `value`
 * is not such a source.
 */
export function sourceIdentity(kind: SourceIdentity['kind'], value: string, dir: string): SourceIdentity | undefined {
  switch (kind) {
    case 'url':
      // Keyed by the parsed form so `HTTPS://Example.com/feed` and `https://example.com/feed` are one source.
      return isHttpUrl(value) ? { kind, location: value, key: `url:${new URL(value).href}` } : undefined;
    case 'rsshub':
      return value.startsWith('/') ? { kind, location: value, key: `rsshub:${value}` } : undefined;
    case 'file': {
      if (value === '') return undefined;
      const location = path.resolve(dir, value);
      return { kind, location, key: `file:${path.relative(dir, location).split(path.sep).join('/')}` };
    }
  }
}

/** The key of a feed read from standard input (`parse -`), which no configured source can have. */
export const STANDARD_INPUT_KEY = 'stdin:';
