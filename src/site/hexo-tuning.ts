/**
 * What newsstand's Hexo worker changes in Hexo, from outside it, so that the sites users' themes render with
 * build in time and memory at tens of thousands of posts. Each change is a small override of one instance's
 * method, applied after `hexo.init()` and before `generate`; hexo-tuning.test.ts fails when a Hexo upgrade
 * makes one of them miss (Hexo stops calling what is overridden) or wrong.
 */
import type Hexo from 'hexo';

/**
 * Hexo caches the site in db.json: it loads it before processing the files and saves it in `hexo.exit()`.
 * newsstand renders every build into a fresh staging directory, so the cache buys nothing and costs the most
 * of the whole build: reading it back goes through a byte-by-byte JSON stream (12 s at 20,000 posts), writing
 * it serializes the whole Post model as one string (184 M characters at 20,000 posts: the build's peak of
 * memory; past V8's string limit at ~58,000 posts it is cut short without an error). So in the worker the
 * database lives in memory only: loading and saving do nothing. The site's db.json, which the user's own
 * `hexo` commands may rely on, is neither read, rewritten nor deleted (a db.json Hexo fails to load it
 * deletes).
 */
export function keepDatabaseInMemory(hexo: Hexo): void {
  // Hexo calls these as `db.load()` and `db.save().then(…)`; a native promise does for both.
  const database = hexo.database as unknown as { load: () => Promise<void>; save: () => Promise<void> };
  database.load = () => Promise.resolve();
  database.save = () => Promise.resolve();
}
