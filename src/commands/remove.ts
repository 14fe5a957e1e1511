/**
 * `newsstand remove`: a source taken out of newsstand.yml, its posts kept unless purged. The edit goes through
 * config/edit.ts: the user's comments and layout stay, and the file is validated before it is replaced.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { editConfigFile, removeSourceText } from '../config/edit.js';
import type { Config } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { removeImages } from '../content/mirror/image-store.js';
import { ConfigError } from '../errors.js';
import { siteImages } from '../site/site-images.js';
import { purgeSource } from '../publish/commit.js';
import { acquireLock } from '../store/lock.js';
import { StateStore } from '../store/state.js';
import { describeSource, matchSources, onlySource, stateRowMatches } from '../sources/match.js';
import { fetchedNames, readState } from './state.js';

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
  const stateNames = fetchedNames(config);
  const postsDir = relative(paths.root, paths.postsDir) || '.';
  // A source removed earlier can still be purged: its posts and state are all that is left of it.
  const orphan = purge && matchSources(config, options.name, stateNames).length === 0 ? orphanRow(config, options.name) : null;
  if (orphan) {
    const result = {
      source: orphan.name ? `${orphan.name} — ${orphan.key}` : orphan.key,
      key: orphan.key,
      line: null,
      posts: orphan.posts,
      purged: 0,
      dryRun,
      postsDir,
    };
    return dryRun ? result : { ...result, purged: await purgePosts(config, orphan.key) };
  }
  const source = onlySource(config, options.name, stateNames);
  const index = config.sources.indexOf(source);
  const posts = countPosts(config, source.key);
  const result: RemoveResult = {
    source: describeSource(source, stateNames.get(source.key)),
    key: source.key,
    line: source.line,
    posts,
    purged: 0,
    dryRun,
    postsDir,
  };
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

function countPosts(config: Config, key: string): number {
  return readState(config, (store) => store.items.livePosts(key).length);
}

/** A source in the state that newsstand.yml no longer names, when `wanted` names it (and only it). */
function orphanRow(config: Config, wanted: string): { key: string; name: string; posts: number } | null {
  const configured = new Set(config.sources.map((source) => source.key));
  const rows = readState(config, (store) => store.sources.all()).filter(
    (row) => !configured.has(row.key) && stateRowMatches(row, wanted, config),
  );
  if (rows.length > 1) {
    throw new ConfigError(
      `${JSON.stringify(wanted)} names ${rows.length} removed sources in the state — give its URL, route or file instead: ${rows.map((row) => row.key).join(', ')}`,
    );
  }
  return rows[0] ?? null;
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
