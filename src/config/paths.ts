import { join } from 'node:path';
import type { Config } from './load.js';

export interface SitePaths {
  root: string;
  postsDir: string;
  stateDir: string;
  stateDb: string;
  lock: string;
  publicDir: string;
}

/** Where a site keeps its parts. newsstand's own files live in `.newsstand/` at the site root. */
export function sitePaths(config: Pick<Config, 'site'>): SitePaths {
  const stateDir = join(config.site.root, '.newsstand');
  return {
    root: config.site.root,
    postsDir: config.site.postsDir,
    stateDir,
    stateDb: join(stateDir, 'state.db'),
    lock: join(stateDir, 'lock'),
    publicDir: join(config.site.root, 'public'),
  };
}
