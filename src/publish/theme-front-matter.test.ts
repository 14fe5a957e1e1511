import { describe, expect, it } from 'vitest';
import type { Article } from '../item.js';
import { themeFrontMatter } from './theme-front-matter.js';

const LEAD = 'https://img.example.cn/lead.jpg';

function article(html: string, leadImage = LEAD): Article {
  return {
    id: 'abc',
    item: { link: 'https://example.cn/a/1' } as Article['item'],
    title: 't',
    html,
    leadImage,
    mirroredImages: [],
    problems: [],
    retryLater: false,
  };
}

describe('themeFrontMatter', () => {
  it("gives each key its field's value, in the order given", () => {
    const keys = [
      ['cover', 'image'],
      ['photos', 'images'],
      ['by', 'author'],
      ['source_link', 'link'],
      ['toc', false],
    ] as const;
    expect(themeFrontMatter(keys, { article: article('<p>x</p>'), author: '林雅婷' })).toEqual([
      ['cover', LEAD],
      ['photos', [LEAD]],
      ['by', '林雅婷'],
      ['source_link', 'https://example.cn/a/1'],
      ['toc', false],
    ]);
  });

  it('leaves the image keys empty when the item has no lead image', () => {
    expect(
      themeFrontMatter(
        [
          ['cover', 'image'],
          ['photos', 'images'],
        ],
        { article: article('<p>x</p>', ''), author: 'a' },
      ),
    ).toEqual([
      ['cover', ''],
      ['photos', []],
    ]);
  });

  it('makes the excerpt from the text only, clipped, escaped, inert for Hexo', () => {
    const html = `<p>第一段 <b>加粗</b> &lt;script&gt; {{ price }}</p><p><img src="${LEAD}"></p><p>${'长'.repeat(300)}</p>`;
    const [[, excerpt], [, summary]] = themeFrontMatter(
      [
        ['excerpt', 'excerpt'],
        ['description', 'summary'],
      ],
      { article: article(html), author: 'a' },
    ) as [string, string][];
    expect(summary).toMatch(/^第一段 加粗 <script> \{\{ price \}\} 长+…$/);
    expect([...summary].length).toBeLessThanOrEqual(200);
    expect(excerpt).toBe(
      `<p>${summary.replace('<', '&lt;').replace('>', '&gt;').replace('{{', '&#123;&#123;').replace('}}', '&#125;&#125;')}</p>`,
    );
    expect(excerpt).not.toContain('<img');
  });

  it('writes nothing for a theme without keys', () => {
    expect(themeFrontMatter([], { article: article('<p>x</p>'), author: 'a' })).toEqual([]);
  });
});
