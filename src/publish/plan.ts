import { hash } from 'node:crypto';
import { itemId, linkKey } from '../item-identity.js';
import type { FeedItem } from '../item.js';
import { postBaseName, uniqueName } from '../post/file-name.js';
import type { ItemRecord, LivePost } from '../store/items.js';
import { postsToKeep, type RetentionRule } from './retention.js';

/** What the plan needs to know of what was published before: the state's items, read-only. */
export interface PublishedItems {
  get(id: string): ItemRecord | undefined;
  byLink(linkKey: string): ItemRecord | undefined;
  livePosts(sourceKey: string): LivePost[];
}

export interface PlanInput {
  sourceKey: string;
  /** The source's name, for `:source` in file names. */
  sourceName: string;
  items: readonly FeedItem[];
  /** What shapes a post besides its item (fingerprint.ts postSettings): part of each item's hash. */
  settings: string;
  retention: RetentionRule;
  /** The retention rule changed since the feed was last read: items it kept out are weighed again. */
  retentionChanged: boolean;
  filenamePattern: string;
  now: number;
  published: PublishedItems;
  /** Whether a file name is taken by another item's post (the state's, or a file on disk). */
  nameTaken(name: string, id: string): boolean;
}

/** An item to prepare and write: new (no `record`) or changed (its post is rewritten in place). */
export interface PostToWrite {
  id: string;
  item: FeedItem;
  record: ItemRecord | undefined;
  /** The post's date (ms, whole seconds): fixed for its life. */
  date: number;
  itemHash: string;
  /** The item's link as compared across sources (item-identity.ts linkKey). */
  linkKey: string;
  /** The post's name (file name without `.md`): kept for its life. */
  name: string;
}

export interface PublishPlan {
  write: PostToWrite[];
  /** Items remembered without ever being written: newer ones fill `maxItems`. */
  tombstones: ItemRecord[];
  /** Posts retention prunes now. */
  prune: LivePost[];
  /** Items older than any kept post: forgotten, with what was remembered of them before this date. */
  forgetBefore: number;
  counts: { unchanged: number; duplicates: number; tooOld: number; beyondMaxItems: number; pruned: number };
}

/**
 * Decides what one run does with a source's items, from the items and the state alone: new items become posts,
 * changed ones are rewritten in place (same name, same date), items another source (or an earlier item of this
 * feed) published are skipped, and retention decides — before anything is written — which posts stay, which are
 * pruned and which items are never written. Writes nothing.
 */
export function planPublish(input: PlanInput): PublishPlan {
  const { sourceKey, published, now } = input;
  const counts = { unchanged: 0, duplicates: 0, tooOld: 0, beyondMaxItems: 0, pruned: 0 };
  const cutoff = now - input.retention.maxAgeMs;
  const candidates = new Map<string, Omit<PostToWrite, 'name'>>();
  const claimedLinks = new Set<string>();
  // The first item with an id is the one it stands for, whatever becomes of it; a later one with the same guid
  // (RSSHub's /test/complicated has several) is ignored, or the two would take turns rewriting the post.
  const seenIds = new Set<string>();

  for (const item of input.items) {
    const id = itemId(sourceKey, item);
    if (seenIds.has(id)) continue;
    seenIds.add(id);
    const stored = published.get(id);
    if (stored && stored.file === null && !input.retentionChanged) {
      // Pruned before, or never written: stays so while the rule that decided it stands.
      if (stored.date < cutoff) counts.tooOld++;
      else counts.beyondMaxItems++;
      continue;
    }
    const record = stored?.file === null ? undefined : stored;
    const itemHash = hashItem(item, input.settings);
    if (record && record.itemHash === itemHash && record.sourceKey === sourceKey) {
      counts.unchanged++;
      continue;
    }
    const key = linkKey(item.link);
    if (!record && key) {
      const owner = published.byLink(key);
      if ((owner && owner.id !== id) || claimedLinks.has(key)) {
        counts.duplicates++; // the same article from another source, or twice in this one: first one wins
        continue;
      }
      claimedLinks.add(key);
    }
    const date = record ? record.date : ((item.published ?? item.updated)?.getTime() ?? now);
    candidates.set(id, { id, item, record, date: Math.floor(date / 1000) * 1000, itemHash, linkKey: key });
  }

  const existing = published.livePosts(sourceKey);
  // Posts recognised from disk after the state was lost belong to no source yet: retention counts them for the
  // source whose items they are, or a lost state would let items pruned long ago back in beside them.
  for (const { id, record } of candidates.values()) {
    if (record?.file && record.sourceKey === '') existing.push({ id, file: record.file, date: record.date });
  }
  const incoming = [...candidates.values()].filter((candidate) => !candidate.record).map(({ id, date }) => ({ id, date }));
  const keep = postsToKeep([...existing, ...incoming], input.retention, now);
  const prune = existing.filter((post) => !keep.has(post.id));
  counts.pruned = prune.length;

  const write: PostToWrite[] = [];
  const tombstones: ItemRecord[] = [];
  const reservedNames = new Set<string>();
  for (const candidate of candidates.values()) {
    const { id, item, record } = candidate;
    if (!record && !keep.has(id)) {
      // Too old to keep, or beyond maxItems: remember it without ever writing it.
      if (candidate.date >= cutoff) {
        counts.beyondMaxItems++;
        tombstones.push({
          id,
          sourceKey,
          linkKey: candidate.linkKey,
          file: null,
          date: candidate.date,
          firstSeen: now,
          itemHash: candidate.itemHash,
          postHash: '',
        });
      } else {
        counts.tooOld++;
      }
      continue;
    }
    if (record && !keep.has(id)) continue; // about to be pruned
    const name =
      record?.file ??
      uniqueName(
        postBaseName(input.filenamePattern, { date: new Date(candidate.date), id, title: item.title, source: input.sourceName }),
        (taken) => reservedNames.has(taken) || input.nameTaken(taken, id),
      );
    reservedNames.add(name);
    write.push({ ...candidate, name });
  }
  return { write, tombstones, prune, forgetBefore: cutoff, counts };
}

function hashItem(item: FeedItem, settings: string): string {
  return hash('sha256', `${settings}\u0000${JSON.stringify(item)}`, 'hex').slice(0, 32);
}
