import { carriesId } from '../post/front-matter.js';
import { deletePosts, readPost } from '../post/files.js';
import { postHash } from '../post/post-text.js';
import type { ItemRecord } from '../store/items.js';
import type { StateStore } from '../store/state.js';

/**
 * Settles what a run that did not finish (killed, or stopped by a failing write) left between the post files
 * and the state, from the journal (commit.ts): a new post on disk that the state does not record yet is adopted
 * as it is — same file, same date — so the item is not published again beside it; a copy of an item recorded
 * under another file, and a pruned post still on disk, are deleted. Cheap when there is nothing to settle: one query.
 */
export async function settleInterruptedRun(store: StateStore, postsDir: string): Promise<void> {
  const pending = store.journal.pending();
  if (pending.posts.length === 0 && pending.deletes.length === 0) return;
  const adopted: Array<{ record: ItemRecord; mirroredImages: string[] }> = [];
  const strays = pending.deletes.filter((name) => store.items.fileOwner(name) === undefined);
  for (const post of pending.posts) {
    const text = await readPost(postsDir, post.file);
    if (text === null || !carriesId(text, post.itemId)) continue; // never written
    if (store.items.fileOwner(post.file) !== undefined) continue;
    if (store.items.get(post.itemId)) {
      strays.push(post.file);
      continue;
    }
    const { file, itemId: id, sourceKey, linkKey, date, firstSeen } = post;
    // An empty item hash: the item is prepared again when next seen, and its post rewritten in place if it changed.
    adopted.push({
      record: { id, sourceKey, linkKey, file, date, firstSeen, itemHash: '', postHash: postHash(text) },
      mirroredImages: post.mirroredImages,
    });
  }
  // Files first, then the notes: a run killed in between finds the same notes and does the same again.
  const undeleted = (await deletePosts(postsDir, strays)).failed.map((failure) => failure.name);
  store.transaction(() => {
    for (const { record, mirroredImages } of adopted) {
      store.items.save(record);
      store.items.setMirroredImages(record.id, mirroredImages);
    }
    store.journal.postsRecorded();
    store.journal.deletesDone(pending.deletes);
    store.journal.noteDeletes(undeleted);
  });
}
