import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type Hexo from 'hexo';
import type { Moment } from '../hexo-tuning.js';
import type { BuildCache, CachedCategory, CachedPost } from './build-cache.js';
import type { BuildMemory } from './memory.js';
import { Query } from './query.js';

const require = createRequire(import.meta.url);
/** Hexo's own moment (moment-timezone): posts' dates are made with it, as Hexo's database makes them. */
const { moment } = require('hexo/dist/plugins/helper/date') as { moment: (value: unknown) => Moment };

/** A post as layouts, helpers and generators see it: Hexo's post document, as plain data. */
export interface SitePost {
  _id: string;
  /** What the post's page was made from (the file's hash), for digests; not a Hexo field. */
  readonly __hash: string;
  categories: Query<SiteCategory>;
  tags: Query<never>;
  content: string;
  raw: string;
  date: Moment;
  path: string;
  [field: string]: unknown;
}

export interface SiteCategory {
  _id: string;
  name: string;
  slug: string;
  path: string;
  permalink: string;
  parent?: string;
  posts: Query<SitePost>;
  length: number;
}

/** What Hexo gives generators as `locals` and layouts as `site`. */
export interface SiteLocals {
  posts: Query<SitePost>;
  pages: Query<never>;
  categories: Query<SiteCategory>;
  tags: Query<never>;
  data: Record<string, unknown>;
}

/** The model of the cache's posts and categories, as Hexo's generators and layouts read it. */
export function cachedSiteModel(options: {
  hexo: Hexo;
  cache: BuildCache;
  posts: readonly CachedPost[];
  categories: readonly CachedCategory[];
  postsDir: string;
  now: number;
  memory?: BuildMemory;
}): SiteLocals {
  const { cache } = options;
  return siteModel({
    posts: options.posts,
    categories: options.categories,
    postsDir: options.postsDir,
    content: (name) => cache.content(name),
    future: options.hexo.config.future !== false,
    now: options.now,
    made: options.memory?.madePosts,
  });
}

/**
 * The site as Hexo's generators and layouts read it, made from the build cache: posts with their dates as
 * moments, their categories, and their content and raw text read only when something reads them.
 */
export function siteModel(options: {
  posts: readonly CachedPost[];
  categories: readonly CachedCategory[];
  postsDir: string;
  content: (name: string) => string;
  /** Hexo's `future: false` keeps posts dated after now off the site. */
  future: boolean;
  now: number;
  /** The posts an earlier model of this process made (a kept worker's, memory.ts): reused for the same cache entries. */
  made?: MadePosts;
}): SiteLocals {
  options.made?.readContentWith(options.content);
  // A page reads its post's content more than once (its data is copied, `more` is the content too): the last few
  // are kept, not every post's (100,000 posts' texts would not fit a CI runner's heap).
  const recent = new RecentTexts(64);
  const content = (name: string) => recent.get(name, () => options.content(name));
  const categories = new Map<string, SiteCategory>();
  const members = new Map<string, SitePost[]>();
  for (const cached of options.categories) {
    categories.set(cached.key, {
      _id: idOf(cached.key),
      name: cached.name,
      slug: cached.slug,
      path: cached.path,
      permalink: cached.permalink,
      ...(cached.parent ? { parent: idOf(cached.parent) } : {}),
      posts: new Query([]),
      length: 0,
    });
    members.set(cached.key, []);
  }
  const posts: SitePost[] = [];
  for (const cached of options.posts) {
    const post = options.made
      ? options.made.post(cached, options.postsDir)
      : sitePost(cached, { postsDir: options.postsDir, content }).post;
    post.categories = new Query(postCategories(cached, categories));
    if (!options.future && post.date.valueOf() > options.now) continue;
    posts.push(post);
    for (const key of cached.categories) {
      for (let level: string | undefined = key; level !== undefined; level = parentOf(level)) members.get(level)?.push(post);
    }
  }
  for (const [key, category] of categories) {
    const list = members.get(key)!;
    category.posts = new Query(dedupe(list));
    category.length = category.posts.length;
  }
  return { posts: new Query(posts), pages: new Query([]), categories: new Query([...categories.values()]), tags: new Query([]), data: {} };
}

/**
 * The posts of the models a long-lived process made, by the cache entry they were made from: a post whose file
 * did not change is the same object in the next model, rather than made again with its moments (a third of a
 * kept worker's build at 20,000 posts). What a build sets on a post is taken off first: its neighbours and mark
 * (Hexo's post generator sets `prev` and `next` on all but the ends, and `__post`), and a content a filter set.
 * Nothing else of newsstand's theme or Hexo's bundled generators writes to a post (the fast path builds no other
 * theme); test/incremental-build.test.ts compares a kept worker's builds with fresh ones.
 */
export class MadePosts {
  private readonly made = new WeakMap<CachedPost, { post: SitePost; reset: () => void }>();
  /** The contents are read from this build's cache, by posts made by any build. */
  private content: (name: string) => string = () => '';
  /** The texts of the posts read lately (every build's feeds read the newest posts'), by the hash of their file. */
  private readonly contents = new RecentTexts(1024);
  private readonly raws = new RecentTexts(1024);

  readContentWith(content: (name: string) => string): void {
    this.content = content;
  }

  post(cached: CachedPost, postsDir: string): SitePost {
    const known = this.made.get(cached);
    if (known) {
      known.reset();
      return known.post;
    }
    const made = sitePost(cached, {
      postsDir,
      content: (name) => this.contents.get(cached.hash, () => this.content(name)),
      raw: (name) => this.raws.get(cached.hash, () => postFileText(postsDir, name)),
    });
    this.made.set(cached, made);
    return made.post;
  }
}

/** The last `limit` texts asked for, by key: a text that is asked for again moves to the back. */
class RecentTexts {
  private readonly texts = new Map<string, string>();

  constructor(private readonly limit: number) {}

  get(key: string, read: () => string): string {
    let text = this.texts.get(key);
    if (text === undefined) text = read();
    else this.texts.delete(key);
    this.texts.set(key, text);
    if (this.texts.size > this.limit) this.texts.delete(this.texts.keys().next().value!);
    return text;
  }
}

interface PostTexts {
  postsDir: string;
  content: (name: string) => string;
  /** The post file's text (default: read from postsDir). */
  raw?: (name: string) => string;
}

/** The text of a post's file. */
function postFileText(postsDir: string, name: string): string {
  return readFileSync(join(postsDir, `${name}.md`), 'utf8');
}

/** What a post reads its texts with, and what was set on it in their place: under TEXTS, for the shared accessors. */
interface PostState {
  name: string;
  options: PostTexts;
  content: string | undefined;
  raw: string | undefined;
  /** Fields that are the content (Hexo's `more`) given another value. */
  overridden: Map<string, unknown>;
}

const TEXTS = Symbol('post texts');
type StatefulPost = Record<string | symbol, unknown> & { [TEXTS]: PostState };

// One pair of functions for every post, reading the post's own state: V8 keeps objects whose accessors differ by
// object as hash tables (three times the size: ~30 MB more per process at 20,000 posts).
// `content` is read each time it is asked for (its page, the feeds, the search index: a few reads), not kept:
// held by every post, the texts of 100,000 posts would not fit in a CI runner's heap.
const CONTENT: PropertyDescriptor = {
  enumerable: true,
  get(this: StatefulPost) {
    const state = this[TEXTS];
    return state.content ?? state.options.content(state.name);
  },
  set(this: StatefulPost, value: string) {
    this[TEXTS].content = value;
  },
};
// Not enumerable: a page's data is copied for every page rendered, and nothing shows the raw text.
const RAW: PropertyDescriptor = {
  get(this: StatefulPost) {
    const state = this[TEXTS];
    state.raw ??= state.options.raw ? state.options.raw(state.name) : postFileText(state.options.postsDir, state.name);
    return state.raw;
  },
  set(this: StatefulPost, value: string) {
    this[TEXTS].raw = value;
  },
};
const sameAsContentFields = new Map<string, PropertyDescriptor>();
function sameAsContent(key: string): PropertyDescriptor {
  let field = sameAsContentFields.get(key);
  if (!field) {
    field = {
      enumerable: true,
      get(this: StatefulPost) {
        const state = this[TEXTS];
        return state.overridden.has(key) ? state.overridden.get(key) : state.options.content(state.name);
      },
      set(this: StatefulPost, value: unknown) {
        this[TEXTS].overridden.set(key, value);
      },
    };
    sameAsContentFields.set(key, field);
  }
  return field;
}

/** A post made from its cache entry (categories are the model's), and how to forget what was set on it since. */
function sitePost(cached: CachedPost, options: PostTexts): { post: SitePost; reset: () => void } {
  const fields: Array<[string, unknown]> = [['_id', idOf(`post\u0000${cached.name}`)]];
  const contentKeys: string[] = [];
  for (const [key, value] of Object.entries(cached.fields)) {
    if (value && typeof value === 'object' && '$content' in value) contentKeys.push(key);
    // From the instant, not the ISO text: parsing 40,000 dates as text was a tenth of a second at 20,000 posts.
    else
      fields.push([
        key,
        value && typeof value === 'object' && '$moment' in value ? moment(Date.parse((value as { $moment: string }).$moment)) : value,
      ]);
  }
  // Made at once, not a field at a time: V8 keeps an object given more than a dozen fields by computed name as a
  // hash table too.
  const post = Object.fromEntries(fields) as StatefulPost;
  post.tags = new Query([]);
  const state: PostState = { name: cached.name, options, content: undefined, raw: undefined, overridden: new Map() };
  Object.defineProperties(post, { [TEXTS]: { value: state }, __hash: { value: cached.hash }, content: CONTENT, raw: RAW });
  for (const key of contentKeys) Object.defineProperty(post, key, sameAsContent(key));
  const reset = () => {
    state.content = undefined;
    state.raw = undefined;
    state.overridden.clear();
    // Last set first (Hexo's post generator sets prev, next, then __post): V8 undoes the last field added in
    // place, and turns the object into a hash table for any other.
    delete post.__post;
    delete post.next;
    delete post.prev;
  };
  return { post: post as unknown as SitePost, reset };
}

/** A post's categories at every level, the way Hexo links them: top level first. */
function postCategories(cached: CachedPost, categories: ReadonlyMap<string, SiteCategory>): SiteCategory[] {
  const levels: SiteCategory[] = [];
  for (const key of cached.categories) {
    const chain: SiteCategory[] = [];
    for (let level: string | undefined = key; level !== undefined; level = parentOf(level)) {
      const category = categories.get(level);
      if (category) chain.unshift(category);
    }
    for (const category of chain) if (!levels.includes(category)) levels.push(category);
  }
  return levels;
}

function parentOf(key: string): string | undefined {
  const cut = key.lastIndexOf('\u0000');
  return cut === -1 ? undefined : key.slice(0, cut);
}

function idOf(key: string): string {
  return createHash('sha1').update(key).digest('hex').slice(0, 24);
}

function dedupe<T>(list: T[]): T[] {
  return [...new Set(list)];
}
