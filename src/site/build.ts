import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readlink, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import Hexo from 'hexo';
import { UserError } from '../errors.js';
import { readHexoConfig } from './hexo-config.js';
import { BUNDLED_PLUGINS, BUNDLED_THEMES } from './hexo-packages.js';

const require = createRequire(import.meta.url);

/** Files Hexo writes at once. */
const GENERATE_CONCURRENCY = 64;

export interface BuildResult {
  /** Files Hexo wrote or kept in `public/`. */
  files: number;
  ms: number;
  indexHtml: string;
}

/**
 * Renders the site with Hexo's own API, as `hexo generate` would, keeping Hexo's cache (`db.json`) between
 * builds so unchanged posts are not processed again.
 */
export async function buildSite({ root, verbose = false }: { root: string; verbose?: boolean }): Promise<BuildResult> {
  const started = Date.now();
  const siteConfig = readHexoConfig(root);
  const hexo = new Hexo(root, { silent: !verbose, debug: false, _: ['generate'] });
  // hexo-cli sets this when it finds a site; without it Hexo skips the site's config, plugins and cache.
  hexo.env.init = true;
  const theme = String(siteConfig.theme ?? 'newsstand');
  if (!siteHasTheme(root, theme) && Object.hasOwn(BUNDLED_THEMES, theme)) {
    hexo.plugin_dir = (await exposeBundledTheme(root, theme)) + sep;
  }

  // Hexo reads front-matter dates as wall-clock time in the machine's zone and then shifts them into
  // `timezone`; posts state their dates in GMT, so Hexo must run in the site's zone for no shift to happen.
  const previousTz = process.env.TZ;
  const timezone = typeof siteConfig.timezone === 'string' ? siteConfig.timezone.trim() : '';
  if (timezone) process.env.TZ = timezone;
  try {
    await hexo.init();
    for (const plugin of missingPlugins(root)) await hexo.loadPlugin(require.resolve(plugin));
    // Hexo otherwise starts writing every file of the site at once: at 20,000 posts that is more open files
    // than the system allows, retried over and over, and the whole site held in memory (53 s → 39 s,
    // 2.6 → 2.1 GB peak in the benchmark). `hexo generate -c` sets the same.
    await hexo.call('generate', { concurrency: GENERATE_CONCURRENCY });
    const files = hexo.route.list().length;
    return { files, ms: Date.now() - started, indexHtml: join(hexo.public_dir, 'index.html') };
  } catch (error) {
    throw new UserError(`Hexo could not build the site in ${root}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await hexo.exit().catch(() => undefined);
    if (timezone) {
      if (previousTz === undefined) delete process.env.TZ;
      else process.env.TZ = previousTz;
    }
  }
}

/**
 * Hexo finds a theme in <site>/themes/<name> or <plugin_dir>/hexo-theme-<name>, and names theme files by
 * their path relative to the site: a theme outside the site loads its layouts but loses its CSS and scripts.
 * So the bundled theme is exposed inside the site, in .newsstand/hexo/ (a link, or a copy where links are
 * not allowed), and that directory becomes Hexo's plugin_dir. Returns the directory.
 */
async function exposeBundledTheme(root: string, theme: string): Promise<string> {
  const directory = join(root, '.newsstand', 'hexo');
  const target = BUNDLED_THEMES[theme]!();
  const exposed = join(directory, `hexo-theme-${theme}`);
  const current = await readlink(exposed).catch(() => null);
  if (current === target) return directory;
  await rm(exposed, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  await symlink(target, exposed, 'junction').catch(() => cp(target, exposed, { recursive: true }));
  return directory;
}

function siteHasTheme(root: string, theme: string): boolean {
  return existsSync(join(root, 'themes', theme)) || existsSync(join(root, 'node_modules', `hexo-theme-${theme}`));
}

/** Bundled plugins the site does not provide itself (listed in its package.json and installed). */
function missingPlugins(root: string): string[] {
  const declared = new Set<string>();
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) declared.add(name);
  } catch {
    // no package.json: every plugin comes from newsstand
  }
  return BUNDLED_PLUGINS.filter((name) => !(declared.has(name) && existsSync(join(root, 'node_modules', name))));
}
