import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';

/** One item newsstand has seen. `file` is null once retention pruned its post (a tombstone: never re-added). */
export interface ItemRow {
  id: string;
  source_key: string;
  link_key: string;
  file: string | null;
  /** The post's date (ms since epoch); fixed for the post's life. */
  date: number;
  first_seen: number;
  /** Hash of the feed item and the settings that shape its post: unchanged means nothing to do. */
  item_hash: string;
  /** Hash of the post file's text as last written. */
  post_hash: string;
}

export interface SourceRow {
  key: string;
  name: string;
  last_attempt: number | null;
  last_success: number | null;
  last_error: string;
  error_kind: string;
  /** Failures in a row. */
  failures: number;
  next_due: number | null;
  http_status: number | null;
  etag: string;
  last_modified: string;
  /** Where the feed is read from now: a permanent redirect or an autodiscovered feed ("" = as configured). */
  feed_url: string;
  /** 1 after an HTTP 410: the source is never due again until fetched with --all. */
  gone: number;
  /** 1 when the last successful fetch was a 304. */
  not_modified: number;
  feed_refresh_ms: number | null;
  /** Fingerprint of the source's configuration when it was last read (see sync/read-feed.ts). */
  settings: string;
  /** The RSSHub instance that answered last ("" for other sources). */
  instance: string;
  /** Posts the source has on disk (computed). */
  items: number;
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

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  id TEXT PRIMARY KEY,
  source_key TEXT NOT NULL,
  link_key TEXT NOT NULL DEFAULT '',
  file TEXT,
  date INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  item_hash TEXT NOT NULL DEFAULT '',
  post_hash TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS items_file ON items(file) WHERE file IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_link ON items(link_key) WHERE link_key <> '';
CREATE INDEX IF NOT EXISTS items_source_date ON items(source_key, date);
CREATE TABLE IF NOT EXISTS sources (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  last_attempt INTEGER,
  last_success INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  error_kind TEXT NOT NULL DEFAULT '',
  failures INTEGER NOT NULL DEFAULT 0,
  next_due INTEGER,
  http_status INTEGER,
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  feed_url TEXT NOT NULL DEFAULT '',
  gone INTEGER NOT NULL DEFAULT 0,
  not_modified INTEGER NOT NULL DEFAULT 0,
  feed_refresh_ms INTEGER,
  settings TEXT NOT NULL DEFAULT '',
  instance TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS rsshub_namespaces (
  namespace TEXT PRIMARY KEY,
  metadata TEXT NOT NULL,
  fetched_at INTEGER NOT NULL
);
`;

/** The site's state database (`.newsstand/state.db`): what was published, and how each source fares. */
export class StateStore {
  /** True when the database did not exist before this open: the caller rebuilds it from the posts. */
  readonly created: boolean;
  private readonly db: Database.Database;
  private readonly statements;

  private constructor(db: Database.Database, created: boolean) {
    this.db = db;
    this.created = created;
    if (!db.readonly) {
      db.exec(SCHEMA);
      db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schema', String(SCHEMA_VERSION));
    }
    this.statements = {
      byId: db.prepare<[string], ItemRow>('SELECT * FROM items WHERE id = ?'),
      // The `<> ''` repeats the partial index's condition: without it SQLite cannot use the index for a bound
      // value and scans every item, which made a 20,000-item first sync quadratic.
      byLink: db.prepare<[string], ItemRow>("SELECT * FROM items WHERE link_key = ? AND link_key <> '' LIMIT 1"),
      byFile: db.prepare<[string], { id: string }>('SELECT id FROM items WHERE file = ?'),
      upsert: db.prepare<ItemRow>(`
        INSERT INTO items (id, source_key, link_key, file, date, first_seen, item_hash, post_hash)
        VALUES (@id, @source_key, @link_key, @file, @date, @first_seen, @item_hash, @post_hash)
        ON CONFLICT(id) DO UPDATE SET source_key = excluded.source_key, link_key = excluded.link_key,
          file = excluded.file, item_hash = excluded.item_hash, post_hash = excluded.post_hash`),
      livePosts: db.prepare<[string], Pick<ItemRow, 'id' | 'file' | 'date'>>(
        'SELECT id, file, date FROM items WHERE source_key = ? AND file IS NOT NULL ORDER BY date DESC, id'),
      tombstone: db.prepare<[string]>('UPDATE items SET file = NULL WHERE id = ?'),
      dropTombstones: db.prepare<[string, number]>('DELETE FROM items WHERE source_key = ? AND file IS NULL AND date < ?'),
      source: db.prepare<[string], SourceRow>(`${SOURCE_SELECT} WHERE s.key = ?`),
      namespace: db.prepare<[string], { metadata: string; fetched_at: number }>('SELECT metadata, fetched_at FROM rsshub_namespaces WHERE namespace = ?'),
      saveNamespace: db.prepare<[string, string, number]>(
        'INSERT INTO rsshub_namespaces (namespace, metadata, fetched_at) VALUES (?, ?, ?) ON CONFLICT(namespace) DO UPDATE SET metadata = excluded.metadata, fetched_at = excluded.fetched_at'),
      sources: db.prepare<[], SourceRow>(SOURCE_SELECT),
      success: db.prepare(`
        INSERT INTO sources (key, name, last_attempt, last_success, last_error, error_kind, failures, next_due,
          http_status, etag, last_modified, feed_url, gone, not_modified, feed_refresh_ms, settings, instance)
        VALUES (@key, @name, @at, @at, '', '', 0, @next_due, @http_status, @etag, @last_modified, @feed_url, 0,
          @not_modified, @feed_refresh_ms, @settings, @instance)
        ON CONFLICT(key) DO UPDATE SET name = excluded.name, last_attempt = excluded.last_attempt,
          last_success = excluded.last_success, last_error = '', error_kind = '', failures = 0,
          next_due = excluded.next_due, http_status = excluded.http_status, etag = excluded.etag,
          last_modified = excluded.last_modified, feed_url = excluded.feed_url, gone = 0,
          not_modified = excluded.not_modified, settings = excluded.settings, instance = excluded.instance,
          feed_refresh_ms = COALESCE(excluded.feed_refresh_ms, sources.feed_refresh_ms)`),
      failure: db.prepare(`
        INSERT INTO sources (key, name, last_attempt, last_error, error_kind, failures, next_due, http_status, gone)
        VALUES (@key, @name, @at, @error, @kind, 1, @next_due, @http_status, @gone)
        ON CONFLICT(key) DO UPDATE SET name = excluded.name, last_attempt = excluded.last_attempt,
          last_error = excluded.last_error, error_kind = excluded.error_kind, failures = sources.failures + 1,
          next_due = excluded.next_due, http_status = excluded.http_status, gone = excluded.gone`),
    };
  }

  static open(path: string, options: { readonly?: boolean } = {}): StateStore {
    const existed = existsSync(path);
    if (options.readonly) {
      // A dry run or `status` on a site that never synced (or whose state is damaged) reads a throwaway database.
      try {
        if (existed) return new StateStore(new Database(path, { readonly: true, fileMustExist: true }), false);
      } catch (error) {
        if (!isDamaged(error)) throw error;
      }
      return new StateStore(new Database(':memory:'), true);
    }
    mkdirSync(dirname(path), { recursive: true });
    try {
      return new StateStore(openWritable(path), !existed);
    } catch (error) {
      if (!isDamaged(error)) throw error;
      // The posts are the truth and the state can be rebuilt from them: set the damaged file aside.
      renameSync(path, `${path}.damaged-${Date.now()}`);
      return new StateStore(openWritable(path), true);
    }
  }

  item(id: string): ItemRow | undefined {
    return this.statements.byId.get(id);
  }

  itemByLink(linkKey: string): ItemRow | undefined {
    return linkKey ? this.statements.byLink.get(linkKey) : undefined;
  }

  /** The id of the item whose post has this file name, if any. */
  fileOwner(file: string): string | undefined {
    return this.statements.byFile.get(file)?.id;
  }

  saveItem(row: ItemRow): void {
    this.statements.upsert.run(row);
  }

  /** A source's posts, newest first. */
  livePosts(sourceKey: string): Array<Pick<ItemRow, 'id' | 'file' | 'date'>> {
    return this.statements.livePosts.all(sourceKey);
  }

  /** Marks an item's post as pruned; the row stays so the item is not published again. */
  markPruned(id: string): void {
    this.statements.tombstone.run(id);
  }

  /** Forgets pruned items older than `before`: retention's age rule already keeps them out. */
  forgetPrunedBefore(sourceKey: string, before: number): void {
    this.statements.dropTombstones.run(sourceKey, before);
  }

  recordSuccess(entry: SourceSuccess): void {
    this.statements.success.run({
      key: entry.key,
      name: entry.name,
      at: entry.at,
      next_due: entry.nextDue,
      http_status: entry.httpStatus,
      etag: entry.etag,
      last_modified: entry.lastModified,
      feed_url: entry.feedUrl,
      not_modified: entry.notModified ? 1 : 0,
      feed_refresh_ms: entry.feedRefreshMs,
      settings: entry.settings,
      instance: entry.instance,
    });
  }

  recordFailure(entry: SourceFailure): void {
    this.statements.failure.run({
      key: entry.key,
      name: entry.name,
      at: entry.at,
      error: entry.error,
      kind: entry.kind,
      next_due: entry.nextDue,
      http_status: entry.httpStatus,
      gone: entry.gone ? 1 : 0,
    });
  }

  /** Cached RSSHub namespace metadata (the JSON as the API gave it) and when it was fetched. */
  rsshubNamespace(namespace: string): { metadata: string; fetchedAt: number } | undefined {
    const row = this.statements.namespace.get(namespace);
    return row ? { metadata: row.metadata, fetchedAt: row.fetched_at } : undefined;
  }

  saveRsshubNamespace(namespace: string, metadata: string, at: number): void {
    if (!this.db.readonly && this.db.name !== ':memory:') this.statements.saveNamespace.run(namespace, metadata, at);
  }

  source(key: string): SourceRow | undefined {
    return this.statements.source.get(key);
  }

  sources(): SourceRow[] {
    return this.statements.sources.all();
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function openWritable(path: string): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function isDamaged(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

const SOURCE_SELECT = `
  SELECT s.*, (SELECT COUNT(*) FROM items i WHERE i.source_key = s.key AND i.file IS NOT NULL) AS items
  FROM sources s`;
