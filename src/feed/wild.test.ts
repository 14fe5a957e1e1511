/**
 * Feeds as the wild writes them: testdata/wild/ holds golden pairs, `<name>.xml` (or `.json`) and
 * `<name>.expected.json`, the document `newsstand parse --json` prints for it (SPEC §6; item ids, which depend
 * on where the file lies, left out). Each feed's opening comment says what it tests; testdata/README.md lists
 * them by class. `UPDATE_GOLDEN=1 npx vitest run src/feed/wild.test.ts` rewrites the expectations — read the
 * diff before committing it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { feedDocument } from '../content/feed-document.js';
import { parseFeedBytes } from './parse.js';

const WILD = new URL('./testdata/wild/', import.meta.url);
const EXPECTED = '.expected.json';
const files = readdirSync(WILD);
const feeds = files.filter((file) => !file.endsWith(EXPECTED));

async function parseJson(file: string): Promise<unknown> {
  const parsed = parseFeedBytes(new Uint8Array(readFileSync(new URL(file, WILD))));
  const document = await feedDocument(parsed, { sourceKey: `file:${file}`, images: { referrerPolicy: 'no-referrer', lazy: true } });
  return { feed: document.feed, items: document.items.map(({ id: _id, ...item }) => item) };
}

function expectationOf(feed: string): string {
  return feed.replace(/\.(xml|json)$/, EXPECTED);
}

describe('feeds in the wild (testdata/wild/)', () => {
  it('pairs every feed with its expectation', () => {
    expect(feeds.length).toBeGreaterThanOrEqual(15);
    expect(files.filter((file) => file.endsWith(EXPECTED)).sort()).toEqual(feeds.map(expectationOf).sort());
  });

  it.each(feeds)('%s', async (file) => {
    const actual = await parseJson(file);
    const expectation = new URL(expectationOf(file), WILD);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectation, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(expectation, 'utf8')));
  });
});
