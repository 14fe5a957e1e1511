import { join } from 'node:path';
import type { Config } from './load.js';

export interface SitePaths {
  root: string;
  postsDir: string;
  stateDb: string;
  lock: string;
}

/**
 * Where a site keeps its parts. newsstand's own files live in `.newsstand/` at the site root; where Hexo
 * writes the site (`public_dir`) is the site's _config.yml's to say: config/hexo-config.ts reads it.
 */
export function sitePaths(config: Pick<Config, 'site'>): SitePaths {
  const stateDir = join(config.site.root, '.newsstand');
  return {
    root: config.site.root,
    postsDir: config.site.postsDir,
    stateDb: join(stateDir, 'state.db'),
    lock: join(stateDir, 'lock'),
  };
}
