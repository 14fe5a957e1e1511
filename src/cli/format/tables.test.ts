import { describe, expect, it } from 'vitest';
import type { SourceStatus } from '../../commands/status.js';
import { formatSourcesTable, formatStatusTable } from './tables.js';

const NOW = Date.UTC(2026, 11, 1, 12);
const status = (fields: Partial<SourceStatus>): SourceStatus => ({
  source: '',
  key: '',
  state: 'ok',
  lastAttempt: null,
  lastSuccess: null,
  lastError: '',
  errorKind: '',
  httpStatus: null,
  failures: 0,
  posts: 0,
  nextDue: null,
  feedUrl: null,
  notModified: false,
  instance: '',
  warning: '',
  ...fields,
});

describe('the tables', () => {
  it('status: columns aligned as a terminal shows them (CJK two columns wide), times relative, the last column unpadded', () => {
    const table = formatStatusTable(
      [
        status({
          source: '联合早报',
          lastSuccess: new Date(NOW - 3 * 60_000).toISOString(),
          posts: 12,
          nextDue: new Date(NOW + 2 * 3_600_000).toISOString(),
          notModified: true,
        }),
        status({ source: 'HN', state: 'failing', failures: 2, lastError: 'HTTP 500 from x', errorKind: 'http-5xx' }),
        status({ source: 'Gone', state: 'gone', feedUrl: 'https://new.example/feed' }),
      ],
      NOW,
    );
    expect(table.split('\n')).toEqual([
      'SOURCE    STATE    LAST SUCCESS  FAILURES  POSTS  NEXT DUE  LAST ERROR / NOTE',
      '联合早报  ok       3m ago        0         12     in 2h     not modified',
      'HN        failing  never         2         0      now       [http-5xx] HTTP 500 from x',
      'Gone      gone     never         0         0      —         moved to https://new.example/feed',
    ]);
  });

  it('sources: categories joined, or where they come from when none are configured', () => {
    const rows = [
      { name: 'A', kind: 'rsshub' as const, location: '/a', key: 'rsshub:/a', categories: [], state: 'new' as const, posts: 0, line: 2 },
      {
        name: 'B',
        kind: 'url' as const,
        location: 'https://b.example/',
        key: 'url:https://b.example/',
        categories: ['新闻', 'B'],
        state: 'ok' as const,
        posts: 3,
        line: 3,
      },
    ];
    expect(formatSourcesTable(rows).split('\n')).toEqual([
      'NAME  KIND    STATE  POSTS  CATEGORIES     LOCATION',
      'A     rsshub  new    0      (from RSSHub)  /a',
      'B     url     ok     3      新闻 › B       https://b.example/',
    ]);
  });
});
