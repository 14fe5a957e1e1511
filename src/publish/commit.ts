import { UserError } from '../errors.js';
import { deletePosts, postPath } from '../post/files.js';
import { fileWriter } from '../post/writer-thread.js';
import type { ItemRecord, LivePost } from '../store/items.js';
import type { PendingPost } from '../store/journal.js';
import type { StateStore } from '../store/state.js';

/** What one source's publishing records once its posts are written. */
export interface PublishRecords {
  sourceKey: string;
  /** Items to record: written ones and tombstones. */
  records: ItemRecord[];
  /** The mirrored images each written post shows. */
  mirroredImages: Array<[itemId: string, files: string[]]>;
  prune: LivePost[];
  /** Pruned items older than this are forgotten. */
  forgetBefore: number;
}

/**
 * One source's publishing, done in the one order that keeps the state honest through a crash at any point: each
 * batch of new posts is noted in the journal before its files are written; once every file is written, the state
 * records them and forgets the pruned posts in one transaction (noting their files), then those files are deleted.
 * The state never claims a post that is not on disk; what a killed run leaves between two steps is in the
 * journal, for recover.ts. Batches are handed over as they are rendered, and written (on a thread of their own
 * when there are many) while the next is prepared.
 */
export class PublishCommit {
  private readonly writer;

  /** `expectedWrites`: about how many posts will be written (the writer thread pays off for many). */
  constructor(
    private readonly store: StateStore,
    private readonly postsDir: string,
    expectedWrites: number,
  ) {
    this.writer = fileWriter(expectedWrites);
  }

  /**
   * Notes the new posts among `writes` in the journal, then starts writing them all (new and changed posts).
   * After a failed write nothing more is noted or written: finish() reports the failure.
   */
  write(writes: ReadonlyArray<{ name: string; text: string }>, newPosts: readonly PendingPost[]): void {
    if (this.writer.failed) return;
    this.store.journal.notePosts(newPosts);
    this.writer.add(writes.map(({ name, text }) => ({ path: postPath(this.postsDir, name), text })));
  }

  /** Waits for the files, then records them, and prunes. */
  async finish(done: PublishRecords): Promise<void> {
    const { store } = this;
    await this.writer.finish();
    const pruned = done.prune.map((post) => post.file);
    store.transaction(() => {
      for (const record of done.records) store.items.save(record);
      for (const [id, files] of done.mirroredImages) store.items.setMirroredImages(id, files);
      for (const post of done.prune) store.items.markPruned(post.id);
      store.items.forgetPrunedBefore(done.sourceKey, done.forgetBefore);
      store.journal.postsRecorded();
      store.journal.noteDeletes(pruned);
    });
    await deleteNoted(store, this.postsDir, pruned);
  }
}

/**
 * Forgets a source and deletes its posts (`remove --purge`), in the same order as a prune: the state forgets
 * them and notes their files in one transaction, then the files go. Returns how many were deleted; a file that
 * cannot be deleted stays noted for the next run, and is reported.
 */
export async function purgeSource(store: StateStore, postsDir: string, sourceKey: string): Promise<number> {
  const names = store.items.livePosts(sourceKey).map((post) => post.file);
  store.transaction(() => {
    store.forgetSource(sourceKey);
    store.journal.noteDeletes(names);
  });
  const { deleted, failed } = await deleteNoted(store, postsDir, names);
  if (failed.length > 0) {
    const { name, code } = failed[0]!;
    throw new UserError(
      `cannot delete ${postPath(postsDir, name)} (${code})${failed.length > 1 ? ` and ${failed.length - 1} more` : ''}; the state no longer lists them — the next sync tries again, or delete them by hand`,
    );
  }
  return deleted;
}

/** Deletes noted post files, and forgets the notes of those that are gone. */
async function deleteNoted(
  store: StateStore,
  postsDir: string,
  names: readonly string[],
): Promise<Awaited<ReturnType<typeof deletePosts>>> {
  if (names.length === 0) return { deleted: 0, failed: [] };
  const outcome = await deletePosts(postsDir, names);
  const stillThere = new Set(outcome.failed.map((failure) => failure.name));
  store.journal.deletesDone(names.filter((name) => !stillThere.has(name)));
  return outcome;
}
