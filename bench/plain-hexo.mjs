#!/usr/bin/env node
// The reference side of the build curve: plain `hexo generate` — what a Hexo user runs — over a site whose
// _config.yml names the `landscape` theme (copied into <site>/themes/landscape, as `hexo init` leaves it).
// Hexo is driven through its API the way hexo-cli drives it, with the same plugins newsstand bundles
// (src/site/hexo-packages.ts BUNDLED_PLUGINS) loaded from this repository's node_modules, because the
// benchmark site has no node_modules of its own. The benchmark sets TZ to the site's timezone in this
// process's environment, as newsstand does for its own build.
//
//   node bench/plain-hexo.mjs <site dir>        prints `files: N` (routes Hexo generated)
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import Hexo from 'hexo';
import { BUNDLED_PLUGINS } from '../dist/site/hexo-packages.js';

const require = createRequire(import.meta.url);

const siteArg = process.argv[2];
if (!siteArg) {
  process.stderr.write('usage: node bench/plain-hexo.mjs <site dir>\n');
  process.exit(2);
}
const hexo = new Hexo(resolve(siteArg), { silent: true, debug: false, _: ['generate'] });
hexo.env.init = true; // hexo-cli sets this when it finds the site's _config.yml
try {
  await hexo.init();
  for (const plugin of BUNDLED_PLUGINS) await hexo.loadPlugin(require.resolve(plugin));
  await hexo.call('generate', {});
  process.stdout.write(`files: ${hexo.route.list().length}\n`);
} finally {
  await hexo.exit();
}
