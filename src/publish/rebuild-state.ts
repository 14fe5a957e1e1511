import { STORED_IMAGE_NAME } from '../content/mirror/image-store.js';
import { linkKey } from '../item-identity.js';
import { readPostFacts } from '../post/front-matter.js';
import { listPosts, readPost } from '../post/files.js';
import { postHash } from '../post/post-text.js';
import type { ItemRecord } from '../store/items.js';
import type { StateStore } from '../store/state.js';

/**
 * Refills a new state database from the posts on disk (their `newsstand_id` and `original_url`, and the
 * mirrored images they show), so that deleting the database never makes the next run publish anything
 * twice nor delete an image a post still shows. Posts newsstand did not write are left alone. Returns how
 * many posts were recognised.
 */
export async function rebuildStateFromPosts(
  store: StateStore,
  postsDir: string,
  now: number,
  imagesUrlPrefix = '/images/',
): Promise<number> {
  const mirrored = new RegExp(`["']${escapeRegExp(imagesUrlPrefix)}(${STORED_IMAGE_NAME})["']`, 'g');
  const mirroredImages: Array<[string, string[]]> = [];
  const records: ItemRecord[] = [];
  for (const name of await listPosts(postsDir)) {
    const text = await readPost(postsDir, name);
    if (text === null) continue;
    const facts = readPostFacts(text);
    if (!facts) continue;
    records.push({
      id: facts.id,
      sourceKey: '',
      linkKey: linkKey(facts.link),
      file: name,
      date: facts.date ?? now,
      firstSeen: facts.date ?? now,
      itemHash: '',
      postHash: postHash(text),
    });
    mirroredImages.push([facts.id, [...new Set(Array.from(text.matchAll(mirrored), (match) => match[1]!))]]);
  }
  store.transaction(() => {
    for (const record of records) store.items.save(record);
    for (const [id, files] of mirroredImages) store.items.setMirroredImages(id, files);
  });
  return records.length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
