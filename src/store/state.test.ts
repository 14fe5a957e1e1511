import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from './state.js';

// The schema newsstand 0.1 (state version 1) wrote, as it wrote it.
const VERSION_1_SCHEMA = `
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

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function versionOneDatabase(): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsstand-state-'));
  dirs.push(dir);
  const path = join(dir, 'state.db');
  const db = new Database(path);
  db.exec(VERSION_1_SCHEMA);
  db.prepare("INSERT INTO meta (key, value) VALUES ('schema', '1')").run();
  const insert = db.prepare('INSERT INTO items (id, source_key, link_key, file, date, first_seen) VALUES (?, ?, ?, ?, 0, 0)');
  insert.run('a', 'file:a.xml', 'https://news.example/story?utm_source=rss', 'post-a');
  insert.run('b', 'file:a.xml', 'http://news.example/other', 'post-b');
  db.prepare("INSERT INTO sources (key, name, last_success) VALUES ('file:a.xml', 'A', 1)").run();
  db.close();
  return path;
}

describe('StateStore migrations', () => {
  it('brings a version-1 database up to date: link keys re-normalized, new columns and tables present', () => {
    const path = versionOneDatabase();
    const store = StateStore.open(path);
    try {
      expect(store.created).toBe(false);
      expect(store.items.byLink('https://news.example/story')?.id).toBe('a');
      expect(store.items.byLink('https://news.example/other')?.id).toBe('b');
      expect(store.sources.get('file:a.xml')).toMatchObject({ name: 'A', contentWarning: '', contentRetry: false });
      store.images.remember('https://img.example/a.png', 'ab/0123456789abcdef0123.png');
      expect(store.images.fileFor('https://img.example/a.png')).toBe('ab/0123456789abcdef0123.png');
    } finally {
      store.close();
    }
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '2' });
    db.close();
    // Opening again migrates nothing twice.
    StateStore.open(path).close();
  });

  it('adds the columns a database from before version 1 was settled lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsstand-state-'));
    dirs.push(dir);
    const path = join(dir, 'state.db');
    const db = new Database(path);
    // The first state files had fewer source columns and the same version number.
    db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE items (id TEXT PRIMARY KEY, source_key TEXT NOT NULL, link_key TEXT NOT NULL DEFAULT '', file TEXT,
        date INTEGER NOT NULL, first_seen INTEGER NOT NULL, item_hash TEXT NOT NULL DEFAULT '', post_hash TEXT NOT NULL DEFAULT '');
      CREATE TABLE sources (key TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', last_success INTEGER);
      INSERT INTO meta VALUES ('schema', '1');
      INSERT INTO sources (key, name) VALUES ('file:a.xml', 'A');`);
    db.close();
    const store = StateStore.open(path);
    try {
      store.sources.recordSuccess({
        key: 'file:a.xml',
        name: 'A',
        at: 1,
        nextDue: 2,
        httpStatus: null,
        etag: '',
        lastModified: '',
        feedUrl: '',
        notModified: false,
        feedRefreshMs: null,
        settings: 's',
        instance: '',
        contentWarning: 'w',
        contentRetry: true,
      });
      expect(store.sources.get('file:a.xml')).toMatchObject({
        settings: 's',
        failures: 0,
        gone: false,
        contentWarning: 'w',
        contentRetry: true,
      });
    } finally {
      store.close();
    }
  });

  it('refuses a database written by a newer newsstand, saying what to do', () => {
    const path = versionOneDatabase();
    const db = new Database(path);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
    db.close();
    expect(() => StateStore.open(path)).toThrow(/newer newsstand \(state version 99\); upgrade newsstand/);
  });
});

describe('mirrored images', () => {
  it('forgets only images no item shows, once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsstand-state-'));
    dirs.push(dir);
    const store = StateStore.open(join(dir, 'state.db'));
    try {
      store.images.remember('https://img.example/1.png', 'aa/11111111111111111111.png');
      store.images.remember('https://img.example/1b.png', 'aa/11111111111111111111.png');
      store.images.remember('https://img.example/2.png', 'bb/22222222222222222222.png');
      store.items.setMirroredImages('item-1', ['aa/11111111111111111111.png']);
      store.items.setMirroredImages('item-2', ['bb/22222222222222222222.png']);
      expect(store.images.takeUnused()).toEqual([]);
      store.items.setMirroredImages('item-2', []);
      expect(store.images.takeUnused()).toEqual(['bb/22222222222222222222.png']);
      expect(store.images.fileFor('https://img.example/2.png')).toBeUndefined();
      expect(store.images.takeUnused()).toEqual([]);
      store.items.markPruned('item-1');
      expect(store.images.takeUnused()).toEqual(['aa/11111111111111111111.png']);
    } finally {
      store.close();
    }
  });
});
