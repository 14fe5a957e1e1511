import Database from 'better-sqlite3';
import { UserError } from '../errors.js';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { linkKey } from '../identity.js';

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
  /** What went wrong with the content of the last run's items (full text, images) though the feed was read. */
  content_warning: string;
  /** 1 while some items wait for another full-text attempt: the feed is then read without a conditional GET. */
  content_retry: number;
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

/** A full text fetched for an item, or why it could not be. */
export interface FullTextRow {
  item_id: string;
  /** What the text was fetched for (link, selector, the item's title and update time): another version refetches. */
  version: string;
  url: string;
  html: string;
  image: string;
  error: string;
  attempts: number;
  fetched_at: number;
}

const SCHEMA_VERSION = 2;

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
  instance TEXT NOT NULL DEFAULT '',
  content_warning TEXT NOT NULL DEFAULT '',
  content_retry INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS rsshub_namespaces (
  namespace TEXT PRIMARY KEY,
  metadata TEXT NOT NULL,
  fetched_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS full_texts (
  item_id TEXT PRIMARY KEY,
  version TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  html TEXT NOT NULL DEFAULT '',
  image TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  fetched_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS images (url TEXT PRIMARY KEY, file TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS images_file ON images(file);
CREATE TABLE IF NOT EXISTS item_images (item_id TEXT NOT NULL, file TEXT NOT NULL, PRIMARY KEY (item_id, file));
CREATE INDEX IF NOT EXISTS item_images_file ON item_images(file);
CREATE TABLE IF NOT EXISTS pending_posts (
  file TEXT PRIMARY KEY,
  item_id TEXT NOT NULL,
  source_key TEXT NOT NULL,
  link_key TEXT NOT NULL DEFAULT '',
  date INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  images TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS pending_deletes (file TEXT PRIMARY KEY);
`;

/**
 * Changes to the data of databases written by earlier versions, by the version they bring the database to.
 * New columns need no entry: every column SCHEMA names is added where missing (see addMissingColumns).
 */
const MIGRATIONS: Record<number, (db: Database.Database) => void> = {
  2: (db) => {
    // Link keys now drop tracking parameters; the normalization is idempotent, so old keys can be re-keyed.
    const rekey = db.prepare<[string, string]>('UPDATE items SET link_key = ? WHERE link_key = ?');
    for (const { link_key } of db.prepare<[], { link_key: string }>("SELECT DISTINCT link_key FROM items WHERE link_key <> ''").all()) {
      const key = linkKey(link_key);
      if (key !== link_key) rekey.run(key, link_key);
    }
  },
};

/**
 * A new post about to be written before the state records it. Noted first, so that a run killed between the
 * file and the state's commit leaves a note the next run can settle from, instead of an unrecorded post that
 * the item would be published beside a second time (under a new name, if its title or date changed).
 */
export interface PendingPost {
  file: string;
  item_id: string;
  source_key: string;
  link_key: string;
  date: number;
  first_seen: number;
  /** The mirrored images the post shows (JSON list). */
  images: string;
}

/** The site's state database (`.newsstand/state.db`): what was published, and how each source fares. */
export class StateStore {
  /**
   * True when the database records no item yet: it is new, or the run that was to fill it was killed first
   * (a database deleted by hand and killed mid-rebuild). The caller rebuilds it from the posts.
   */
  readonly created: boolean;
  private readonly db: Database.Database;
  private readonly statements;

  private constructor(db: Database.Database, created: boolean) {
    this.db = db;
    if (!db.readonly) migrate(db, created);
    this.created = created || (!db.readonly && db.prepare('SELECT 1 FROM items LIMIT 1').get() === undefined);
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
          http_status, etag, last_modified, feed_url, gone, not_modified, feed_refresh_ms, settings, instance,
          content_warning, content_retry)
        VALUES (@key, @name, @at, @at, '', '', 0, @next_due, @http_status, @etag, @last_modified, @feed_url, 0,
          @not_modified, @feed_refresh_ms, @settings, @instance, @content_warning, @content_retry)
        ON CONFLICT(key) DO UPDATE SET name = excluded.name, last_attempt = excluded.last_attempt,
          last_success = excluded.last_success, last_error = '', error_kind = '', failures = 0,
          next_due = excluded.next_due, http_status = excluded.http_status, etag = excluded.etag,
          last_modified = excluded.last_modified, feed_url = excluded.feed_url, gone = 0,
          not_modified = excluded.not_modified, settings = excluded.settings, instance = excluded.instance,
          content_warning = excluded.content_warning, content_retry = excluded.content_retry,
          feed_refresh_ms = COALESCE(excluded.feed_refresh_ms, sources.feed_refresh_ms)`),
      failure: db.prepare(`
        INSERT INTO sources (key, name, last_attempt, last_error, error_kind, failures, next_due, http_status, gone)
        VALUES (@key, @name, @at, @error, @kind, 1, @next_due, @http_status, @gone)
        ON CONFLICT(key) DO UPDATE SET name = excluded.name, last_attempt = excluded.last_attempt,
          last_error = excluded.last_error, error_kind = excluded.error_kind, failures = sources.failures + 1,
          next_due = excluded.next_due, http_status = excluded.http_status, gone = excluded.gone`),
      fullText: db.prepare<[string], FullTextRow>('SELECT * FROM full_texts WHERE item_id = ?'),
      saveFullText: db.prepare<FullTextRow>(`
        INSERT INTO full_texts (item_id, version, url, html, image, error, attempts, fetched_at)
        VALUES (@item_id, @version, @url, @html, @image, @error, @attempts, @fetched_at)
        ON CONFLICT(item_id) DO UPDATE SET version = excluded.version, url = excluded.url, html = excluded.html,
          image = excluded.image, error = excluded.error, attempts = excluded.attempts, fetched_at = excluded.fetched_at`),
      forgetFullTexts: db.prepare<[string, number]>(
        'DELETE FROM full_texts WHERE item_id IN (SELECT id FROM items WHERE source_key = ? AND file IS NULL AND date < ?)'),
      forgetPrunedFullText: db.prepare<[string]>('DELETE FROM full_texts WHERE item_id = ?'),
      imageFile: db.prepare<[string], { file: string }>('SELECT file FROM images WHERE url = ?'),
      saveImage: db.prepare<[string, string]>('INSERT INTO images (url, file) VALUES (?, ?) ON CONFLICT(url) DO UPDATE SET file = excluded.file'),
      clearItemImages: db.prepare<[string]>('DELETE FROM item_images WHERE item_id = ?'),
      addItemImage: db.prepare<[string, string]>('INSERT OR IGNORE INTO item_images (item_id, file) VALUES (?, ?)'),
      unusedImages: db.prepare<[], { file: string }>('SELECT DISTINCT file FROM images WHERE file NOT IN (SELECT file FROM item_images)'),
      forgetImageFile: db.prepare<[string]>('DELETE FROM images WHERE file = ?'),
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
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw cannotUse(path, (error as NodeJS.ErrnoException).code ?? String(error));
    }
    try {
      return new StateStore(openWritable(path), !existed);
    } catch (error) {
      if (!isDamaged(error)) throw diskTrouble(error, path);
      // The posts are the truth and the state can be rebuilt from them: set the damaged file aside.
      renameSync(path, `${path}.damaged-${Date.now()}`);
      try {
        return new StateStore(openWritable(path), true);
      } catch (again) {
        throw diskTrouble(again, path);
      }
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

  /** Notes new posts before their files are written (see PendingPost). */
  notePendingPosts(posts: readonly PendingPost[]): void {
    if (posts.length === 0) return;
    // Prepared here, not with the others: a read-only open of an older database has no such table.
    const note = this.db.prepare<PendingPost>(`
      INSERT INTO pending_posts (file, item_id, source_key, link_key, date, first_seen, images)
      VALUES (@file, @item_id, @source_key, @link_key, @date, @first_seen, @images)
      ON CONFLICT(file) DO UPDATE SET item_id = excluded.item_id, source_key = excluded.source_key,
        link_key = excluded.link_key, date = excluded.date, first_seen = excluded.first_seen, images = excluded.images`);
    this.transaction(() => {
      for (const post of posts) note.run(post);
    });
  }

  /** Notes the files of posts the state forgets, to be deleted after the commit (and by the next run if killed first). */
  private notePendingDeletes(files: readonly string[]): void {
    if (files.length === 0) return;
    const note = this.db.prepare<[string]>('INSERT OR IGNORE INTO pending_deletes (file) VALUES (?)');
    this.transaction(() => {
      for (const file of files) note.run(file);
    });
  }

  /** What a run that did not finish left to settle: posts written or not before the state recorded them, files to delete. */
  pending(): { posts: PendingPost[]; deletes: string[] } {
    return {
      posts: this.db.prepare<[], PendingPost>('SELECT * FROM pending_posts').all(),
      deletes: this.db.prepare<[], { file: string }>('SELECT file FROM pending_deletes').all().map((row) => row.file),
    };
  }

  /** Forgets the notes: their posts are recorded, their deletions done — all but the deletions in `keep`, still to do. */
  clearPending(keep: readonly string[] = []): void {
    this.transaction(() => {
      this.db.exec('DELETE FROM pending_posts; DELETE FROM pending_deletes;');
      this.notePendingDeletes(keep);
    });
  }

  /** Marks an item's post as pruned; the row stays so the item is not published again. */
  markPruned(id: string): void {
    this.statements.tombstone.run(id);
    this.statements.forgetPrunedFullText.run(id);
    this.statements.clearItemImages.run(id);
  }

  /** Forgets pruned items older than `before`: retention's age rule already keeps them out. */
  forgetPrunedBefore(sourceKey: string, before: number): void {
    this.statements.forgetFullTexts.run(sourceKey, before);
    this.statements.dropTombstones.run(sourceKey, before);
  }

  /** The full text fetched for an item (or the last failure to), if any. */
  fullText(itemId: string): FullTextRow | undefined {
    return this.statements.fullText.get(itemId);
  }

  saveFullText(row: FullTextRow): void {
    if (this.writable) this.guard(() => this.statements.saveFullText.run(row));
  }

  /** The mirrored file (relative to the images directory) an image URL was saved as. */
  imageFileFor(url: string): string | undefined {
    return this.statements.imageFile.get(url)?.file;
  }

  rememberImage(url: string, file: string): void {
    if (this.writable) this.guard(() => this.statements.saveImage.run(url, file));
  }

  /** The mirrored images an item's post shows, replacing what it showed before. */
  setItemImages(itemId: string, files: readonly string[]): void {
    this.statements.clearItemImages.run(itemId);
    for (const file of files) this.statements.addItemImage.run(itemId, file);
  }

  /** Forgets mirrored images no post shows any more and returns their files, to be deleted after. */
  takeUnusedImages(): string[] {
    return this.transaction(() => {
      const files = this.statements.unusedImages.all().map((row) => row.file);
      for (const file of files) this.statements.forgetImageFile.run(file);
      return files;
    });
  }

  recordSuccess(entry: SourceSuccess): void {
    this.guard(() => this.statements.success.run({
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
      content_warning: entry.contentWarning,
      content_retry: entry.contentRetry ? 1 : 0,
    }));
  }

  recordFailure(entry: SourceFailure): void {
    this.guard(() => this.statements.failure.run({
      key: entry.key,
      name: entry.name,
      at: entry.at,
      error: entry.error,
      kind: entry.kind,
      next_due: entry.nextDue,
      http_status: entry.httpStatus,
      gone: entry.gone ? 1 : 0,
    }));
  }

  /** Cached RSSHub namespace metadata (the JSON as the API gave it) and when it was fetched. */
  rsshubNamespace(namespace: string): { metadata: string; fetchedAt: number } | undefined {
    const row = this.statements.namespace.get(namespace);
    return row ? { metadata: row.metadata, fetchedAt: row.fetched_at } : undefined;
  }

  saveRsshubNamespace(namespace: string, metadata: string, at: number): void {
    if (this.writable) this.guard(() => this.statements.saveNamespace.run(namespace, metadata, at));
  }

  /** False for a dry run's read-only or throwaway database: caches are not written then. */
  private get writable(): boolean {
    return !this.db.readonly && this.db.name !== ':memory:';
  }

  source(key: string): SourceRow | undefined {
    return this.statements.source.get(key);
  }

  sources(): SourceRow[] {
    return this.statements.sources.all();
  }

  transaction<T>(work: () => T): T {
    return this.guard(() => this.db.transaction(work)());
  }

  /** Runs a write; a full or failing disk becomes a UserError naming the database instead of an internal error. */
  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw diskTrouble(error, this.db.name);
    }
  }

  /**
   * Forgets a source entirely (`remove --purge`): its items, tombstones included, their full texts and
   * image links, and its fetch state — so the source, added again, starts afresh rather than with a
   * conditional request that would answer "not modified". The caller deletes the post files after.
   */
  forgetSource(key: string): void {
    this.transaction(() => {
      const ofSource = 'SELECT id FROM items WHERE source_key = ?';
      this.db.prepare(`DELETE FROM full_texts WHERE item_id IN (${ofSource})`).run(key);
      this.db.prepare(`DELETE FROM item_images WHERE item_id IN (${ofSource})`).run(key);
      this.db.prepare('DELETE FROM items WHERE source_key = ?').run(key);
      this.db.prepare('DELETE FROM sources WHERE key = ?').run(key);
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Creates the schema, or brings a database written by an earlier version up to this one, in one transaction. */
function migrate(db: Database.Database, created: boolean): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const stored = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'").get();
    // A database with items but no version is a version-1 one; a new database starts at the current version.
    const from = stored ? Number(stored.value) : created ? SCHEMA_VERSION : 1;
    if (from > SCHEMA_VERSION) {
      throw new UserError(`${db.name} was written by a newer newsstand (state version ${from}); upgrade newsstand to use this site`);
    }
    addMissingColumns(db);
    db.exec(SCHEMA);
    for (let version = from + 1; version <= SCHEMA_VERSION; version++) MIGRATIONS[version]?.(db);
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(SCHEMA_VERSION));
  })();
}

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
}

/**
 * Adds the columns SCHEMA has and the database lacks (an older newsstand created its tables), with their
 * types and defaults, read off SCHEMA itself in a scratch database so there is one definition of each.
 * Runs before SCHEMA's indexes are created, which may name such a column.
 */
function addMissingColumns(db: Database.Database): void {
  const reference = new Database(':memory:');
  try {
    reference.exec(SCHEMA);
    const tables = reference.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    for (const { name: table } of tables) {
      const present = new Set(db.prepare<[], ColumnInfo>(`PRAGMA table_info(${table})`).all().map((column) => column.name));
      if (present.size === 0) continue; // a table this database does not have yet: SCHEMA creates it whole
      for (const column of reference.prepare<[], ColumnInfo>(`PRAGMA table_info(${table})`).all()) {
        if (present.has(column.name)) continue;
        const constraint = column.notnull ? ' NOT NULL' : '';
        const fallback = column.dflt_value === null ? '' : ` DEFAULT ${column.dflt_value}`;
        db.exec(`ALTER TABLE ${table} ADD COLUMN ${column.name} ${column.type}${constraint}${fallback}`);
      }
    }
  } finally {
    reference.close();
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

/** SQLite's codes for a disk that is full, failing, read-only or not where the database should be. */
const DISK_TROUBLE = /^SQLITE_(FULL|IOERR|CANTOPEN|READONLY|PERM)/;

function diskTrouble(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && DISK_TROUBLE.test(code) ? cannotUse(path, code) : error;
}

function cannotUse(path: string, code: string): UserError {
  const remedy = /FULL|ENOSPC|EDQUOT|EFBIG/.test(code)
    ? `the disk is full or a size limit was reached: free some space for ${dirname(path)}`
    : /IOERR/.test(code)
      ? `the disk failed to read or write it (or a size limit was reached): check the disk and the space on it`
      : `make sure ${dirname(path)} is a writable directory and ${path} a file in it`;
  return new UserError(`cannot use the state database ${path} (${code}): ${remedy}, then run again — posts already written are kept and recorded by the next run`);
}

function isDamaged(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

const SOURCE_SELECT = `
  SELECT s.*, (SELECT COUNT(*) FROM items i WHERE i.source_key = s.key AND i.file IS NOT NULL) AS items
  FROM sources s`;
