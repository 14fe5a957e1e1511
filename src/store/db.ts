import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import { linkKey } from '../item-identity.js';

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
 * The state database file: opened (a damaged one set aside, an older one migrated), its writes guarded so that
 * a full or failing disk says so, and its transactions. The tables are read and written by the modules beside
 * this one, each for one group of tables.
 */
export class StateDb {
  private constructor(
    private readonly sqlite: Database.Database,
    /**
     * True when the database records no item yet: it is new, or the run that was to fill it was killed first
     * (a database deleted by hand and killed mid-rebuild). The caller rebuilds it from the posts.
     */
    readonly created: boolean,
  ) {}

  static open(path: string, options: { readonly?: boolean } = {}): StateDb {
    const existed = existsSync(path);
    if (options.readonly) {
      // A dry run or `status` on a site that never synced (or whose state is damaged) reads a throwaway database.
      try {
        if (existed) return StateDb.wrap(new Database(path, { readonly: true, fileMustExist: true }), false);
      } catch (error) {
        if (!isDamaged(error)) throw error;
      }
      return StateDb.wrap(new Database(':memory:'), true);
    }
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw cannotUse(path, (error as NodeJS.ErrnoException).code ?? String(error));
    }
    try {
      return StateDb.wrap(openWritable(path), !existed);
    } catch (error) {
      if (!isDamaged(error)) throw diskTrouble(error, path);
      // The posts are the truth and the state can be rebuilt from them: set the damaged file aside.
      renameSync(path, `${path}.damaged-${Date.now()}`);
      try {
        return StateDb.wrap(openWritable(path), true);
      } catch (again) {
        throw diskTrouble(again, path);
      }
    }
  }

  private static wrap(sqlite: Database.Database, created: boolean): StateDb {
    // SQLite reads the file lazily: a damaged one shows here, where open() can set it aside, not at the first query.
    sqlite.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    if (!sqlite.readonly) migrate(sqlite, created);
    return new StateDb(sqlite, created || (!sqlite.readonly && sqlite.prepare('SELECT 1 FROM items LIMIT 1').get() === undefined));
  }

  prepare<Parameters extends unknown[] | object = unknown[], Result = unknown>(sql: string): Database.Statement<Parameters, Result> {
    return this.sqlite.prepare<Parameters, Result>(sql);
  }

  exec(sql: string): void {
    this.sqlite.exec(sql);
  }

  transaction<T>(work: () => T): T {
    return this.guard(() => this.sqlite.transaction(work)());
  }

  /** Runs a write; a full or failing disk becomes a UserError naming the database instead of an internal error. */
  guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw diskTrouble(error, this.sqlite.name);
    }
  }

  /** False for a dry run's read-only or throwaway database: caches are not written then. */
  get writable(): boolean {
    return !this.sqlite.readonly && this.sqlite.name !== ':memory:';
  }

  close(): void {
    if (this.sqlite.open) this.sqlite.close();
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
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
      String(SCHEMA_VERSION),
    );
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
      const present = new Set(
        db
          .prepare<[], ColumnInfo>(`PRAGMA table_info(${table})`)
          .all()
          .map((column) => column.name),
      );
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
  return new UserError(
    `cannot use the state database ${path} (${code}): ${remedy}, then run again — posts already written are kept and recorded by the next run`,
  );
}

function isDamaged(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}
