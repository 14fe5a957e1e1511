import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface SiteImages {
  /** Where mirrored images are stored: `<source_dir>/images` of the Hexo site. */
  dir: string;
  /** What the site serves them as: Hexo's `root` + `images/`. */
  urlPrefix: string;
}

/**
 * Where mirrored images go in a Hexo site and the URL they get, from its `_config.yml` (`source_dir`,
 * `root`, e.g. `/blog/` for a site served below a path). A missing or unreadable file means Hexo's defaults;
 * `newsstand build` reports such a file properly.
 */
export function siteImages(siteRoot: string): SiteImages {
  let config: Record<string, unknown> = {};
  const file = join(siteRoot, '_config.yml');
  if (existsSync(file)) {
    try {
      const data: unknown = parseYaml(readFileSync(file, 'utf8'));
      if (data && typeof data === 'object') config = data as Record<string, unknown>;
    } catch {
      // Hexo's defaults, as documented above
    }
  }
  const sourceDir = typeof config.source_dir === 'string' && config.source_dir.trim() ? config.source_dir.trim() : 'source';
  let root = typeof config.root === 'string' && config.root.trim() ? config.root.trim() : '/';
  if (!root.startsWith('/')) root = `/${root}`;
  if (!root.endsWith('/')) root = `${root}/`;
  return { dir: join(siteRoot, sourceDir, 'images'), urlPrefix: `${root}images/` };
}
