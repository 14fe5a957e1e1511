import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.js';

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
  let config: Record<string, unknown> = {};
  try {
    config = readHexoConfig(siteRoot);
  } catch {
    // Hexo's defaults, as said above
  }
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

/** The site's `_config.yml` as data; a missing or broken file is a UserError (exit 2) naming it. */
export function readHexoConfig(siteRoot: string): Record<string, unknown> {
  const path = join(siteRoot, '_config.yml');
  if (!existsSync(path)) {
    throw new UserError(`${path} not found: site.root must be a Hexo site (create one with "newsstand init")`, 2);
  }
  try {
    const data: unknown = parseYaml(readFileSync(path, 'utf8'));
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  } catch (error) {
    throw new UserError(`${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, 2);
  }
}

function urlPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}
