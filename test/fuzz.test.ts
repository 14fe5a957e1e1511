/**
 * Fuzzing the path sync takes — parseFeedBytes → prepareArticle (cleaning) → the post text → Hexo's own
 * front-matter parser — with the fixture feeds mutated at the byte level: slices deleted, inserted and
 * duplicated, tags swapped, the document truncated, `<` `&` NUL and invalid UTF-8 injected, huge attributes,
 * deep nesting, entity declarations. The parser may refuse a document only with NotAFeedError or
 * InvalidFeedError; anything else thrown is a bug, and every post must read back exactly as written.
 * Bounded for CI; set FUZZ_RUNS to run longer, FUZZ_SEED to replay a failure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feedDocument } from '../src/content/feed-document.js';
import { InvalidFeedError, NotAFeedError } from '../src/errors.js';
import { parseFeedBytes } from '../src/feed/parse.js';
import { MAX_NAME_LENGTH, MAX_TITLE_LENGTH, plainText } from '../src/feed/text.js';
import { SEED_FEED } from './helpers/site.js';
import { apply, mutation } from './hostile/mutate.js';
import { expectSanePost, publishInProcess, SOURCE_NAME } from './hostile/pipeline.js';

const TESTDATA = new URL('../src/feed/testdata/', import.meta.url).pathname;
// The seed's feed, the parser's fixtures and the feeds in the wild (not their expectations).
const SEED_DIRS = [TESTDATA, join(TESTDATA, 'wild')];
const SEEDS: Array<{ name: string; bytes: Buffer }> = [
  { name: basename(SEED_FEED), bytes: readFileSync(SEED_FEED) },
  ...SEED_DIRS.flatMap((dir) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.md') && !entry.name.endsWith('.expected.json'))
      .map((entry) => ({ name: entry.name, bytes: readFileSync(join(dir, entry.name)) })),
  ),
];

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

const OPTIONS = { sourceKey: 'file:fuzz.xml', images: { referrerPolicy: 'no-referrer', lazy: true } };

describe('fuzz: mutated fixture feeds through parse → clean → post', () => {
  it(`never throws anything but NotAFeedError/InvalidFeedError, and every post reads back (${RUNS} runs)`, async () => {
    let withPosts = 0;
    await fc.assert(
      // A cap of 1 or 2 sends most fixtures (2–8 items) through the capped path, which parses in slices.
      fc.asyncProperty(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(1, 2, 50),
        async (seed, mutations, maxItems) => {
          const bytes = apply(seed.bytes, mutations);
          let published;
          try {
            published = await publishInProcess(bytes, { url: 'https://fuzz.example/feed.xml', maxItems });
          } catch (error) {
            if (error instanceof NotAFeedError || error instanceof InvalidFeedError) return;
            throw error;
          }
          if (published.posts.length > 0) withPosts++;
          expect(published.posts.length).toBeLessThanOrEqual(maxItems);
          for (const post of published.posts) expectSanePost(post);
          // What `newsstand parse` prints: the same items, as JSON.
          const document = await feedDocument(parseFeedBytes(bytes, { url: 'https://fuzz.example/feed.xml', maxItems }), OPTIONS);
          JSON.parse(JSON.stringify(document));
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // The mutations must leave most documents readable, or the posts path would go untested.
    expect(withPosts).toBeGreaterThan(RUNS / 3);
  });
});

describe('property: feed text through parse → post → Hexo', () => {
  // Any Unicode (controls and lone surrogates included), YAML's indicators and keywords, and markup.
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(...'-?:,[]{}#&*!|>\'"%@`~<=. \t\n\r\\0123456789abefilnorstuxyENOTY'.split('')), maxLength: 16 }),
    fc.string({
      unit: fc.constantFrom('<b>', '</b>', '<br>', '&amp;', '&lt;', '&#x1F600;', '<!--', '-->', ' ', '\u3000', '新闻', '😀', 'e\u0301'),
      maxLength: 8,
    }),
  );
  const xml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // What survives being written as UTF-8: a lone surrogate becomes U+FFFD.
  const utf8 = (value: string) => Buffer.from(value, 'utf8').toString('utf8');

  it('a title, author and categories read back by Hexo exactly as cleaned (10,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        text,
        fc.array(
          text.filter((c) => c.trim() !== ''),
          { minLength: 1, maxLength: 3 },
        ),
        async (title, author, categories) => {
          const feed =
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>P</title>' +
            `<item><title>${xml(title)}</title><dc:creator>${xml(author)}</dc:creator><link>https://p.example/1</link></item></channel></rss>`;
          const { parsed, posts } = await publishInProcess(Buffer.from(feed, 'utf8'), { categories });
          const cleanTitle = plainText(utf8(title), { maxLength: MAX_TITLE_LENGTH });
          const cleanAuthor = plainText(utf8(author), { maxLength: MAX_NAME_LENGTH });
          expect(parsed.items[0]!.title).toBe(cleanTitle);
          expect(parsed.items[0]!.author).toBe(cleanAuthor);
          const [post] = posts;
          expect(post!.hexo.title).toBe(cleanTitle || 'Untitled');
          expect(post!.hexo.author).toBe(cleanAuthor || SOURCE_NAME);
          expect(post!.hexo.categories).toEqual(categories.map(utf8));
          expectSanePost(post!);
        },
      ),
      { numRuns: 10_000, seed: SEED, endOnFailure: true },
    );
  });
});
