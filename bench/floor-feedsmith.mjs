#!/usr/bin/env node
// The floor of the pipeline benchmark: the least any feed-to-posts tool built on feedsmith must do — read
// the file and parse it with the same feedsmith function newsstand uses for RSS 2.0 (src/feed/parse.ts).
// Timed as a whole process, like newsstand, so start-up counts on both sides.
//
//   node bench/floor-feedsmith.mjs <feed file>        prints `items: N`
import { readFileSync } from 'node:fs';
import { parseRssFeed } from 'feedsmith';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/floor-feedsmith.mjs <feed file>\n');
  process.exit(2);
}
const feed = parseRssFeed(readFileSync(file, 'utf8'));
process.stdout.write(`items: ${feed.items?.length ?? 0}\n`);
