import { clipText, plainText } from '../feed/text.js';
import type { Article } from '../item.js';
import type { PostFrontMatter } from '../post/front-matter.js';
import { renderPost } from '../post/post-text.js';
import type { ThemeKey } from '../theme-profiles.js';
import { themeFrontMatter } from './theme-front-matter.js';

/** What a post takes from its source, as resolved for the run. */
export interface PostSource {
  /** Author fallback. */
  name: string;
  categories: string[];
  comments: boolean;
  /** The front-matter keys the site's theme reads (theme-profiles.ts). */
  themeKeys: readonly ThemeKey[];
}

/** The post file's text for a prepared article, dated `date` (its date for life). */
export function renderArticle(article: Article, source: PostSource, date: number): string {
  return renderPost(frontMatter(article, source, date), article.html);
}

function frontMatter(article: Article, source: PostSource, date: number): PostFrontMatter {
  const { item } = article;
  // Always written: without it Hexo takes the file's modification time, and themes show the sync time as
  // the post's update.
  const updated = item.updated && item.updated.getTime() - date >= 1000 ? item.updated : new Date(date);
  const author = item.author || source.name;
  return {
    title: article.title || untitled(article.html),
    categories: source.categories,
    headimg: article.leadImage,
    author,
    comments: source.comments,
    date: new Date(date),
    thumbnail: article.leadImage,
    updated,
    original_url: item.link,
    newsstand_id: article.id,
    theme: themeFrontMatter(source.themeKeys, { article, author }),
  };
}

/** Items without a title (social posts, microblogs) are titled with the start of their text. */
function untitled(html: string): string {
  const text = plainText(html);
  return clipText(text, 61) || 'Untitled';
}
