import type { StateDb } from './db.js';

/** One item newsstand has seen. `file` is null once retention pruned its post (a tombstone: never re-added). */
export interface ItemRecord {
  id: string;
  sourceKey: string;
  linkKey: string;
  file: string | null;
  /** The post's date (ms since epoch); fixed for the post's life. */
  date: number;
  firstSeen: number;
  /** Hash of the feed item and the settings that shape its post: unchanged means nothing to do. */
  itemHash: string;
  /** Hash of the post file's text as last written. */
  postHash: string;
}

/** A post on disk as the state knows it. */
export type LivePost = Pick<ItemRecord, 'id' | 'date'> & { file: string };

const ITEM_COLUMNS =
  'id, source_key AS sourceKey, link_key AS linkKey, file, date, first_seen AS firstSeen, item_hash AS itemHash, post_hash AS postHash';

/** The `items` table (what was published, and the tombstones of what retention pruned) and the images each post shows. */
export class Items {
  private readonly statements;

  constructor(private readonly db: StateDb) {
    this.statements = {
      byId: db.prepare<[string], ItemRecord>(`SELECT ${ITEM_COLUMNS} FROM items WHERE id = ?`),
      // The `<> ''` repeats the partial index's condition: without it SQLite cannot use the index for a bound
      // value and scans every item, which made a 20,000-item first sync quadratic.
      byLink: db.prepare<[string], ItemRecord>(`SELECT ${ITEM_COLUMNS} FROM items WHERE link_key = ? AND link_key <> '' LIMIT 1`),
      byFile: db.prepare<[string], { id: string }>('SELECT id FROM items WHERE file = ?'),
      upsert: db.prepare<ItemRecord>(`
        INSERT INTO items (id, source_key, link_key, file, date, first_seen, item_hash, post_hash)
        VALUES (@id, @sourceKey, @linkKey, @file, @date, @firstSeen, @itemHash, @postHash)
        ON CONFLICT(id) DO UPDATE SET source_key = excluded.source_key, link_key = excluded.link_key,
          file = excluded.file, item_hash = excluded.item_hash, post_hash = excluded.post_hash`),
      livePosts: db.prepare<[string], LivePost>(
        'SELECT id, file, date FROM items WHERE source_key = ? AND file IS NOT NULL ORDER BY date DESC, id',
      ),
      tombstone: db.prepare<[string]>('UPDATE items SET file = NULL WHERE id = ?'),
      dropTombstones: db.prepare<[string, number]>('DELETE FROM items WHERE source_key = ? AND file IS NULL AND date < ?'),
      forgetFullTexts: db.prepare<[string, number]>(
        'DELETE FROM full_texts WHERE item_id IN (SELECT id FROM items WHERE source_key = ? AND file IS NULL AND date < ?)',
      ),
      forgetPrunedFullText: db.prepare<[string]>('DELETE FROM full_texts WHERE item_id = ?'),
      clearItemImages: db.prepare<[string]>('DELETE FROM item_images WHERE item_id = ?'),
      addItemImage: db.prepare<[string, string]>('INSERT OR IGNORE INTO item_images (item_id, file) VALUES (?, ?)'),
    };
  }

  get(id: string): ItemRecord | undefined {
    return this.statements.byId.get(id);
  }

  byLink(linkKey: string): ItemRecord | undefined {
    return linkKey ? this.statements.byLink.get(linkKey) : undefined;
  }

  /** The id of the item whose post has this file name, if any. */
  fileOwner(file: string): string | undefined {
    return this.statements.byFile.get(file)?.id;
  }

  save(record: ItemRecord): void {
    this.statements.upsert.run(record);
  }

  /** A source's posts, newest first. */
  livePosts(sourceKey: string): LivePost[] {
    return this.statements.livePosts.all(sourceKey);
  }

  /** Marks an item's post as pruned; the row stays so the item is not published again. Its caches go. */
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

  /** The mirrored images an item's post shows, replacing what it showed before. */
  setMirroredImages(itemId: string, files: readonly string[]): void {
    this.statements.clearItemImages.run(itemId);
    for (const file of files) this.statements.addItemImage.run(itemId, file);
  }

  /**
   * Forgets a source's items, tombstones included, their full texts and image links (`remove --purge`). The caller
   * deletes the post files after.
   */
  forgetSource(sourceKey: string): void {
    const ofSource = 'SELECT id FROM items WHERE source_key = ?';
    this.db.prepare(`DELETE FROM full_texts WHERE item_id IN (${ofSource})`).run(sourceKey);
    this.db.prepare(`DELETE FROM item_images WHERE item_id IN (${ofSource})`).run(sourceKey);
    this.db.prepare('DELETE FROM items WHERE source_key = ?').run(sourceKey);
  }
}
