import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { packagePath } from '../own-package.js';

const require = createRequire(import.meta.url);

/**
 * The Hexo plugins and themes newsstand ships. A site that has not installed its own (no `npm install` yet,
 * or the offline demo) builds with these; a site's own copy, listed in its package.json, always wins.
 * `newsstand init` pins a new site to the same packages and versions.
 */
export const BUNDLED_PLUGINS = [
  'hexo-renderer-marked',
  'hexo-renderer-ejs',
  'hexo-renderer-stylus',
  'hexo-generator-index',
  'hexo-generator-archive',
  'hexo-generator-category',
  'hexo-generator-tag',
];

/** newsstand's own theme, in this repository. */
export const BUNDLED_THEME_DIR = packagePath('themes', 'newsstand');

/**
 * Where each bundled theme's files are, by theme name. `landscape` (the npm theme earlier versions of
 * `init` configured) stays buildable for sites that still name it.
 */
export const BUNDLED_THEMES: Readonly<Record<string, () => string>> = {
  newsstand: () => BUNDLED_THEME_DIR,
  landscape: () => dirname(require.resolve('hexo-theme-landscape/package.json')),
};

/** What an initialised site's package.json depends on; the theme itself is copied into the site. */
export const SITE_PACKAGES = ['hexo', ...BUNDLED_PLUGINS];
