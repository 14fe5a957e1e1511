import fc from 'fast-check';
import { full_url_for } from 'hexo-util';
import { describe, expect, it } from 'vitest';
import { pageUrlFor } from './page-url.js';

/** full_url_for as Hexo's template locals call it: under the site's URL alone. */
const stock = (url: string) => (path: string) => full_url_for.call({ config: { url } } as never, path);

/** What a call gives: its URL, or the error it throws (full_url_for throws on a malformed escape). */
function outcome(call: () => string): string {
  try {
    return call();
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

const SITES = [
  'https://news.example.com',
  'https://news.example.com/',
  'https://News.Example.com/planet',
  'http://127.0.0.1:4000/a/b',
  'https://例子.测试/新闻', // not plain: full_url_for's own answers
  'https://news.example.com/a%20b',
];

describe('a page URL', () => {
  it("is full_url_for's, for any path", () => {
    const piece = fc.constantFrom(
      ...['a', 'Z', '0', '-', '_', '.', '..', '~', '/', '//', '新闻', '東京', 'é', '\u00a0', '𠮷', '\ud800', '\udc00'],
      ...['%', '%E6%96%B0', '?', '#', ' ', ':', '\\', '@', '&', '+', 'index.html', 'https:', 'http://x.org/'],
    );
    fc.assert(
      fc.property(fc.constantFrom(...SITES), fc.array(piece, { maxLength: 8 }), (site, pieces) => {
        const path = pieces.join('');
        expect(outcome(() => pageUrlFor(site, stock(site))(path))).toBe(outcome(() => stock(site)(path)));
      }),
      { numRuns: 5000 },
    );
  });

  it('is made without full_url_for for the paths of a site', () => {
    let calls = 0;
    const counted = (url: string) => (path: string) => (calls++, stock(url)(path));
    const url = pageUrlFor('https://news.example.com/planet', counted('https://news.example.com/planet'));
    calls = 0;
    expect(url('2026/09/02/002f8b09d70f9543/index.html')).toBe('https://news.example.com/planet/2026/09/02/002f8b09d70f9543/index.html');
    expect(url('categories/行业媒体/page/2/')).toBe(
      'https://news.example.com/planet/categories/%E8%A1%8C%E4%B8%9A%E5%AA%92%E4%BD%93/page/2/',
    );
    expect(calls).toBe(0);
  });
});
