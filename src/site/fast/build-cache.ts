import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What the fast build keeps between builds (`.newsstand/build.db`), so that the next one reads nothing it has
 * not changed: every post as Hexo made it (its fields, categories and rendered content, keyed by the file's size
 * and modification time), the categories Hexo named, and each page written (the digest of what it was made from,
 * and the hash of what was written). It is a cache: deleting it costs one full build, never a post.
 */
export interface CachedPost {
  name: string;
  size: number;
  mtimeMs: number;
  /** Hash of the file's text: what a page showing the post was made from. */
  hash: string;
  /** The post's own fields as Hexo made them, dates as ISO strings (see model.ts). */
  fields: Record<string, unknown>;
  /** Keys (category-key.ts) of the categories Hexo linked the post to, every level. */
  categories: string[];
}

export interface CachedCategory {
  key: string;
  name: string;
  slug: string;
  path: string;
  permalink: string;
  parent: string | null;
}

export interface CachedRoute {
  path: string;
  digest: string;
  outputHash: string;
}

/** Where a site's build cache is. */
export function buildCachePath(root: string): string {
  return join(root, '.newsstand', 'build.db');
}

/**
 * The layout of the tables below, stored with the environment: a cache of another layout is set aside. Contents
 * have a table of their own so that reading every post's fields does not read every post's text (80 MB at
 * 20,000 posts), and are stored as UTF-16 bytes: a full build reads each post's text a few times (its page, the
 * search index), and a JavaScript string is copied from UTF-16 but decoded from SQLite's UTF-8 text, which made
 * a read of Chinese text 2.5 times slower (1.2 s of CPU at 20,000 posts).
 */
const CACHE_FORMAT = 3;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS posts (
  name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime REAL NOT NULL, hash TEXT NOT NULL,
  fields TEXT NOT NULL, categories TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contents (name TEXT PRIMARY KEY, content BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS categories (
  key TEXT PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL, path TEXT NOT NULL, permalink TEXT NOT NULL, parent TEXT
);
CREATE TABLE IF NOT EXISTS routes (path TEXT PRIMARY KEY, digest TEXT NOT NULL, output TEXT NOT NULL);
`;

export class BuildCache {
  private readonly statements;

  private constructor(
    private readonly db: Database.Database,
    writable = true,
  ) {
    if (writable) {
      // A cache: losing the last writes to a crash costs a rebuild of what they held, never a post.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(SCHEMA);
    }
    this.statements = {
      meta: db.prepare<[string], { value: Buffer | string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, Buffer | string]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      posts: db.prepare<[], { name: string; size: number; mtime: number; hash: string; fields: string; categories: string }>(
        'SELECT name, size, mtime, hash, fields, categories FROM posts',
      ),
      content: db.prepare<[string], Buffer>('SELECT content FROM contents WHERE name = ?').pluck(),
      savePost: db.prepare(
        `INSERT INTO posts (name, size, mtime, hash, fields, categories) VALUES (@name, @size, @mtime, @hash, @fields, @categories)
         ON CONFLICT(name) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, hash = excluded.hash, fields = excluded.fields,
           categories = excluded.categories`,
      ),
      saveContent: db.prepare<[string, Buffer]>(
        'INSERT INTO contents (name, content) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET content = excluded.content',
      ),
      deletePost: db.prepare<[string]>('DELETE FROM posts WHERE name = ?'),
      deleteContent: db.prepare<[string]>('DELETE FROM contents WHERE name = ?'),
      retime: db.prepare<[number, string]>('UPDATE posts SET mtime = ? WHERE name = ?'),
      categories: db.prepare<[], CachedCategory>('SELECT key, name, slug, path, permalink, parent FROM categories'),
      saveCategory: db.prepare<CachedCategory>(
        `INSERT INTO categories (key, name, slug, path, permalink, parent) VALUES (@key, @name, @slug, @path, @permalink, @parent)
         ON CONFLICT(key) DO UPDATE SET name = excluded.name, slug = excluded.slug, path = excluded.path, permalink = excluded.permalink,
           parent = excluded.parent`,
      ),
      routes: db.prepare<[], CachedRoute>('SELECT path, digest, output AS outputHash FROM routes'),
      saveRoute: db.prepare<CachedRoute>(
        'INSERT INTO routes (path, digest, output) VALUES (@path, @digest, @outputHash) ON CONFLICT(path) DO UPDATE SET digest = excluded.digest, output = excluded.output',
      ),
      deleteRoute: db.prepare<[string]>('DELETE FROM routes WHERE path = ?'),
      clearRoutes: db.prepare('DELETE FROM routes'),
    };
  }

  /**
   * Opens the cache of a site. A cache written for another environment (see environment in incremental.ts) or one
   * that cannot be read is set aside: the build is then a full one.
   */
  static open(path: string, environment: string): BuildCache {
    mkdirSync(dirname(path), { recursive: true });
    try {
      const cache = new BuildCache(new Database(path));
      const written = cache.meta('environment')?.toString();
      if (written === `${CACHE_FORMAT} ${environment}`) return cache;
      if (written === undefined && cache.routes().length === 0) {
        cache.setMeta('environment', `${CACHE_FORMAT} ${environment}`);
        return cache;
      }
      cache.close();
    } catch {
      // damaged: a full build makes it anew
    }
    for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    const cache = new BuildCache(new Database(path));
    cache.setMeta('environment', `${CACHE_FORMAT} ${environment}`);
    return cache;
  }

  /**
   * The cache of a site opened to read only, or null when there is none for this environment: for reading ahead
   * of a build, without the site's lock (a build by another process may be writing; snapshot() reads one state).
   */
  static read(path: string, environment: string): BuildCache | null {
    try {
      const cache = new BuildCache(new Database(path, { readonly: true, fileMustExist: true }), false);
      if (cache.meta('environment')?.toString() === `${CACHE_FORMAT} ${environment}`) return cache;
      cache.close();
    } catch {
      // none, or unreadable: the build will make it or set it aside
    }
    return null;
  }

  /** The cache a build opened, opened again by the build's helper (build-helper.ts) to write beside it. */
  static attach(path: string): BuildCache {
    return new BuildCache(new Database(path, { fileMustExist: true }));
  }

  /** The generation, posts, categories and routes as one build left them (one read transaction). */
  snapshot(): { generation: string | undefined; posts: CachedPost[]; categories: CachedCategory[]; routes: CachedRoute[] } {
    return this.transaction(() => ({
      generation: this.generation(),
      posts: this.posts(),
      categories: this.categories(),
      routes: this.routes(),
    }));
  }

  meta(key: string): Buffer | string | undefined {
    return this.statements.meta.get(key)?.value;
  }

  setMeta(key: string, value: Buffer | string): void {
    this.statements.setMeta.run(key, value);
  }

  /** Changes with every build that saved its routes: what a process kept of an older one is stale (memory.ts). */
  generation(): string | undefined {
    return this.meta('generation')?.toString();
  }

  setGeneration(generation: string): void {
    this.setMeta('generation', generation);
  }

  posts(): CachedPost[] {
    return this.statements.posts.all().map((row) => ({
      name: row.name,
      size: row.size,
      mtimeMs: row.mtime,
      hash: row.hash,
      fields: JSON.parse(row.fields) as Record<string, unknown>,
      categories: JSON.parse(row.categories) as string[],
    }));
  }

  /** A post's rendered content, read when a page needs it (most builds need a few). */
  content(name: string): string {
    return this.statements.content.get(name)?.toString('utf16le') ?? '';
  }

  /** `fieldsJson`: the post's fields as JSON, when the caller has written them so already. */
  savePost(post: CachedPost, content: string, fieldsJson = JSON.stringify(post.fields)): void {
    this.statements.savePost.run({
      ...post,
      mtime: post.mtimeMs,
      fields: fieldsJson,
      categories: JSON.stringify(post.categories),
    });
    this.statements.saveContent.run(post.name, Buffer.from(content, 'utf16le'));
  }

  /** A post whose file was written again with the same text (a checkout, a copy): only its time is new. */
  retime(post: CachedPost): void {
    this.statements.retime.run(post.mtimeMs, post.name);
  }

  deletePost(name: string): void {
    this.statements.deletePost.run(name);
    this.statements.deleteContent.run(name);
  }

  categories(): CachedCategory[] {
    return this.statements.categories.all();
  }

  saveCategory(category: CachedCategory): void {
    this.statements.saveCategory.run(category);
  }

  routes(): CachedRoute[] {
    return this.statements.routes.all();
  }

  saveRoute(route: CachedRoute): void {
    this.statements.saveRoute.run(route);
  }

  deleteRoute(path: string): void {
    this.statements.deleteRoute.run(path);
  }

  clearRoutes(): void {
    this.statements.clearRoutes.run();
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
