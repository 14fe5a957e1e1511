import type { SourceConfig } from '../config/load.js';
import type { ThemeKey } from '../theme-profiles.js';

/**
 * What shapes a source's posts — the one list. Every option of a source is in exactly one of the lists below
 * (fingerprint.test.ts checks them against a loaded source), so a new option is placed here or nowhere:
 * - FRONT_MATTER_OPTIONS and BODY_OPTIONS shape the text of an item's post: a change rewrites the posts;
 * - SELECTION_OPTIONS decide which items become posts, and their dates: a change re-reads the feed in full;
 * - OTHER_OPTIONS shape nothing of a post (the source's identity, where, when and how its feed is read).
 * The site's theme keys (theme-profiles.ts) shape the front matter too.
 */
export const FRONT_MATTER_OPTIONS = ['name', 'categories', 'comments'] as const;
export const BODY_OPTIONS = ['images', 'embeds', 'convert', 'fullText'] as const;
export const SELECTION_OPTIONS = ['include', 'exclude', 'timezone', 'retention'] as const;
export const OTHER_OPTIONS = ['kind', 'location', 'key', 'line', 'headers', 'intervalMs', 'disabled'] as const;

/** Bump when the post text newsstand writes for the same item changes, so existing posts are rewritten. */
const RENDER_VERSION = '4';

/**
 * The configuration a source's posts were made with, as one string: when it changes, the feed is read again
 * in full (no conditional GET) so that every post is rewritten to match.
 */
export function sourceFingerprint(source: SourceConfig, themeKeys: readonly ThemeKey[]): string {
  return JSON.stringify({ ...pick(source, [...FRONT_MATTER_OPTIONS, ...BODY_OPTIONS, ...SELECTION_OPTIONS]), themeKeys });
}

/**
 * What shapes the text of a post besides its item, as one string, part of each item's hash: a change rewrites
 * the posts. `name` and `categories` as resolved for the run (an RSSHub route's from its metadata).
 */
export function postSettings(
  resolved: { name: string; categories: string[] },
  source: SourceConfig,
  themeKeys: readonly ThemeKey[],
): string {
  return JSON.stringify([RENDER_VERSION, resolved.name, resolved.categories, source.comments, pick(source, BODY_OPTIONS), themeKeys]);
}

/** Whether the source's retention rule differs from the one recorded in its last fingerprint. */
export function retentionChanged(lastFingerprint: string | undefined, source: SourceConfig): boolean {
  if (!lastFingerprint) return false;
  try {
    const last = (JSON.parse(lastFingerprint) as { retention?: SourceConfig['retention'] }).retention;
    // A fingerprint from before retention was part of it says nothing: no change is assumed.
    return last !== undefined && (last.maxAgeMs !== source.retention.maxAgeMs || last.maxItems !== source.retention.maxItems);
  } catch {
    return false;
  }
}

function pick<K extends keyof SourceConfig>(source: SourceConfig, keys: readonly K[]): Pick<SourceConfig, K> {
  return Object.fromEntries(keys.map((key) => [key, source[key]])) as Pick<SourceConfig, K>;
}
