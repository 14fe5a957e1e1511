/** The site's state as the commands read it: opened read-only, for one look, and closed again. */
import type { Config } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { StateStore } from '../store/state.js';

/** `read`'s result on the site's state, opened read-only (a site never synced reads as empty). */
export function readState<T>(config: Pick<Config, 'site'>, read: (store: StateStore) => T): T {
  const store = StateStore.open(sitePaths(config).stateDb, { readonly: true });
  try {
    return read(store);
  } finally {
    store.close();
  }
}

/**
 * The name each source was last fetched under (by key), from the state: a source without a configured name
 * is shown, and so can be named, by the feed's title.
 */
export function fetchedNames(config: Config): Map<string, string> {
  return readState(config, (store) => new Map(store.sources.all().map((row) => [row.key, row.name])));
}
