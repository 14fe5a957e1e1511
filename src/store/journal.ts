import type { StateDb } from './db.js';

/**
 * A new post about to be written before the state records it. Noted first, so that a run killed between the
 * file and the state's commit leaves a note the next run can settle from, instead of an unrecorded post that
 * the item would be published beside a second time (under a new name, if its title or date changed).
 */
export interface PendingPost {
  file: string;
  itemId: string;
  sourceKey: string;
  linkKey: string;
  date: number;
  firstSeen: number;
  /** The mirrored images the post shows. */
  mirroredImages: string[];
}

/**
 * The crash journal: what a run is about to do to post files outside the state's transaction — new posts
 * before they are recorded, pruned posts' files after they are forgotten — so that the next run can settle
 * what a killed one left (see publish/recover.ts).
 */
export class Journal {
  constructor(private readonly db: StateDb) {}

  /** Notes new posts before their files are written. */
  notePosts(posts: readonly PendingPost[]): void {
    if (posts.length === 0) return;
    // Prepared here, not when the store opens: a read-only open of an older database has no such table.
    const note = this.db.prepare(`
      INSERT INTO pending_posts (file, item_id, source_key, link_key, date, first_seen, images)
      VALUES (@file, @itemId, @sourceKey, @linkKey, @date, @firstSeen, @images)
      ON CONFLICT(file) DO UPDATE SET item_id = excluded.item_id, source_key = excluded.source_key,
        link_key = excluded.link_key, date = excluded.date, first_seen = excluded.first_seen, images = excluded.images`);
    this.db.transaction(() => {
      for (const { mirroredImages, ...post } of posts) note.run({ ...post, images: JSON.stringify(mirroredImages) });
    });
  }

  /** What a run that did not finish left to settle: posts written or not before the state recorded them, files to delete. */
  pending(): { posts: PendingPost[]; deletes: string[] } {
    const posts = this.db
      .prepare<[], Omit<PendingPost, 'mirroredImages'> & { images: string }>(
        'SELECT file, item_id AS itemId, source_key AS sourceKey, link_key AS linkKey, date, first_seen AS firstSeen, images FROM pending_posts',
      )
      .all()
      .map(({ images, ...row }) => ({ ...row, mirroredImages: JSON.parse(images) as string[] }));
    const deletes = this.db
      .prepare<[], { file: string }>('SELECT file FROM pending_deletes')
      .all()
      .map((row) => row.file);
    return { posts, deletes };
  }

  /** The noted new posts are recorded in the state now (or were never written): their notes go. */
  postsRecorded(): void {
    this.db.exec('DELETE FROM pending_posts');
  }

  /** Notes post files the state has forgotten, to be deleted after the commit (and by the next run if killed first). */
  noteDeletes(names: readonly string[]): void {
    if (names.length === 0) return;
    const note = this.db.prepare<[string]>('INSERT OR IGNORE INTO pending_deletes (file) VALUES (?)');
    this.db.transaction(() => {
      for (const name of names) note.run(name);
    });
  }

  /** The noted files are deleted (or were not there): their notes go. */
  deletesDone(names: readonly string[]): void {
    if (names.length === 0) return;
    const done = this.db.prepare<[string]>('DELETE FROM pending_deletes WHERE file = ?');
    this.db.transaction(() => {
      for (const name of names) done.run(name);
    });
  }
}
