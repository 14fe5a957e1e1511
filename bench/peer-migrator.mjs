#!/usr/bin/env node
// The peer of the pipeline benchmark: hexo-migrator-rss importing one RSS file into a Hexo site, which is what
// `hexo migrate rss <file>` does in a site that installed the plugin. hexo-cli is not involved: like newsstand
// (src/site/build.ts) this drives Hexo through its API, so both sides pay the same start-up.
//
//   node bench/peer-migrator.mjs <site dir> <feed file>
//
// Prints `posts: N` — the post files in <site>/source/_posts afterwards — so the benchmark can check that the
// peer imported every item rather than finishing early.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import Hexo from 'hexo';

const require = createRequire(import.meta.url);
const [siteArg, feedArg] = process.argv.slice(2);
if (!siteArg || !feedArg) {
  process.stderr.write('usage: node bench/peer-migrator.mjs <site dir> <feed file>\n');
  process.exit(2);
}
const site = resolve(siteArg);
const feed = resolve(feedArg);

const hexo = new Hexo(site, { silent: true, debug: false, _: ['migrate', 'rss', feed] });
// hexo-cli sets this when it finds a site's _config.yml; without it Hexo ignores the site's config.
hexo.env.init = true;
try {
  await hexo.init();
  // A site would list the plugin in its package.json; this one lives in the benchmark's node_modules.
  await hexo.loadPlugin(require.resolve('hexo-migrator-rss'));
  await hexo.call('migrate', { _: ['rss', feed] });
} finally {
  await hexo.exit();
}
const posts = readdirSync(join(site, 'source', '_posts')).filter((name) => name.endsWith('.md')).length;
process.stdout.write(`posts: ${posts}\n`);
// camaro (the peer's XML parser) keeps a worker pool; a CLI run ends when its work is done.
process.exit(0);
