import type { Config } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { StateStore } from '../store/state.js';

export interface SourceStatus {
  source: string;
  key: string;
  lastSuccess: string | null;
  lastError: string;
  errorKind: string;
  failures: number;
  posts: number;
  nextDue: string | null;
}

/** One row per configured source, from the state database; sources never synced show as such. */
export function sourceStatuses(config: Config): SourceStatus[] {
  const store = StateStore.open(sitePaths(config).stateDb, { readonly: true });
  try {
    return config.sources.map((source) => {
      const row = store.source(source.key);
      return {
        source: source.name || row?.name || source.location,
        key: source.key,
        lastSuccess: iso(row?.last_success),
        lastError: row?.last_error ?? '',
        errorKind: row?.error_kind ?? '',
        failures: row?.failures ?? 0,
        posts: row?.items ?? 0,
        nextDue: iso(row?.next_due),
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
  const header = ['SOURCE', 'LAST SUCCESS', 'FAILURES', 'POSTS', 'NEXT DUE', 'LAST ERROR'];
  const body = rows.map((row) => [
    row.source,
    row.lastSuccess ? relative(Date.parse(row.lastSuccess), now) : 'never',
    String(row.failures),
    String(row.posts),
    row.nextDue ? relative(Date.parse(row.nextDue), now) : 'now',
    row.lastError ? `[${row.errorKind}] ${row.lastError}` : '',
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
