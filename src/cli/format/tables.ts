import type { SourceListing } from '../../commands/sources.js';
import type { SourceStatus } from '../../commands/status.js';
import { displayWidth } from '../width.js';

/** The status rows as an aligned text table. */
export function formatStatusTable(rows: SourceStatus[], now = Date.now()): string {
  const header = ['SOURCE', 'STATE', 'LAST SUCCESS', 'FAILURES', 'POSTS', 'NEXT DUE', 'LAST ERROR / NOTE'];
  const body = rows.map((row) => [
    row.source,
    row.state,
    row.lastSuccess ? relative(Date.parse(row.lastSuccess), now) : 'never',
    String(row.failures),
    String(row.posts),
    row.state === 'gone' || row.state === 'disabled' ? '—' : row.nextDue ? relative(Date.parse(row.nextDue), now) : 'now',
    row.lastError
      ? `[${row.errorKind}] ${row.lastError}`
      : row.warning
        ? `! ${row.warning}`
        : row.feedUrl
          ? `moved to ${row.feedUrl}`
          : row.notModified
            ? 'not modified'
            : '',
  ]);
  return alignedTable(header, body);
}

/** The `sources` listing as an aligned text table. */
export function formatSourcesTable(rows: readonly SourceListing[]): string {
  const header = ['NAME', 'KIND', 'STATE', 'POSTS', 'CATEGORIES', 'LOCATION'];
  const body = rows.map((row) => [
    row.name,
    row.kind,
    row.state,
    String(row.posts),
    row.categories.length > 0 ? row.categories.join(' › ') : row.kind === 'rsshub' ? '(from RSSHub)' : '—',
    row.location,
  ]);
  return alignedTable(header, body);
}

/** Columns padded to their widest cell as a terminal shows it (CJK takes two columns); the last column is not padded. */
function alignedTable(header: string[], body: string[][]): string {
  const widths = header.map((title, column) => Math.max(displayWidth(title), ...body.map((cells) => displayWidth(cells[column] ?? ''))));
  return [header, ...body]
    .map((cells) =>
      cells
        .map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column]! - displayWidth(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function relative(at: number, now: number): string {
  const seconds = Math.round((at - now) / 1000);
  const magnitude = Math.abs(seconds);
  const text =
    magnitude < 90
      ? `${magnitude}s`
      : magnitude < 5400
        ? `${Math.round(magnitude / 60)}m`
        : magnitude < 129600
          ? `${Math.round(magnitude / 3600)}h`
          : `${Math.round(magnitude / 86400)}d`;
  return seconds <= 0 ? `${text} ago` : `in ${text}`;
}
