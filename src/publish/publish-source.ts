import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { clipText, plainText } from '../feed/text.js';
import { itemId, linkKey } from '../identity.js';
import type { Article, FeedItem } from '../item.js';
import { postHash } from '../store/rebuild.js';
import type { ItemRow, PendingPost, StateStore } from '../store/state.js';
import { postBaseName, uniqueName } from './filename.js';
import { plainOrQuoted, type PostFrontMatter } from './front-matter.js';
import { renderPost } from './post.js';
import { themeFrontMatter } from './theme-front-matter.js';
import type { ThemeKey } from '../theme-profiles.js';
import { postsToKeep, type RetentionRule } from './retention.js';
import { writeFilesAtomic } from './write.js';

/** Bump when the post text newsstand writes for the same item changes, so existing posts are rewritten. */
const RENDER_VERSION = '4';

export interface PublishTarget {
  store: StateStore;
  postsDir: string;
  filenamePattern: string;
  dryRun: boolean;
  now: number;
}

export interface SourcePostSettings {
  key: string;
  /** Author fallback and `:source` in file names. */
  name: string;
  categories: string[];
  comments: boolean;
  retention: RetentionRule;
  /**
   * The retention rule changed since the feed was last read: items it pruned, or never wrote, are weighed
   * again, so a raised `maxItems` brings them back.
   */
  retentionChanged?: boolean;
  /** Everything else that shapes the post's HTML (image options…): a change rewrites the posts. */
  contentSettings: unknown;
  /** The front-matter keys the site's theme reads (theme-profiles.ts): a change rewrites the posts. */
  themeKeys: readonly ThemeKey[];
}

export interface PublishCounts {
  created: number;
  updated: number;
  pruned: number;
  unchanged: number;
  duplicates: number;
  /** Items in the feed not published because they are older than `retention.maxAge`. */
  tooOld: number;
  /** Items in the feed not published because newer ones fill `retention.maxItems`. */
  beyondMaxItems: number;
}

export interface PublishResult {
  counts: PublishCounts;
  /** Items published with less than asked for (feed content instead of full text, remote images), and why. */
  contentProblems: { items: number; last: string };
  /** Some item's full text is worth another try: the next run must read the feed in full. */
  retryLater: boolean;
}

/** Items prepared at once: preparing may wait on the network (full text, images). */
const PREPARE_CONCURRENCY = 8;

interface Candidate {
  id: string;
  item: FeedItem;
  row: ItemRow | undefined;
  date: number;
  itemHash: string;
}

/**
 * Publishes one source's items: new items become posts, changed ones are rewritten in place (same file,
 * same date), items already published elsewhere are skipped, and retention prunes. Only new and changed
 * items are prepared (cleaned), so a run over an unchanged feed costs one hash per item. Post files are
 * written before the state records them, and the state forgets a post before its file is deleted, so the
 * state never claims a post that is not on disk. What a killed run leaves between the two (a new post not
 * recorded yet, a forgotten post not deleted yet) is noted in the state first and settled by the next run.
 */
export async function publishSource(
  target: PublishTarget,
  source: SourcePostSettings,
  items: FeedItem[],
  prepare: (item: FeedItem, id: string) => Promise<Article>,
): Promise<PublishResult> {
  const { store, now } = target;
  if (!target.dryRun) await settleInterruptedRun(store, target.postsDir);
  const counts: PublishCounts = { created: 0, updated: 0, pruned: 0, unchanged: 0, duplicates: 0, tooOld: 0, beyondMaxItems: 0 };
  const cutoff = now - source.retention.maxAgeMs;
  const settings = settingsHash(source);
  const candidates = new Map<string, Candidate>();
  const claimedLinks = new Set<string>();
  // The first item with an id is the one it stands for, whatever becomes of it; a later one with the same guid
  // (RSSHub's /test/complicated has several) is ignored, or the two would take turns rewriting the post.
  const seenIds = new Set<string>();

  for (const item of items) {
    const id = itemId(source.key, item);
    if (seenIds.has(id)) continue;
    seenIds.add(id);
    const stored = store.item(id);
    if (stored && stored.file === null && !source.retentionChanged) {
      // Pruned before, or never written: stays so while the rule that decided it stands.
      if (stored.date < cutoff) counts.tooOld++;
      else counts.beyondMaxItems++;
      continue;
    }
    const row = stored?.file === null ? undefined : stored;
    const itemHash = hashItem(item, settings);
    if (row && row.item_hash === itemHash && row.source_key === source.key) {
      counts.unchanged++;
      continue;
    }
    const key = linkKey(item.link);
    if (!row && key) {
      const owner = store.itemByLink(key);
      if ((owner && owner.id !== id) || claimedLinks.has(key)) {
        counts.duplicates++; // the same article from another source, or twice in this one: first one wins
        continue;
      }
      claimedLinks.add(key);
    }
    const date = row ? row.date : (item.published ?? item.updated)?.getTime() ?? now;
    candidates.set(id, { id, item, row, date: Math.floor(date / 1000) * 1000, itemHash });
  }

  const existing = store.livePosts(source.key);
  // Posts recognised from disk after the state was lost belong to no source yet: retention counts them for the
  // source whose items they are, or a lost state would let items pruned long ago back in beside them.
  for (const { id, row } of candidates.values()) {
    if (row?.file && row.source_key === '') existing.push({ id, file: row.file, date: row.date });
  }
  const incoming = [...candidates.values()].filter((c) => !c.row).map((c) => ({ id: c.id, date: c.date }));
  const keep = postsToKeep([...existing, ...incoming], source.retention, now);
  const prunedPosts = existing.filter((post) => !keep.has(post.id));

  const rows: ItemRow[] = [];
  const toWrite: Array<Candidate & { file: string }> = [];
  const reservedNames = new Set<string>();
  for (const candidate of candidates.values()) {
    const { id, item, row } = candidate;
    if (!row && !keep.has(id)) {
      // Too old to keep, or beyond maxItems: remember it without ever writing it.
      if (candidate.date >= cutoff) {
        counts.beyondMaxItems++;
        rows.push(tombstone(candidate, source.key, now));
      } else {
        counts.tooOld++;
      }
      continue;
    }
    if (row && !keep.has(id)) continue; // about to be pruned
    const file =
      row?.file ??
      uniqueName(postBaseName(target.filenamePattern, { date: new Date(candidate.date), id, title: item.title, source: source.name }), (name) =>
        reservedNames.has(name) || isTakenByOther(store, target.postsDir, name, id));
    reservedNames.add(file);
    toWrite.push({ ...candidate, file });
  }

  const writes: Array<{ path: string; text: string }> = [];
  const pendingPosts: PendingPost[] = [];
  const itemImages: Array<[string, string[]]> = [];
  const contentProblems = { items: 0, last: '' };
  let retryLater = false;
  const articles = await mapConcurrently(toWrite, PREPARE_CONCURRENCY, (candidate) => prepare(candidate.item, candidate.id));
  for (const [index, candidate] of toWrite.entries()) {
    const { id, item, row, file } = candidate;
    const article = articles[index]!;
    if (article.problems.length > 0) {
      contentProblems.items++;
      contentProblems.last = `${item.link || item.title}: ${article.problems.join('; ')}`;
    }
    retryLater ||= article.retryLater;
    const text = renderPost(frontMatter(article, source, candidate.date), article.html);
    const hash = postHash(text);
    if (row?.post_hash !== hash) {
      writes.push({ path: join(target.postsDir, `${file}.md`), text });
      if (row) counts.updated++;
      else {
        counts.created++;
        pendingPosts.push({ file, item_id: id, source_key: source.key, link_key: linkKey(item.link), date: candidate.date, first_seen: now, images: JSON.stringify(article.images) });
      }
    } else {
      counts.unchanged++;
    }
    itemImages.push([id, article.images]);
    rows.push({
      id,
      source_key: source.key,
      link_key: linkKey(item.link),
      file,
      date: candidate.date,
      first_seen: row?.first_seen ?? now,
      // An item waiting for another full-text attempt is prepared again on the next run.
      item_hash: article.retryLater ? '' : candidate.itemHash,
      post_hash: hash,
    });
  }
  counts.pruned = prunedPosts.length;
  const result = { counts, contentProblems, retryLater };
  if (target.dryRun) return result;

  store.notePendingPosts(pendingPosts);
  await writeFilesAtomic(writes);
  store.transaction(() => {
    for (const row of rows) store.saveItem(row);
    for (const [id, files] of itemImages) store.setItemImages(id, files);
    for (const post of prunedPosts) store.markPruned(post.id);
    store.forgetPrunedBefore(source.key, cutoff);
    // This source's new posts are recorded now; its pruned ones are to be deleted next.
    store.clearPending(prunedPosts.map((post) => post.file!));
  });
  if (prunedPosts.length > 0) store.clearPending(await removePosts(target.postsDir, prunedPosts.map((post) => post.file!)));
  return result;
}

/**
 * Settles what a run that did not finish (killed, or stopped by a failing write) left between the post files
 * and the state: a new post on disk that the state does not record yet is adopted as it is — same file, same
 * date — so the item is not published again beside it; a copy of an item recorded under another file, and a
 * pruned post still on disk, are deleted. Cheap when there is nothing to settle: one query.
 */
async function settleInterruptedRun(store: StateStore, postsDir: string): Promise<void> {
  const pending = store.pending();
  if (pending.posts.length === 0 && pending.deletes.length === 0) return;
  const adopted: Array<{ row: ItemRow; images: string[] }> = [];
  const strays = pending.deletes.filter((file) => store.fileOwner(file) === undefined);
  for (const post of pending.posts) {
    const text = await readFile(join(postsDir, `${post.file}.md`), 'utf8').catch(() => null);
    if (text === null || !carriesId(text, post.item_id)) continue; // never written
    if (store.fileOwner(post.file) !== undefined) continue;
    if (store.item(post.item_id)) {
      strays.push(post.file);
      continue;
    }
    const { file, item_id: id, source_key, link_key, date, first_seen } = post;
    // An empty item hash: the item is prepared again when next seen, and its post rewritten in place if it changed.
    adopted.push({ row: { id, source_key, link_key, file, date, first_seen, item_hash: '', post_hash: postHash(text) }, images: JSON.parse(post.images) as string[] });
  }
  // Files first, then the notes: a run killed in between finds the same notes and does the same again.
  const undeleted = await removePosts(postsDir, strays);
  store.transaction(() => {
    for (const { row, images } of adopted) {
      store.saveItem(row);
      store.setItemImages(row.id, images);
    }
    store.clearPending(undeleted);
  });
}

/** Deletes post files; returns those that could not be deleted (and are still there), to try again next run. */
async function removePosts(postsDir: string, files: readonly string[]): Promise<string[]> {
  const failed: string[] = [];
  for (const file of files) {
    await unlink(join(postsDir, `${file}.md`)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') failed.push(file);
    });
  }
  return failed;
}

/** Whether a post file is the one newsstand wrote for this item (its front matter names the id as the writer does). */
function carriesId(text: string, id: string): boolean {
  return text.includes(`\nnewsstand_id: ${plainOrQuoted(id)}\n`);
}

/** `work` over every entry, at most `limit` at a time; results in the entries' order. */
async function mapConcurrently<T, R>(entries: T[], limit: number, work: (entry: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(entries.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < entries.length; index = next++) results[index] = await work(entries[index]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, entries.length) }, worker));
  return results;
}

function frontMatter(article: Article, source: SourcePostSettings, date: number): PostFrontMatter {
  const { item } = article;
  // Always written: without it Hexo takes the file's modification time, and themes show the sync time as
  // the post's update.
  const updated = item.updated && item.updated.getTime() - date >= 1000 ? item.updated : new Date(date);
  const author = item.author || source.name;
  return {
    title: article.title || untitled(article.html),
    categories: source.categories,
    headimg: article.leadImage,
    author,
    comments: source.comments,
    date: new Date(date),
    thumbnail: article.leadImage,
    updated,
    original_url: item.link,
    newsstand_id: article.id,
    theme: themeFrontMatter(source.themeKeys, { article, author }),
  };
}

/** Items without a title (social posts, microblogs) are titled with the start of their text. */
function untitled(html: string): string {
  const text = plainText(html);
  return clipText(text, 61) || 'Untitled';
}

/** A file name belongs to another post when the state says so, or an unrecorded file on disk says so. */
function isTakenByOther(store: StateStore, postsDir: string, name: string, id: string): boolean {
  const owner = store.fileOwner(name);
  if (owner !== undefined) return owner !== id;
  const path = join(postsDir, `${name}.md`);
  // Most names are free: one stat, rather than a failed read building an error per new post.
  if (!existsSync(path)) return false;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // A directory of that name is in the way. Anything else (no such file, the posts directory itself gone or
    // unreadable) is for the write to report: counting it as taken would try names for ever.
    return (error as NodeJS.ErrnoException).code === 'EISDIR';
  }
  // A post written by a run killed before it updated the state is ours to reuse; anything else is not.
  return !carriesId(text, id);
}

function tombstone(candidate: Candidate, sourceKey: string, now: number): ItemRow {
  return { id: candidate.id, source_key: sourceKey, link_key: linkKey(candidate.item.link), file: null, date: candidate.date, first_seen: now, item_hash: candidate.itemHash, post_hash: '' };
}

function settingsHash(source: SourcePostSettings): string {
  return JSON.stringify([RENDER_VERSION, source.name, source.categories, source.comments, source.contentSettings, source.themeKeys]);
}

function hashItem(item: FeedItem, settings: string): string {
  return createHash('sha256').update(settings).update('\u0000').update(JSON.stringify(item)).digest('hex').slice(0, 32);
}
