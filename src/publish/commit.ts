import { UserError } from '../errors.js';
import { deletePosts, postPath, writeFilesAtomic } from '../post/files.js';
import type { ItemRecord, LivePost } from '../store/items.js';
import type { PendingPost } from '../store/journal.js';
import type { StateStore } from '../store/state.js';

/** What one source's publishing changes, decided and rendered, not yet done. */
export interface PublishCommit {
  sourceKey: string;
  /** Posts to write: new ones and changed ones. */
  writes: Array<{ name: string; text: string }>;
  /** The new posts among them, noted in the journal before any is written. */
  newPosts: PendingPost[];
  /** Items to record: written ones and tombstones. */
  records: ItemRecord[];
  /** The mirrored images each written post shows. */
  mirroredImages: Array<[itemId: string, files: string[]]>;
  prune: LivePost[];
  /** Pruned items older than this are forgotten. */
  forgetBefore: number;
}

/**
 * Does it in the one order that keeps the state honest through a crash at any point: the new posts are noted in
 * the journal, the files are written, the state records them and forgets the pruned posts in one transaction
 * (noting their files), then those files are deleted. The state never claims a post that is not on disk; what
 * a killed run leaves between two steps is in the journal, for recover.ts.
 */
export async function commitPublish(store: StateStore, postsDir: string, commit: PublishCommit): Promise<void> {
  store.journal.notePosts(commit.newPosts);
  await writeFilesAtomic(commit.writes.map(({ name, text }) => ({ path: postPath(postsDir, name), text })));
  const pruned = commit.prune.map((post) => post.file);
  store.transaction(() => {
    for (const record of commit.records) store.items.save(record);
    for (const [id, files] of commit.mirroredImages) store.items.setMirroredImages(id, files);
    for (const post of commit.prune) store.items.markPruned(post.id);
    store.items.forgetPrunedBefore(commit.sourceKey, commit.forgetBefore);
    store.journal.postsRecorded();
    store.journal.noteDeletes(pruned);
  });
  await deleteNoted(store, postsDir, pruned);
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
