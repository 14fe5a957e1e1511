import { escapeText } from '../content/escape.js';
import { clipText, plainText } from '../feed/text.js';
import type { Article } from '../item.js';
import type { FrontMatterField, ThemeKey } from '../theme-profiles.js';
import type { PostFrontMatter } from '../post/front-matter.js';

/** Characters of text in an excerpt or summary. */
const EXCERPT_LENGTH = 200;

/** The values of the keys the site's theme reads, for one post. */
export function themeFrontMatter(
  keys: readonly ThemeKey[],
  post: { article: Article; author: string },
): NonNullable<PostFrontMatter['theme']> {
  if (keys.length === 0) return [];
  let text: string | undefined;
  const summary = () => (text ??= clipText(plainText(post.article.html), EXCERPT_LENGTH));
  const value = (field: FrontMatterField): string | string[] => {
    switch (field) {
      case 'image':
        return post.article.leadImage ?? '';
      case 'images':
        return post.article.leadImage ? [post.article.leadImage] : [];
      case 'excerpt':
        return summary() ? `<p>${escapeText(summary(), false)}</p>` : '';
      case 'summary':
        return summary();
      case 'author':
        return post.author;
      case 'link':
        return post.article.item.link;
    }
  };
  return keys.map(([key, field]) => [key, typeof field === 'boolean' ? field : value(field)] as const);
}
