import { join } from 'node:path';
import { hexoLayout } from '../config/hexo-config.js';

export interface SiteImages {
  /** Where mirrored images are stored: `<source_dir>/images` of the Hexo site. */
  dir: string;
  /** What the site serves them as: Hexo's `root` + `images/`. */
  urlPrefix: string;
}

/**
 * Where mirrored images go in a Hexo site and the URL they get, from its `_config.yml` (`source_dir`, and
 * `root` or the path of `url`, e.g. `/blog/` for a site served below a path).
 */
export function siteImages(siteRoot: string): SiteImages {
  const { sourceDir, root } = hexoLayout(siteRoot);
  return { dir: join(sourceDir, 'images'), urlPrefix: `${root}images/` };
}
