import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { CachedCategory, CachedPost } from './build-cache.js';
import { Query } from './query.js';

const require = createRequire(import.meta.url);
/** Hexo's own moment (moment-timezone): posts' dates are made with it, as Hexo's database makes them. */
const { moment } = require('hexo/dist/plugins/helper/date') as { moment: (value: unknown) => Moment };

interface Moment {
  valueOf(): number;
  toISOString(): string;
}

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
}): SiteLocals {
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
    const post = sitePost(cached, options, categories);
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

function sitePost(
  cached: CachedPost,
  options: { postsDir: string; content: (name: string) => string },
  categories: ReadonlyMap<string, SiteCategory>,
): SitePost {
  const post: Record<string, unknown> = { _id: idOf(`post\u0000${cached.name}`) };
  const sameAsContent: string[] = [];
  for (const [key, value] of Object.entries(cached.fields)) {
    if (value && typeof value === 'object' && '$content' in value) sameAsContent.push(key);
    // From the instant, not the ISO text: parsing 40,000 dates as text was a tenth of a second at 20,000 posts.
    else
      post[key] =
        value && typeof value === 'object' && '$moment' in value ? moment(Date.parse((value as { $moment: string }).$moment)) : value;
  }
  // The post's categories at every level, the way Hexo links them: top level first.
  const levels: SiteCategory[] = [];
  for (const key of cached.categories) {
    const chain: SiteCategory[] = [];
    for (let level: string | undefined = key; level !== undefined; level = parentOf(level)) {
      const category = categories.get(level);
      if (category) chain.unshift(category);
    }
    for (const category of chain) if (!levels.includes(category)) levels.push(category);
  }
  post.categories = new Query(levels);
  post.tags = new Query([]);
  let content: string | undefined;
  let raw: string | undefined;
  Object.defineProperties(post, {
    __hash: { value: cached.hash },
    // Read each time it is asked for (its page, the feeds, the search index: a few reads), not kept: held by
    // every post, the texts of 100,000 posts would not fit in a CI runner's heap.
    content: { enumerable: true, get: () => content ?? options.content(cached.name), set: (value: string) => (content = value) },
    // Not enumerable: a page's data is copied for every page rendered, and nothing shows the raw text.
    raw: { get: () => (raw ??= readFileSync(join(options.postsDir, `${cached.name}.md`), 'utf8')), set: (value: string) => (raw = value) },
  });
  for (const key of sameAsContent) {
    let own: unknown;
    let set = false;
    Object.defineProperty(post, key, {
      enumerable: true,
      get: () => (set ? own : options.content(cached.name)),
      set: (value: unknown) => {
        own = value;
        set = true;
      },
    });
  }
  return post as SitePost;
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
