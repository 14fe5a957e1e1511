import { plainText } from '../feed/text.js';
import type { ParsedFeed } from '../item.js';
import { prepareArticle, type PrepareOptions } from './prepare.js';

/** SPEC §6: the normalized feed as `newsstand parse` prints it. Absent text is "", absent dates null. */
export interface FeedDocument {
  feed: { format: string; title: string; link: string; description: string; language: string; image: string; updated: string | null };
  items: Array<{
    id: string;
    guid: string;
    title: string;
    link: string;
    published: string | null;
    updated: string | null;
    author: string;
    categories: string[];
    summary: string;
    contentHtml: string;
    image: string;
    enclosures: Array<{ url: string; type: string; length: number }>;
  }>;
}

export async function feedDocument(parsed: ParsedFeed, options: PrepareOptions): Promise<FeedDocument> {
  const { feed } = parsed;
  return {
    feed: {
      format: feed.format,
      title: feed.title,
      link: feed.link,
      description: feed.description,
      language: feed.language,
      image: feed.image,
      updated: iso(feed.updated),
    },
    items: await Promise.all(
      parsed.items.map(async (item) => {
        const article = await prepareArticle(item, options);
        return {
          id: article.id,
          guid: item.guid,
          title: item.title,
          link: item.link,
          published: iso(item.published),
          updated: iso(item.updated),
          author: item.author,
          categories: item.categories,
          summary: plainText(item.summary),
          contentHtml: article.html,
          image: article.leadImage,
          enclosures: item.enclosures,
        };
      }),
    ),
  };
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
