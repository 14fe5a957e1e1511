/** `newsstand status`: how each source fared, from the state. */
import type { Config } from '../config/load.js';
import { readState } from './state.js';

export interface SourceStatus {
  source: string;
  key: string;
  /** new: never fetched; failing: failures > 0; gone: HTTP 410; disabled: `disabled: true`, never fetched. */
  state: 'new' | 'ok' | 'failing' | 'gone' | 'disabled';
  lastAttempt: string | null;
  lastSuccess: string | null;
  lastError: string;
  errorKind: string;
  httpStatus: number | null;
  /** Failures in a row. */
  failures: number;
  posts: number;
  nextDue: string | null;
  /** Where the feed is read from now (a permanent redirect or a discovered feed), else null. */
  feedUrl: string | null;
  /** The last successful fetch was "not modified". */
  notModified: boolean;
  /** The RSSHub instance that answered last ("" for other sources, or before any success). */
  instance: string;
  /** Items of the last read published without all of their content (full text failed, images not mirrored), and why. */
  warning: string;
}

/** One row per configured source, from the state database; sources never synced show as "new". */
export function sourceStatuses(config: Config): SourceStatus[] {
  return readState(config, (store) => {
    const statuses = config.sources.map((source): SourceStatus => {
      const row = store.sources.get(source.key);
      return {
        source: source.name || row?.name || source.location,
        key: source.key,
        state: source.disabled ? 'disabled' : !row ? 'new' : row.gone ? 'gone' : row.failures > 0 ? 'failing' : 'ok',
        lastAttempt: iso(row?.lastAttempt),
        lastSuccess: iso(row?.lastSuccess),
        lastError: row?.lastError ?? '',
        errorKind: row?.errorKind ?? '',
        httpStatus: row?.httpStatus ?? null,
        failures: row?.failures ?? 0,
        posts: row?.posts ?? 0,
        nextDue: row && !row.gone && !source.disabled ? iso(row.nextDue) : null,
        feedUrl: row?.feedUrl || null,
        notModified: row?.notModified ?? false,
        instance: row?.instance ?? '',
        warning: row?.contentWarning ?? '',
      };
    });
    return distinguished(statuses, config);
  });
}

/**
 * Sources that would show under one name get where they come from beside it: routes of one RSSHub namespace
 * all take the namespace's name (`Test` for every `/test/*`), and two feeds can share a title.
 */
function distinguished(statuses: SourceStatus[], config: Config): SourceStatus[] {
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(status.source, (counts.get(status.source) ?? 0) + 1);
  return statuses.map((status, index) => {
    const source = config.sources[index]!;
    const where = source.kind === 'rsshub' ? `rsshub:${source.location}` : source.location;
    return counts.get(status.source)! > 1 && status.source !== where ? { ...status, source: `${status.source} (${where})` } : status;
  });
}

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
