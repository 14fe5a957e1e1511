import { createHash, hash } from 'node:crypto';
import { isMoment, momentIso } from '../hexo-tuning.js';
import type { SiteCategory, SiteLocals, SitePost } from './model.js';
import { Query } from './query.js';

/**
 * What a page is made from, as one string: when it is the same as for the page written last time, the page is
 * not rendered again. A page is made from its route's data (walked here: a post stands for its file's hash, a
 * category for its identity) and from what every page reads (`site`, below); for newsstand's theme that is all,
 * but for two things the layouts read from the site for some pages only, listed in pageExtras.
 */
export function pageDigest(options: { site: string; path: string; layout: readonly string[]; data: unknown; locals: SiteLocals }): string {
  const { data } = options;
  // One string, hashed in one call: 45,000 pages a build, where each call into the hash costs more than its bytes.
  const made = `${options.site}\0${options.path}\0${options.layout.join(',')}\0${digestOf(data, true)}\0${pageExtras(data, options.locals)}`;
  return hash('sha256', made, 'hex').slice(0, 32);
}

/**
 * What every page of newsstand's theme reads besides its own data: the categories that have posts (the header's
 * navigation, every post's breadcrumbs and source name come from them) and the year (the footer's copyright).
 * With the environment (theme, configuration, versions; see incremental.ts), a change renders every page again.
 */
export function siteDigest(locals: SiteLocals, environment: string, year: number): string {
  const digest = createHash('sha256').update(environment).update('\0').update(String(year));
  for (const category of locals.categories.toArray().sort((a, b) => (a._id < b._id ? -1 : 1))) {
    if (category.length > 0) digest.update(`\0${category._id}|${category.name}|${category.path}|${category.parent ?? ''}`);
  }
  return digest.digest('hex').slice(0, 32);
}

/**
 * What a page reads from the site that its data does not carry (layout/category.ejs): a category's own page lists
 * its sub-categories with their counts, which change when a post is pruned that the page does not show.
 */
function pageExtras(data: unknown, locals: SiteLocals): string {
  const page = data as { category?: unknown; front?: unknown; base?: unknown } | null;
  if (!page || typeof page !== 'object' || page.category === undefined || page.front !== true) return '';
  const category = locals.categories.toArray().find((each) => each.path === page.base);
  if (!category) return '';
  return locals.categories
    .toArray()
    .filter((child) => child.parent === category._id)
    .map((child) => `${child._id}:${child.length}`)
    .sort()
    .join(',');
}

function isPost(value: object): value is SitePost {
  return '__hash' in value;
}

function isCategory(value: object): value is SiteCategory {
  return 'posts' in value && 'slug' in value && 'path' in value && !('__hash' in value);
}

/** A value as text that changes when it does; a post's page (`top`) also reads its neighbours' titles and paths. */
function digestOf(value: unknown, top = false): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return `D${value.toISOString()}`;
  if (isMoment(value)) return `M${momentIso(value)}`;
  if (isPost(value)) {
    const own = `P${value._id}:${value.__hash}`;
    if (!top) return own;
    const neighbour = (post: unknown) => (post && typeof post === 'object' && isPost(post) ? `${post._id}:${post.__hash}` : '-');
    return `${own}<${neighbour(value.prev)}>${neighbour(value.next)}`;
  }
  if (isCategory(value)) return `C${value._id}`;
  if (value instanceof Query) return `[${value.map((item) => digestOf(item)).join(',')}]`;
  if (Array.isArray(value)) return `[${value.map((item) => digestOf(item)).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((key) => `${quoted(key)}:${digestOf((value as Record<string, unknown>)[key])}`)
    .join(',')}}`;
}

/** Keys as JSON strings; a site's routes use a few dozen keys, each quoted once. */
const quotedKeys = new Map<string, string>();
function quoted(key: string): string {
  let text = quotedKeys.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, text);
  }
  return text;
}

/** The hash of a page as written: the same bytes as last time, and the file stays. */
export function outputHash(bytes: Buffer): string {
  return hash('sha256', bytes, 'hex').slice(0, 32);
}
