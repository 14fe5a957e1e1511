/**
 * Sources managed from the command line: `sources` lists them, `remove` takes one out of newsstand.yml (its
 * posts stay unless purged), `disable`/`enable` switch one off and on. The edits go through config/edit.ts:
 * the user's comments and layout stay, and the file is validated before it is replaced.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { editConfigFile, removeSourceText, setSourceDisabledText } from '../config/edit.js';
import type { Config, SourceConfig } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { removeImages } from '../content/mirror/image-store.js';
import { ConfigError } from '../errors.js';
import { siteImages } from '../site/site-images.js';
import { purgeSource } from '../publish/commit.js';
import { acquireLock } from '../store/lock.js';
import { StateStore } from '../store/state.js';
import { sourceStatuses, type SourceStatus } from '../sync/status.js';
import { describeSource, displayName, matchSources, onlySource, stateRowMatches } from './match.js';

export interface SourceListing {
  name: string;
  kind: SourceConfig['kind'];
  /** The URL, the route, or the file relative to newsstand.yml. */
  location: string;
  key: string;
  categories: string[];
  state: SourceStatus['state'];
  posts: number;
  line: number;
}

/** A feed file as the user would write it: relative to newsstand.yml when inside its directory, else absolute. */
function shownFilePath(source: SourceConfig): string {
  const fromConfig = source.key.slice('file:'.length);
  return fromConfig.startsWith('../') ? source.location : fromConfig;
}

export function listSources(config: Config): SourceListing[] {
  const statuses = sourceStatuses(config);
  return config.sources.map((source, index) => {
    const status = statuses[index]!;
    return {
      name: displayName(source, status.source),
      kind: source.kind,
      location: source.kind === 'file' ? shownFilePath(source) : source.location,
      key: source.key,
      categories: [...source.categories],
      state: status.state,
      posts: status.posts,
      line: source.line,
    };
  });
}

export interface RemoveOptions {
  config: Config;
  /** A name, URL, route or file. */
  name: string;
  /** Also delete the source's posts and forget it in the state. */
  purge?: boolean;
  dryRun?: boolean;
}

export interface RemoveResult {
  /** How the source is shown ("name — kind:location"). */
  source: string;
  key: string;
  /** Line it had in newsstand.yml; null when it was configured no more (a purge of what it left behind). */
  line: number | null;
  /** Its posts on disk (before a purge). */
  posts: number;
  /** Post files deleted. */
  purged: number;
  dryRun: boolean;
  /** The posts directory, relative to the site root, for messages. */
  postsDir: string;
}

export async function removeSource(options: RemoveOptions): Promise<RemoveResult> {
  const { config, purge = false, dryRun = false } = options;
  const paths = sitePaths(config);
  const stateNames = readStateNames(config);
  const postsDir = relative(paths.root, paths.postsDir) || '.';
  // A source removed earlier can still be purged: its posts and state are all that is left of it.
  const orphan = purge && matchSources(config, options.name, stateNames).length === 0 ? orphanRow(config, options.name) : null;
  if (orphan) {
    const result = { source: orphan.name ? `${orphan.name} — ${orphan.key}` : orphan.key, key: orphan.key, line: null, posts: orphan.posts, purged: 0, dryRun, postsDir };
    return dryRun ? result : { ...result, purged: await purgePosts(config, orphan.key) };
  }
  const source = onlySource(config, options.name, stateNames);
  const index = config.sources.indexOf(source);
  const posts = countPosts(config, source.key);
  const result: RemoveResult = { source: describeSource(source, stateNames.get(source.key)), key: source.key, line: source.line, posts, purged: 0, dryRun, postsDir };
  // Purging takes the site's lock before the file changes, so a run cannot start between the two.
  const lock = purge && !dryRun ? acquireLock(paths.lock) : null;
  try {
    await editConfigFile(config.file, (text) => removeSourceText(text, index), { dryRun });
    if (purge && !dryRun) result.purged = await purgePosts(config, source.key, true);
  } finally {
    lock?.release();
  }
  return result;
}

export interface ToggleResult {
  source: string;
  line: number;
  disabled: boolean;
  /** False when the source already was as asked. */
  changed: boolean;
}

export async function setSourceDisabled(config: Config, name: string, disabled: boolean): Promise<ToggleResult> {
  const stateNames = readStateNames(config);
  const source = onlySource(config, name, stateNames);
  const result = { source: describeSource(source, stateNames.get(source.key)), line: source.line, disabled };
  if (source.disabled === disabled) return { ...result, changed: false };
  const index = config.sources.indexOf(source);
  await editConfigFile(config.file, (text) => setSourceDisabledText(text, index, disabled));
  return { ...result, changed: true };
}

function readStateNames(config: Config): Map<string, string> {
  const store = StateStore.open(sitePaths(config).stateDb, { readonly: true });
  try {
    return new Map(store.sources.all().map((row) => [row.key, row.name]));
  } finally {
    store.close();
  }
}

function countPosts(config: Config, key: string): number {
  const store = StateStore.open(sitePaths(config).stateDb, { readonly: true });
  try {
    return store.items.livePosts(key).length;
  } finally {
    store.close();
  }
}

/** A source in the state that newsstand.yml no longer names, when `wanted` names it (and only it). */
function orphanRow(config: Config, wanted: string): { key: string; name: string; posts: number } | null {
  const configured = new Set(config.sources.map((source) => source.key));
  const store = StateStore.open(sitePaths(config).stateDb, { readonly: true });
  try {
    const rows = store.sources.all().filter((row) => !configured.has(row.key) && stateRowMatches(row, wanted, config));
    if (rows.length > 1) {
      throw new ConfigError(`${JSON.stringify(wanted)} names ${rows.length} removed sources in the state — give its URL, route or file instead: ${rows.map((row) => row.key).join(', ')}`);
    }
    return rows[0] ?? null;
  } finally {
    store.close();
  }
}

/**
 * Deletes a source's posts and forgets it in the state, as retention prunes (publish/commit.ts): the state
 * never claims a post that is gone, and a crash in between leaves the files noted for the next run to delete.
 * Mirrored images no other post shows go too. Returns the number of post files deleted.
 */
async function purgePosts(config: Config, key: string, lockHeld = false): Promise<number> {
  const paths = sitePaths(config);
  // Without a state there is nothing attributed to purge; creating one here would stop the next run from
  // rebuilding the state from the posts.
  if (!existsSync(paths.stateDb)) return 0;
  const lock = lockHeld ? null : acquireLock(paths.lock);
  const store = StateStore.open(paths.stateDb);
  try {
    const deleted = await purgeSource(store, paths.postsDir, key);
    await removeImages(siteImages(paths.root).dir, store.images.takeUnused());
    return deleted;
  } finally {
    store.close();
    lock?.release();
  }
}
