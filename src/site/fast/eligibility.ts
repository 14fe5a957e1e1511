import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, relative, sep } from 'node:path';
import { hexoLayout, readHexoConfig } from '../../config/hexo-config.js';
import { NEWSSTAND_VERSION } from '../../own-package.js';
import { BUNDLED_PLUGINS, BUNDLED_THEME_DIR } from '../hexo-packages.js';

const require = createRequire(import.meta.url);

export type FastPath = { ok: true; environment: string } | { ok: false; reason: string };

/** Files of Hexo's source directory it renders rather than copies: a site with one of these has pages of its own. */
const RENDERED = new Set([
  '.md',
  '.markdown',
  '.html',
  '.htm',
  '.ejs',
  '.njk',
  '.swig',
  '.pug',
  '.jade',
  '.styl',
  '.stylus',
  '.yml',
  '.yaml',
  '.json',
]);

/**
 * Whether a site can be built by the fast path (incremental.ts) — the site is exactly what newsstand renders,
 * so every page it would make is known: newsstand's own theme, unchanged (the copy `init` put in the site is the
 * one this newsstand ships); no Hexo plugin or script of the site's own (one could add pages or change them from
 * where the fast path does not look); no page, data file or draft of its own in source/ besides the posts; no
 * post asset folders. Anything else is built by Hexo whole, as before. With the answer comes the environment:
 * everything that, changed, makes the next build a full one (versions, the theme, the configuration).
 */
export function fastPathFor(root: string): FastPath {
  const config = readHexoConfig(root);
  if (String(config.theme ?? 'newsstand') !== 'newsstand')
    return { ok: false, reason: `the theme is "${String(config.theme)}", not newsstand's own` };
  const siteTheme = join(root, 'themes', 'newsstand');
  const bundled = themeDigest(BUNDLED_THEME_DIR);
  if (existsSync(siteTheme) && themeDigest(siteTheme) !== bundled) {
    return { ok: false, reason: `${siteTheme} differs from the newsstand theme this newsstand ships` };
  }
  if (config.post_asset_folder) return { ok: false, reason: 'post_asset_folder is on' };
  const extra = sitePlugins(root);
  if (extra.length > 0) return { ok: false, reason: `the site has Hexo plugins of its own (${extra.join(', ')})` };
  if (existsSync(join(root, 'scripts'))) return { ok: false, reason: `the site has scripts of its own (${join(root, 'scripts')})` };
  const { sourceDir } = hexoLayout(root);
  const own = pagesOfItsOwn(sourceDir);
  if (own) return { ok: false, reason: `the site has pages or data of its own (${own})` };
  const environment = createHash('sha256')
    .update(
      JSON.stringify({
        newsstand: NEWSSTAND_VERSION,
        hexo: require('hexo/package.json').version,
        node: process.version,
      }),
    )
    .update(bundled)
    .update(readFileSync(join(root, '_config.yml')))
    .update(existsSync(join(root, '_config.newsstand.yml')) ? readFileSync(join(root, '_config.newsstand.yml')) : '')
    .digest('hex')
    .slice(0, 32);
  return { ok: true, environment };
}

/** Every file of a theme, by path and content (its tests aside), as one hash. */
function themeDigest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.endsWith('.test.ts'))
        hash.update(relative(dir, path).split(sep).join('/')).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/** Hexo plugins the site's package.json adds to what newsstand bundles. */
function sitePlugins(root: string): string[] {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const known = new Set(['hexo', 'newsstand', ...BUNDLED_PLUGINS]);
    return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
      (name) => /^(?:@[^/]+\/)?hexo-/.test(name) && !known.has(name),
    );
  } catch {
    return [];
  }
}

/** The first file of source/ that Hexo would render or read as data rather than copy, if any (posts aside). */
function pagesOfItsOwn(sourceDir: string): string | null {
  const walk = (dir: string, top: boolean): string | null => {
    const entries = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : [];
    for (const entry of entries) {
      if (top && entry.name === '_posts') continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('.')) continue;
      if (entry.name.startsWith('_')) {
        // _data, _drafts and the like: Hexo reads them; empty ones are harmless.
        if (entry.isDirectory() ? readdirSync(path).length > 0 : statSync(path).size > 0) return relative(sourceDir, path);
        continue;
      }
      if (entry.isDirectory()) {
        const found = walk(path, false);
        if (found) return found;
      } else if (RENDERED.has(extname(entry.name).toLowerCase())) return relative(sourceDir, path);
    }
    return null;
  };
  return walk(sourceDir, true);
}
