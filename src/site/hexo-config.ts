import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface HexoLayout {
  /** Absolute `source_dir`. */
  sourceDir: string;
  /** Absolute `public_dir`. */
  publicDir: string;
  /** The path the site is served below, `/` or e.g. `/blog/`: always starts and ends with `/`. */
  root: string;
}

/**
 * Where a Hexo site keeps its files and the path it is served below, read from its `_config.yml` as Hexo
 * reads it: `root` left out follows the path of `url` (a GitHub Pages project site at
 * https://user.github.io/repo is served below /repo/). A missing or unreadable file means Hexo's defaults;
 * `newsstand build` reports such a file properly.
 */
export function hexoLayout(siteRoot: string): HexoLayout {
  const config = readHexoConfig(siteRoot);
  const text = (key: string, fallback: string) => (typeof config[key] === 'string' && config[key].trim() ? config[key].trim() : fallback);
  let root = text('root', '') || urlPath(text('url', ''));
  if (!root.startsWith('/')) root = `/${root}`;
  root = root.replace(/\/*$/, '/');
  return {
    sourceDir: resolve(siteRoot, text('source_dir', 'source')),
    publicDir: resolve(siteRoot, text('public_dir', 'public')),
    root,
  };
}

function readHexoConfig(siteRoot: string): Record<string, unknown> {
  const file = join(siteRoot, '_config.yml');
  if (!existsSync(file)) return {};
  try {
    const data: unknown = parseYaml(readFileSync(file, 'utf8'));
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function urlPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}
