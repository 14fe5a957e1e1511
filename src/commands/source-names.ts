import type { Config } from '../config/load.js';
import { sitePaths } from '../config/paths.js';
import { StateStore } from '../store/state.js';

/**
 * The name each source was last fetched under (by key), from the state: a source without a configured name
 * is shown, and so can be named, by the feed's title.
 */
export function fetchedNames(config: Config): Map<string, string> {
  const store = StateStore.open(sitePaths(config).stateDb, { readonly: true });
  try {
    return new Map(store.sources.all().map((row) => [row.key, row.name]));
  } finally {
    store.close();
  }
}
