import type { Config } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { StateStore } from '../store/state.js';

export interface SourceStatus {
  source: string;
  key: string;
  /** new: never fetched; failing: failures > 0; gone: HTTP 410. */
  state: 'new' | 'ok' | 'failing' | 'gone';
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
}

/** One row per configured source, from the state database; sources never synced show as "new". */
export function sourceStatuses(config: Config): SourceStatus[] {
  const store = StateStore.open(sitePaths(config).stateDb, { readonly: true });
  try {
    return config.sources.map((source) => {
      const row = store.source(source.key);
      return {
        source: source.name || row?.name || source.location,
        key: source.key,
        state: !row ? 'new' : row.gone ? 'gone' : row.failures > 0 ? 'failing' : 'ok',
        lastAttempt: iso(row?.last_attempt),
        lastSuccess: iso(row?.last_success),
        lastError: row?.last_error ?? '',
        errorKind: row?.error_kind ?? '',
        httpStatus: row?.http_status ?? null,
        failures: row?.failures ?? 0,
        posts: row?.items ?? 0,
        nextDue: row && !row.gone ? iso(row.next_due) : null,
        feedUrl: row?.feed_url || null,
        notModified: Boolean(row?.not_modified),
      };
    });
  } finally {
    store.close();
  }
}

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/** The status rows as an aligned text table. */
export function formatStatusTable(rows: SourceStatus[], now = Date.now()): string {
  const header = ['SOURCE', 'STATE', 'LAST SUCCESS', 'FAILURES', 'POSTS', 'NEXT DUE', 'LAST ERROR / NOTE'];
  const body = rows.map((row) => [
    row.source,
    row.state,
    row.lastSuccess ? relative(Date.parse(row.lastSuccess), now) : 'never',
    String(row.failures),
    String(row.posts),
    row.state === 'gone' ? '—' : row.nextDue ? relative(Date.parse(row.nextDue), now) : 'now',
    row.lastError ? `[${row.errorKind}] ${row.lastError}` : row.feedUrl ? `moved to ${row.feedUrl}` : row.notModified ? 'not modified' : '',
  ]);
  const widths = header.map((title, column) => Math.max(displayWidth(title), ...body.map((cells) => displayWidth(cells[column] ?? ''))));
  return [header, ...body]
    .map((cells) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column]! - displayWidth(cell)))).join('  ').trimEnd())
    .join('\n');
}

function relative(at: number, now: number): string {
  const seconds = Math.round((at - now) / 1000);
  const magnitude = Math.abs(seconds);
  const text = magnitude < 90 ? `${magnitude}s` : magnitude < 5400 ? `${Math.round(magnitude / 60)}m` : magnitude < 129600 ? `${Math.round(magnitude / 3600)}h` : `${Math.round(magnitude / 86400)}d`;
  return seconds <= 0 ? `${text} ago` : `in ${text}`;
}

/** CJK characters take two columns in a terminal. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(char) ? 2 : 1;
  return width;
}
