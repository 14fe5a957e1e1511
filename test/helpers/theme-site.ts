import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SITE_PACKAGES } from '../../src/site/hexo-packages.js';
import { THEME_PROFILES } from '../../src/theme-profiles.js';
import { REPO } from './site.js';

export const DEMO_FEEDS = join(REPO, 'examples/feeds');

/**
 * A Hexo site as a user of `theme` has it: the theme and what it needs from npm listed in its package.json
 * and installed (node_modules is newsstand's own, where the pinned themes are dev dependencies),
 * `theme: <name>` in _config.yml, and a newsstand.yml with the demo's feeds.
 */
export function makeThemeSite(theme: string): { dir: string; configFile: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `newsstand-theme-${theme}-`));
  const profile = THEME_PROFILES[theme]!;
  const dependencies: Record<string, string> = {};
  for (const name of [...SITE_PACKAGES, ...(profile.package ? [profile.package.name] : []), ...Object.keys(profile.needs ?? {})])
    dependencies[name] = '*';
  // The `hexo` key is how hexo-cli (`hexo -v`, which Volantis runs) recognises a site, as `hexo init` writes it.
  const hexo = JSON.parse(readFileSync(join(REPO, 'node_modules/hexo/package.json'), 'utf8')) as { version: string };
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `site-${theme}`, private: true, hexo: { version: hexo.version }, dependencies }),
  );
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'junction');
  const hexoConfig = readFileSync(join(REPO, 'templates/site/_config.yml'), 'utf8').replace(/^theme: .*$/m, `theme: ${theme}`);
  writeFileSync(join(dir, '_config.yml'), hexoConfig);
  mkdirSync(join(dir, 'feeds'));
  cpSync(DEMO_FEEDS, join(dir, 'feeds'), { recursive: true });
  const demo = readFileSync(join(REPO, 'examples/newsstand.yml'), 'utf8').replace(/^ {2}root: .*$/m, '  root: .');
  writeFileSync(join(dir, 'newsstand.yml'), demo);
  return { dir, configFile: join(dir, 'newsstand.yml'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
