import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSite } from '../src/sync/sync.js';
import { parseWithHexo } from './helpers/hexo-front-matter.js';
import { elementsOf } from './helpers/html.js';
import { makeSite, SEED_FEED, SEED_POST, type TestSite } from './helpers/site.js';

/** The keys SPEC §1 allows after `thumbnail`. */
const OPTIONAL_TRAILING_KEYS = ['updated', 'original_url', 'newsstand_id'];

function bodyBetweenDiv(content: string): string {
  const match = /<div>([\s\S]*)<\/div>\s*$/.exec(content.trim());
  if (!match) throw new Error('body is not wrapped in <div>…</div>');
  return match[1]!;
}

describe('the seed post', () => {
  let site: TestSite;
  let post: string;
  const seed = readFileSync(SEED_POST, 'utf8');

  beforeAll(async () => {
    site = makeSite({
      sources: [{ file: SEED_FEED, categories: ['新媒体', 'Aljazeera 半岛网', '新闻'] }],
      defaults: { retention: { maxAge: '36500d' } },
    });
    const summary = await syncSite({ config: await site.config() });
    expect(summary.posts.created).toBe(1);
    const posts = Object.values(site.posts());
    expect(posts).toHaveLength(1);
    post = posts[0]!;
  });
  afterAll(() => site.remove());

  it('has the seed front matter: same keys in the same order, same values, only allowed keys after', () => {
    const expected = parseWithHexo(seed.trimStart());
    const actual = parseWithHexo(post);
    const expectedKeys = Object.keys(expected).filter((key) => key !== '_content');
    const actualKeys = Object.keys(actual).filter((key) => key !== '_content');
    expect(actualKeys.slice(0, expectedKeys.length)).toEqual(expectedKeys);
    for (const extra of actualKeys.slice(expectedKeys.length)) expect(OPTIONAL_TRAILING_KEYS).toContain(extra);
    for (const key of expectedKeys) expect(actual[key], key).toEqual(expected[key]);
  });

  it('writes the front matter in the seed style, line for line', () => {
    const seedLines = seed.trimStart().split('\n');
    const seedEnd = seedLines.indexOf('---', 1);
    const postLines = post.split('\n');
    expect(postLines.slice(0, seedEnd)).toEqual(seedLines.slice(0, seedEnd));
  });

  it('has a body equivalent to the seed, element by element', () => {
    const expected = elementsOf(bodyBetweenDiv(parseWithHexo(seed.trimStart())._content));
    const actual = elementsOf(bodyBetweenDiv(parseWithHexo(post)._content));
    expect(actual.map((e) => e.tag)).toEqual(expected.map((e) => e.tag));
    expect(actual).toEqual(expected);
    const images = actual.filter((e) => e.tag === 'img');
    expect(images).toHaveLength(2);
    for (const image of images) expect(image.referrerpolicy).toBe('no-referrer');
  });

  it('is dated in GMT as toUTCString prints it', () => {
    expect(post).toContain('\ndate: Sat, 08 Jan 2022 11:58:24 GMT\n');
  });
});
