import type { Article, FeedItem } from '../item.js';
import { nameTakenOnDisk, type PostsListing } from '../post/files.js';
import { postHash } from '../post/post-text.js';
import type { PendingPost } from '../store/journal.js';
import type { StateStore } from '../store/state.js';
import { PublishCommit, type PublishRecords } from './commit.js';
import { planPublish, type PostToWrite } from './plan.js';
import { settleInterruptedRun } from './recover.js';
import { renderArticle, type PostSource } from './render.js';
import type { RetentionRule } from './retention.js';

export interface PublishTarget {
  store: StateStore;
  postsDir: string;
  /** The posts directory's names as the run found them (preparePostsDir); null: look on disk. */
  postsListing: PostsListing;
  filenamePattern: string;
  dryRun: boolean;
  now: number;
}

export interface SourcePostSettings extends PostSource {
  key: string;
  retention: RetentionRule;
  /** The retention rule changed since the feed was last read: items it kept out are weighed again. */
  retentionChanged: boolean;
  /** What shapes its posts besides their items (fingerprint.ts postSettings). */
  settings: string;
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

/** Rendered posts handed to the disk together: their journal notes are one SQLite transaction. */
const WRITE_BATCH = 50;

/**
 * Publishes one source's items: settles what a killed run left (recover.ts), plans what to write, tombstone and
 * prune (plan.ts, from the state alone), prepares and renders only the new and changed items — so a run over an
 * unchanged feed costs one hash per item — and commits it all in crash-safe order (commit.ts), writing the posts
 * as they are rendered.
 */
export async function publishSource(
  target: PublishTarget,
  source: SourcePostSettings,
  items: FeedItem[],
  prepare: (item: FeedItem, id: string) => Promise<Article>,
): Promise<PublishResult> {
  const { store, postsDir, now } = target;
  if (!target.dryRun) await settleInterruptedRun(store, postsDir);
  const plan = planPublish({
    sourceKey: source.key,
    sourceName: source.name,
    items,
    settings: source.settings,
    retention: source.retention,
    retentionChanged: source.retentionChanged,
    filenamePattern: target.filenamePattern,
    now,
    published: store.items,
    nameTaken: (name, id) => {
      const owner = store.items.fileOwner(name);
      return owner !== undefined ? owner !== id : nameTakenOnDisk(postsDir, name, id, target.postsListing);
    },
  });
  const commit = target.dryRun ? null : new PublishCommit(store, postsDir, plan.write.length);
  let batch: Array<{ rendered: RenderedPost; text: string }> = [];
  const handOver = () => {
    commit?.write(
      batch.map(({ rendered, text }) => ({ name: rendered.post.name, text })),
      batch.filter(({ rendered }) => !rendered.post.record).map(({ rendered }) => pendingPost(rendered, source.key, now)),
    );
    batch = [];
  };
  const posts = await mapConcurrently(plan.write, PREPARE_CONCURRENCY, async (post) => {
    const { rendered, text } = renderOne(post, await prepare(post.item, post.id), source);
    if (rendered.changed) batch.push({ rendered, text });
    if (batch.length >= WRITE_BATCH) handOver();
    return rendered;
  });
  if (batch.length > 0) handOver();
  const { records, counts, contentProblems, retryLater } = summarize(posts, source.key, now);
  const result = {
    counts: { ...plan.counts, ...counts, unchanged: plan.counts.unchanged + counts.unchanged },
    contentProblems,
    retryLater,
  };
  if (!commit) return result;
  await commit.finish({
    ...records,
    sourceKey: source.key,
    records: [...records.records, ...plan.tombstones],
    prune: plan.prune,
    forgetBefore: plan.forgetBefore,
  });
  return result;
}

/**
 * A post rendered from its prepared article, as the state and the report need it once its text is handed over;
 * `changed` unless its text is as last written (then it is not written again). Its text and its article's HTML
 * are not kept: held to the end, 2,000 posts' were ~35 MB more that the collector carried from space to space.
 */
interface RenderedPost {
  post: PostToWrite;
  article: Pick<Article, 'problems' | 'retryLater' | 'mirroredImages'>;
  hash: string;
  changed: boolean;
}

function renderOne(post: PostToWrite, article: Article, source: SourcePostSettings): { rendered: RenderedPost; text: string } {
  const text = renderArticle(article, source, post.date);
  const hash = postHash(text);
  const { problems, retryLater, mirroredImages } = article;
  return { rendered: { post, article: { problems, retryLater, mirroredImages }, hash, changed: post.record?.postHash !== hash }, text };
}

/** The journal's note of a new post, taken before its file is written. */
function pendingPost({ post, article }: RenderedPost, sourceKey: string, now: number): PendingPost {
  return {
    file: post.name,
    itemId: post.id,
    sourceKey,
    linkKey: post.linkKey,
    date: post.date,
    firstSeen: now,
    mirroredImages: article.mirroredImages,
  };
}

/** What the rendered posts change in the state, and what to report of them, in the plan's order. */
function summarize(posts: RenderedPost[], sourceKey: string, now: number) {
  const records: Pick<PublishRecords, 'records' | 'mirroredImages'> = { records: [], mirroredImages: [] };
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const contentProblems = { items: 0, last: '' };
  let retryLater = false;
  for (const { post, article, hash, changed } of posts) {
    const { id, item, record, name, date } = post;
    if (article.problems.length > 0) {
      contentProblems.items++;
      contentProblems.last = `${item.link || item.title}: ${article.problems.join('; ')}`;
    }
    retryLater ||= article.retryLater;
    if (!changed) counts.unchanged++;
    else if (record) counts.updated++;
    else counts.created++;
    records.mirroredImages.push([id, article.mirroredImages]);
    // An item waiting for another full-text attempt is prepared again on the next run.
    const itemHash = article.retryLater ? '' : post.itemHash;
    records.records.push({
      id,
      sourceKey,
      linkKey: post.linkKey,
      file: name,
      date,
      firstSeen: record?.firstSeen ?? now,
      itemHash,
      postHash: hash,
    });
  }
  return { records, counts, contentProblems, retryLater };
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
