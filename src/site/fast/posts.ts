import { statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Hexo from 'hexo';
import { postHash } from '../../post/post-text.js';
import { isMoment, momentIso, type WarehouseModel } from '../hexo-tuning.js';
import type { BuildCache, CachedCategory, CachedPost } from './build-cache.js';
import { pageUrlFor } from './page-url.js';
import { type Helping, WorkQueue } from './work-queue.js';

/** A post file as the scan found it. */
export interface PostFile {
  name: string;
  size: number;
  mtimeMs: number;
}

/**
 * Shares the batches of posts to make with a build helper (build-helper.ts), which makes some of them from the
 * queue's other end into the same cache; resolves with its part in draining the queue (WorkQueue.drain).
 */
export type ShareBatches = (queue: WorkQueue<PostFile[]>, onMade: (posts: CachedPost[]) => void) => Promise<Helping>;

/** The posts' files as they are now, and what of them the cache already holds. */
export interface PostScan {
  /** Every post, in file-name order: cached ones as they were, changed and new ones as Hexo made them now. */
  posts: CachedPost[];
  /** Names of the posts made now (new or changed files). */
  changed: Set<string>;
  /** Names of the cached posts whose files are gone. */
  removed: string[];
}

/** Posts Hexo processes at once: its post processor looks every file up in all the posts it holds. */
const BATCH = 200;

/**
 * Brings the cache's posts up to date with the posts directory: a file whose size and modification time are as
 * cached is not read; a new or changed one goes through Hexo's own post processor and renderer (front matter,
 * dates in the site's timezone, permalink, categories, Markdown, the after_post_render filters), so the fast
 * build shows a post exactly as a full Hexo build does.
 */
export async function scanPosts(
  hexo: Hexo,
  cache: BuildCache,
  postsDir: string,
  /** The cache's posts as the last build in this process left them (memory.ts), instead of reading them. */
  known: ReadonlyMap<string, CachedPost> | null,
  share?: ShareBatches,
): Promise<PostScan> {
  const cached = known ?? new Map(cache.posts().map((post) => [post.name, post]));
  const files = await postFiles(postsDir);
  const fresh: PostFile[] = [];
  const posts: CachedPost[] = [];
  const touched: CachedPost[] = [];
  for (const file of files) {
    const known = cached.get(file.name);
    if (known && known.size === file.size && known.mtimeMs === file.mtimeMs) posts.push(known);
    // A fresh checkout (CI) or a copy gives every file a new time: the same text is the same post.
    else if (known && known.size === file.size && postHash(await readFile(join(postsDir, `${file.name}.md`), 'utf8')) === known.hash) {
      const post = { ...known, mtimeMs: file.mtimeMs };
      posts.push(post);
      touched.push(post);
    } else fresh.push(file);
  }
  if (touched.length > 0) {
    cache.transaction(() => {
      for (const post of touched) cache.retime(post);
    });
  }
  const present = new Set(files.map((file) => file.name));
  const removed = [...cached.keys()].filter((name) => !present.has(name));
  const made: CachedPost[] = [];
  const named = new Set<string>();
  const batches: PostFile[][] = [];
  for (let start = 0; start < fresh.length; start += BATCH) batches.push(fresh.slice(start, start + BATCH));
  const queue = new WorkQueue(batches);
  const helping = share && batches.length > 1 ? await share(queue, (posts) => made.push(...posts)) : undefined;
  await queue.drain(async (batch) => {
    made.push(...(await processBatch(hexo, cache, postsDir, batch, named)));
  }, helping);
  const all = [...posts, ...made].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { posts: all, changed: new Set(made.map((post) => post.name)), removed };
}

async function postFiles(postsDir: string): Promise<PostFile[]> {
  const names = (await readdir(postsDir).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.md') && !name.startsWith('.'))
    .sort();
  // One after another, synchronously: 20,000 stats a build, each cheaper than a promise handed to the thread pool.
  const files: PostFile[] = [];
  for (const file of names) {
    const found = statSync(join(postsDir, file), { throwIfNoEntry: false });
    if (found) files.push({ name: file.slice(0, -'.md'.length), size: found.size, mtimeMs: found.mtimeMs });
  }
  return files;
}

/**
 * Empties Hexo's post tables once a batch is cached. Removing the documents one by one would not do: warehouse
 * keeps a removed document's key (its value set to null) and every lookup walks all keys ever used, which made
 * processing 5,000 posts quadratic (warehouse/dist/model.js, `dataKeys`). posts.test.ts checks these internals.
 */
export function emptyPostModels(hexo: Hexo): void {
  for (const name of ['Post', 'PostCategory', 'PostTag']) {
    const model = hexo.model(name) as unknown as WarehouseModel;
    model.data = {};
    model._dataKeys = [];
    model.dirty = false;
    model.length = 0;
  }
  const indexes = (hexo as unknown as { _binaryRelationIndex: Record<string, { load(): void }> })._binaryRelationIndex;
  for (const index of Object.values(indexes)) index.load();
}

interface HexoDocument {
  _id: string;
  [field: string]: unknown;
  remove(): Promise<unknown>;
}

/**
 * Makes a batch of post files through Hexo's post processor and renderer into the cache; `named` holds the
 * categories this process saved already.
 */
export async function processBatch(
  hexo: Hexo,
  cache: BuildCache,
  postsDir: string,
  files: readonly PostFile[],
  named: Set<string>,
): Promise<CachedPost[]> {
  const source = (hexo as unknown as { source: { _processFile(type: string, path: string): Promise<unknown> } }).source;
  // Concurrently, as Hexo's box processes a directory: reading the files is most of the wait.
  await Promise.all(files.map((file) => source._processFile('create', `_posts/${file.name}.md`)));
  type PostDocument = HexoDocument & { categories: { toArray(): HexoDocument[] } };
  // The batch's documents in one pass (a findOne per file looked at half the batch each time), made from what
  // warehouse stores without the deep copy its lookups make of each (a twentieth of making a post): they are
  // the batch's alone, and dropped with it (emptyPostModels). posts.test.ts checks these internals.
  const bySource = new Map<string, PostDocument>();
  const Post = hexo.model('Post') as unknown as WarehouseModel<PostDocument>;
  for (const stored of Object.values(Post.data)) {
    if (!stored) continue;
    const post = Post.new(stored);
    bySource.set(String(post.source), post);
  }
  const made: Array<{ post: CachedPost; content: string; fieldsJson: string }> = [];
  const categories: CachedCategory[] = [];
  const permalinkOf = postPermalinks(hexo);
  for (const file of files) {
    const doc = bySource.get(`_posts/${file.name}.md`);
    if (!doc) throw new Error(`Hexo made no post of ${join(postsDir, `${file.name}.md`)}`);
    // What Hexo's render_post filter does before a generate.
    doc.content = doc._content;
    await hexo.post.render(String(doc.full_source), doc as never);
    const text = String(doc.raw ?? (await readFile(join(postsDir, `${file.name}.md`), 'utf8')));
    // Each read once: `path` (the post_permalink filter) reads `categories`, as this does below, and Hexo's
    // `permalink` reads `path` again. The document is the batch's alone.
    for (const virtual of ['categories', 'path']) Object.defineProperty(doc, virtual, { value: doc[virtual], enumerable: true });
    Object.defineProperty(doc, 'permalink', { value: permalinkOf(String(doc.path)), enumerable: true });
    const { fields, json: fieldsJson } = ownFields(doc);
    const post: CachedPost = {
      ...file,
      hash: postHash(text),
      fields,
      categories: doc.categories.toArray().map((category) => categoryChain(hexo, category, categories, named)),
    };
    made.push({ post, content: String(doc.content ?? ''), fieldsJson });
  }
  emptyPostModels(hexo);
  cache.transaction(() => {
    for (const category of categories) cache.saveCategory(category);
    for (const { post, content, fieldsJson } of made) cache.savePost(post, content, fieldsJson);
  });
  return made.map(({ post }) => post);
}

/**
 * A post's `permalink` as Hexo's virtual makes it from its `path` (hexo/dist/models/post.js: hexo-util's
 * full_url_for under the site's settings), through pageUrlFor where the site's pretty_urls leave URLs as they are:
 * full_url_for is ~35 µs a post, a third of a second of each process at 20,000 posts. posts.test.ts holds the two
 * to each other.
 */
export function postPermalinks(hexo: Hexo): (path: string) => string {
  const fullUrlFor = hexo.extend.helper.get('full_url_for') as (this: Hexo, path: string) => string;
  const hexoUrl = (path: string) => fullUrlFor.call(hexo, path);
  const pretty = hexo.config.pretty_urls as { trailing_index?: unknown; trailing_html?: unknown } | undefined;
  if (pretty?.trailing_index === false || pretty?.trailing_html === false) return hexoUrl;
  return pageUrlFor(String(hexo.config.url), hexoUrl);
}

/** Fields the model rebuilds itself, or reads when a page needs them. */
const NOT_KEPT = new Set(['_id', 'content', '_content', 'raw', 'categories', 'tags', 'prev', 'next', '__post']);

/**
 * The document's own fields as JSON: moments (date, updated) as ISO strings, marked to be made moments again; a
 * field that is the post's content (Hexo's `more` of a post without an excerpt) marked to be read with it,
 * not held twice (the content is most of a post's bytes).
 *
 * `fields` are read back from that JSON, which is what a later build reads from the cache: Hexo's values are
 * slices of the post file's text, which each would keep whole, in an object V8 would hold as a hash table.
 * `json` is what the cache saves, so that the fields are not written as JSON a second time (~0.1 s a process
 * at 20,000 posts).
 */
function ownFields(doc: HexoDocument): { fields: Record<string, unknown>; json: string } {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(doc)) {
    if (NOT_KEPT.has(key)) continue;
    const value = doc[key];
    if (typeof value === 'function') continue;
    fields[key] = isMoment(value) ? { $moment: momentIso(value) } : value === doc.content && value !== '' ? { $content: true } : value;
  }
  const json = JSON.stringify(fields);
  return { fields: JSON.parse(json) as Record<string, unknown>, json };
}

/** A category's key (its names from the top, see categoryKey); what Hexo named it and its parents, new ones, in `found`. */
function categoryChain(hexo: Hexo, category: HexoDocument, found: CachedCategory[], named: Set<string>): string {
  const Category = hexo.model('Category');
  const chain: HexoDocument[] = [];
  for (
    let current: HexoDocument | undefined = category;
    current;
    current = current.parent ? (Category.findById(String(current.parent)) as never) : undefined
  ) {
    chain.unshift(current);
  }
  let parent: string | null = null;
  for (const level of chain) {
    const key = categoryKey([...(parent ? parent.split('\u0000') : []), String(level.name)]);
    if (!named.has(key)) {
      named.add(key);
      found.push({
        key,
        name: String(level.name),
        slug: String(level.slug),
        path: String(level.path),
        permalink: String(level.permalink),
        parent,
      });
    }
    parent = key;
  }
  return parent!;
}

/** A category's names from the top level down, as one string: the same category in every build. */
export function categoryKey(names: readonly string[]): string {
  return names.join('\u0000');
}
