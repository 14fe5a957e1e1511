/**
 * The path a feed takes in `newsstand sync`, in process: bytes → parseFeedBytes → prepareArticle (cleaning)
 * → the post text (front matter + body, as publish-source renders it) → read back by Hexo's own
 * front-matter parser. Used by the hostile-input and fuzz tests to drive the product's real functions.
 */
import { expect } from 'vitest';
import { prepareArticle } from '../../src/content/prepare.js';
import { parseFeedBytes, type ParseOptions } from '../../src/feed/parse.js';
import type { Article, ParsedFeed } from '../../src/item.js';
import { postBaseName } from '../../src/post/file-name.js';
import type { PostFrontMatter } from '../../src/post/front-matter.js';
import { renderPost } from '../../src/post/post-text.js';
import { parseWithHexo } from '../helpers/hexo-front-matter.js';

export const CATEGORIES = ['新闻', 'Hostile: site', '- channel #1'];
export const SOURCE_NAME = 'Hostile 源';
export const NOW = new Date('2025-06-01T12:00:00Z');

export interface PublishedPost {
  article: Article;
  frontMatter: PostFrontMatter;
  fileName: string;
  text: string;
  /** The post as Hexo reads it. */
  hexo: Record<string, unknown> & { _content: string };
}

/** Every item of `bytes` made into a post, as sync would; throws what the parser throws. */
export async function publishInProcess(
  bytes: Uint8Array,
  options: ParseOptions & { filename?: string; categories?: string[] } = {},
): Promise<{ parsed: ParsedFeed; posts: PublishedPost[] }> {
  const parsed = parseFeedBytes(bytes, options);
  const posts: PublishedPost[] = [];
  for (const item of parsed.items) {
    const article = await prepareArticle(item, { sourceKey: 'file:hostile.xml', images: { referrerPolicy: 'no-referrer', lazy: true } });
    const date = item.published ?? item.updated ?? NOW;
    const frontMatter: PostFrontMatter = {
      title: article.title || 'Untitled',
      categories: options.categories ?? CATEGORIES,
      headimg: article.leadImage,
      author: item.author || SOURCE_NAME,
      comments: false,
      date,
      thumbnail: article.leadImage,
      updated: item.updated && item.updated.getTime() - date.getTime() >= 1000 ? item.updated : null,
      original_url: item.link,
      newsstand_id: article.id,
    };
    const text = renderPost(frontMatter, article.html);
    const fileName = postBaseName(options.filename ?? ':year-:month-:day-:title-:id', {
      date,
      id: article.id,
      title: article.title,
      source: SOURCE_NAME,
    });
    posts.push({ article, frontMatter, fileName, text, hexo: parseWithHexo(text) });
  }
  return { parsed, posts };
}

function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** What every post must be, whatever the input: Hexo reads back exactly the front matter written, and the body. */
export function expectSanePost(post: PublishedPost): void {
  const { hexo, frontMatter, article } = post;
  expect(hexo.title).toBe(frontMatter.title);
  expect(hexo.author).toBe(frontMatter.author);
  expect(hexo.categories).toEqual(frontMatter.categories);
  if (frontMatter.original_url) expect(hexo.original_url).toBe(frontMatter.original_url);
  expect(hexo.newsstand_id).toBe(frontMatter.newsstand_id);
  expect(hexo._content).toBe(`\n<div>\n${article.html}\n</div>\n`);
  // The body stays inert: no active elements or handlers (a `<` in text is always escaped, so every `<` left
  // opens a tag the cleaner wrote), no Nunjucks for Hexo to run, no blank line to end the HTML block.
  expect(article.html).not.toMatch(
    /<(?:script|style|object|embed|form|base|meta|link|svg|math)\b|<[a-z0-9]+(?:\s+[\w:-]+="[^"]*")*\s+on[a-z]+=/i,
  );
  expect(article.html).not.toMatch(/\{[{%#]|\n[ \t]*\n/);
  // The title as the feed layer cleaned it (plain text, at most 300 code units) is what Hexo shows.
  expect(frontMatter.title.length).toBeLessThanOrEqual(300);
  expect(frontMatter.author.length).toBeLessThanOrEqual(200);
  expect(hasLoneSurrogate(post.text)).toBe(false);
  expect(post.text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  expect(post.fileName).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
  expect(post.fileName.length).toBeLessThanOrEqual(120);
}
