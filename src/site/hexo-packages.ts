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

export const BUNDLED_THEMES = ['landscape'];

/** What an initialised site's package.json depends on. */
export const SITE_PACKAGES = ['hexo', ...BUNDLED_PLUGINS, ...BUNDLED_THEMES.map((theme) => `hexo-theme-${theme}`)];
