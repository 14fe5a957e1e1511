import type { StateDb } from './db.js';

/** A full text fetched for an item, or why it could not be. */
export interface FullTextRecord {
  itemId: string;
  /** What the text was fetched for (link, selector, the item's title and update time): another version refetches. */
  version: string;
  url: string;
  html: string;
  image: string;
  error: string;
  attempts: number;
  fetchedAt: number;
}

/**
 * What newsstand keeps so as not to ask the network again: full texts, mirrored images, RSSHub's namespace
 * metadata. None of it is written by a dry run (its database is read-only or thrown away).
 */

/** The `full_texts` table. */
export class FullTexts {
  private readonly statements;

  constructor(private readonly db: StateDb) {
    this.statements = {
      get: db.prepare<[string], FullTextRecord>(
        'SELECT item_id AS itemId, version, url, html, image, error, attempts, fetched_at AS fetchedAt FROM full_texts WHERE item_id = ?',
      ),
      save: db.prepare<FullTextRecord>(`
        INSERT INTO full_texts (item_id, version, url, html, image, error, attempts, fetched_at)
        VALUES (@itemId, @version, @url, @html, @image, @error, @attempts, @fetchedAt)
        ON CONFLICT(item_id) DO UPDATE SET version = excluded.version, url = excluded.url, html = excluded.html,
          image = excluded.image, error = excluded.error, attempts = excluded.attempts, fetched_at = excluded.fetched_at`),
    };
  }

  /** The full text fetched for an item (or the last failure to), if any. */
  get(itemId: string): FullTextRecord | undefined {
    return this.statements.get.get(itemId);
  }

  save(record: FullTextRecord): void {
    if (this.db.writable) this.db.guard(() => this.statements.save.run(record));
  }
}

/** The `images` table: mirrored image URL → the file it was saved as (relative to the images directory). */
export class MirroredImages {
  private readonly statements;

  constructor(private readonly db: StateDb) {
    this.statements = {
      fileFor: db.prepare<[string], { file: string }>('SELECT file FROM images WHERE url = ?'),
      remember: db.prepare<[string, string]>(
        'INSERT INTO images (url, file) VALUES (?, ?) ON CONFLICT(url) DO UPDATE SET file = excluded.file',
      ),
      unused: db.prepare<[], { file: string }>('SELECT DISTINCT file FROM images WHERE file NOT IN (SELECT file FROM item_images)'),
      forgetFile: db.prepare<[string]>('DELETE FROM images WHERE file = ?'),
    };
  }

  fileFor(url: string): string | undefined {
    return this.statements.fileFor.get(url)?.file;
  }

  remember(url: string, file: string): void {
    if (this.db.writable) this.db.guard(() => this.statements.remember.run(url, file));
  }

  /** Forgets mirrored images no post shows any more and returns their files, to be deleted after. */
  takeUnused(): string[] {
    return this.db.transaction(() => {
      const files = this.statements.unused.all().map((row) => row.file);
      for (const file of files) this.statements.forgetFile.run(file);
      return files;
    });
  }
}

/** The `rsshub_namespaces` table: an instance's namespace metadata (the JSON as the API gave it). */
export class RsshubNamespaces {
  private readonly statements;

  constructor(private readonly db: StateDb) {
    this.statements = {
      get: db.prepare<[string], { metadata: string; fetchedAt: number }>(
        'SELECT metadata, fetched_at AS fetchedAt FROM rsshub_namespaces WHERE namespace = ?',
      ),
      save: db.prepare<[string, string, number]>(
        'INSERT INTO rsshub_namespaces (namespace, metadata, fetched_at) VALUES (?, ?, ?) ON CONFLICT(namespace) DO UPDATE SET metadata = excluded.metadata, fetched_at = excluded.fetched_at',
      ),
    };
  }

  get(namespace: string): { metadata: string; fetchedAt: number } | undefined {
    return this.statements.get.get(namespace);
  }

  save(namespace: string, metadata: string, at: number): void {
    if (this.db.writable) this.db.guard(() => this.statements.save.run(namespace, metadata, at));
  }
}
