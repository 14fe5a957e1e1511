import type { StateDb } from './db.js';

/** How a source fared: its last fetch, its schedule, what a conditional GET needs. */
export interface SourceRecord {
  key: string;
  name: string;
  lastAttempt: number | null;
  lastSuccess: number | null;
  lastError: string;
  errorKind: string;
  /** Failures in a row. */
  failures: number;
  nextDue: number | null;
  httpStatus: number | null;
  etag: string;
  lastModified: string;
  /** Where the feed is read from now: a permanent redirect or an autodiscovered feed ("" = as configured). */
  feedUrl: string;
  /** After an HTTP 410: the source is never due again until fetched with --all. */
  gone: boolean;
  /** The last successful fetch was a 304. */
  notModified: boolean;
  feedRefreshMs: number | null;
  /** Fingerprint of the source's configuration when it was last read (see publish/fingerprint.ts). */
  settings: string;
  /** The RSSHub instance that answered last ("" for other sources). */
  instance: string;
  /** What went wrong with the content of the last run's items (full text, images) though the feed was read. */
  contentWarning: string;
  /** Some items wait for another full-text attempt: the feed is then read without a conditional GET. */
  contentRetry: boolean;
  /** Posts the source has on disk (computed). */
  posts: number;
}

export interface SourceSuccess {
  key: string;
  name: string;
  at: number;
  nextDue: number;
  httpStatus: number | null;
  etag: string;
  lastModified: string;
  feedUrl: string;
  notModified: boolean;
  feedRefreshMs: number | null;
  settings: string;
  instance: string;
  contentWarning: string;
  contentRetry: boolean;
}

export interface SourceFailure {
  key: string;
  name: string;
  at: number;
  error: string;
  kind: string;
  nextDue: number;
  httpStatus: number | null;
  gone: boolean;
}

/** The row as stored: SQLite has no booleans. */
type StoredSource = Omit<SourceRecord, 'gone' | 'notModified' | 'contentRetry'> & {
  gone: number;
  notModified: number;
  contentRetry: number;
};

const SOURCE_SELECT = `
  SELECT s.key, s.name, s.last_attempt AS lastAttempt, s.last_success AS lastSuccess, s.last_error AS lastError,
    s.error_kind AS errorKind, s.failures, s.next_due AS nextDue, s.http_status AS httpStatus, s.etag,
    s.last_modified AS lastModified, s.feed_url AS feedUrl, s.gone, s.not_modified AS notModified,
    s.feed_refresh_ms AS feedRefreshMs, s.settings, s.instance, s.content_warning AS contentWarning,
    s.content_retry AS contentRetry,
    (SELECT COUNT(*) FROM items i WHERE i.source_key = s.key AND i.file IS NOT NULL) AS posts
  FROM sources s`;

/** The `sources` table: one row per source ever read. */
export class Sources {
  private readonly statements;

  constructor(private readonly db: StateDb) {
    this.statements = {
      source: db.prepare<[string], StoredSource>(`${SOURCE_SELECT} WHERE s.key = ?`),
      sources: db.prepare<[], StoredSource>(SOURCE_SELECT),
      success: db.prepare(`
        INSERT INTO sources (key, name, last_attempt, last_success, last_error, error_kind, failures, next_due,
          http_status, etag, last_modified, feed_url, gone, not_modified, feed_refresh_ms, settings, instance,
          content_warning, content_retry)
        VALUES (@key, @name, @at, @at, '', '', 0, @nextDue, @httpStatus, @etag, @lastModified, @feedUrl, 0,
          @notModified, @feedRefreshMs, @settings, @instance, @contentWarning, @contentRetry)
        ON CONFLICT(key) DO UPDATE SET name = excluded.name, last_attempt = excluded.last_attempt,
          last_success = excluded.last_success, last_error = '', error_kind = '', failures = 0,
          next_due = excluded.next_due, http_status = excluded.http_status, etag = excluded.etag,
          last_modified = excluded.last_modified, feed_url = excluded.feed_url, gone = 0,
          not_modified = excluded.not_modified, settings = excluded.settings, instance = excluded.instance,
          content_warning = excluded.content_warning, content_retry = excluded.content_retry,
          feed_refresh_ms = COALESCE(excluded.feed_refresh_ms, sources.feed_refresh_ms)`),
      failure: db.prepare(`
        INSERT INTO sources (key, name, last_attempt, last_error, error_kind, failures, next_due, http_status, gone)
        VALUES (@key, @name, @at, @error, @kind, 1, @nextDue, @httpStatus, @gone)
        ON CONFLICT(key) DO UPDATE SET name = excluded.name, last_attempt = excluded.last_attempt,
          last_error = excluded.last_error, error_kind = excluded.error_kind, failures = sources.failures + 1,
          next_due = excluded.next_due, http_status = excluded.http_status, gone = excluded.gone`),
      forget: db.prepare<[string]>('DELETE FROM sources WHERE key = ?'),
    };
  }

  get(key: string): SourceRecord | undefined {
    const row = this.statements.source.get(key);
    return row && withBooleans(row);
  }

  all(): SourceRecord[] {
    return this.statements.sources.all().map(withBooleans);
  }

  recordSuccess(entry: SourceSuccess): void {
    this.db.guard(() =>
      this.statements.success.run({ ...entry, notModified: entry.notModified ? 1 : 0, contentRetry: entry.contentRetry ? 1 : 0 }),
    );
  }

  recordFailure(entry: SourceFailure): void {
    this.db.guard(() => this.statements.failure.run({ ...entry, gone: entry.gone ? 1 : 0 }));
  }

  /** Forgets a source's fetch state, so that, added again, it starts afresh rather than with a conditional request. */
  forget(key: string): void {
    this.statements.forget.run(key);
  }
}

function withBooleans(row: StoredSource): SourceRecord {
  return { ...row, gone: row.gone !== 0, notModified: row.notModified !== 0, contentRetry: row.contentRetry !== 0 };
}
