/** `newsstand sources`: the configured sources, each with its state and posts. */
import type { Config, SourceConfig } from '../config/load.js';
import { displayName } from '../sources/match.js';
import { sourceStatuses, type SourceStatus } from './status.js';

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

/** A feed file as the user would write it: relative to newsstand.yml when inside its directory, else absolute. */
function shownFilePath(source: SourceConfig): string {
  const fromConfig = source.key.slice('file:'.length);
  return fromConfig.startsWith('../') ? source.location : fromConfig;
}
