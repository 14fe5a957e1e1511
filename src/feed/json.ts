import type { FeedInfo, FeedItem } from '../item.js';
import { parseFeedDate } from './dates.js';
import { resolveUrl, webUrl } from './links.js';
import { enclosure } from './media.js';
import { firstText, list, record, text, uniqueNonEmpty } from './read.js';
import type { NormalizeContext } from './rss.js';
import { MAX_NAME_LENGTH, MAX_TITLE_LENGTH, plainText, textToHtml } from './text.js';

/** JSON Feed 1.0 and 1.1 (1.0's singular `author` arrives as `authors`). */
export function normalizeJson(feed: Record<string, unknown>, context: NormalizeContext): { feed: FeedInfo; items: FeedItem[] } {
  const home = webUrl(resolveUrl(text(feed.home_page_url), context.feedUrl));
  const bases = [context.feedUrl, home];
  const language = text(feed.language).trim();
  const dates = { ...context.dates, language: context.dates.language || language };
  const feedAuthor = authorName(feed);

  const info: FeedInfo = {
    format: context.format,
    title: plainText(text(feed.title), { html: false, maxLength: MAX_TITLE_LENGTH }),
    link: home,
    description: plainText(text(feed.description), { html: false }),
    language,
    image: resolveUrl(firstText(feed.icon, feed.favicon), ...bases),
    updated: null,
    refreshMs: null,
  };

  const items = list(feed.items).map((raw): FeedItem => {
    const item = record(raw);
    const link = webUrl(resolveUrl(firstText(item.url, item.external_url), ...bases));
    const html = text(item.content_html);
    const enclosures = list(item.attachments)
      .map(record)
      .map((a) => enclosure(resolveUrl(text(a.url), ...bases), a.mime_type, a.size_in_bytes))
      .filter((e) => e.url !== '');
    return {
      guid: text(item.id).trim(),
      title: plainText(text(item.title), { html: false, maxLength: MAX_TITLE_LENGTH }),
      link,
      published: parseFeedDate(text(item.date_published), dates),
      updated: parseFeedDate(text(item.date_modified), dates),
      author: authorName(item) || feedAuthor,
      categories: uniqueNonEmpty(list(item.tags).map((tag) => plainText(text(tag), { html: false, maxLength: MAX_NAME_LENGTH }))),
      summary: text(item.summary),
      contentHtml: html.trim() ? html : textToHtml(text(item.content_text)),
      // An image attachment is the item's picture when it names none, as an RSS image enclosure is.
      image:
        resolveUrl(firstText(item.image, item.banner_image), link, ...bases) ||
        (enclosures.find((e) => /^image\//i.test(e.type))?.url ?? ''),
      enclosures,
      baseUrl: link || resolveUrl(context.feedUrl || home),
    };
  });
  return { feed: info, items };
}

/** Every author's name, joined: "林晓舟, 王建华". */
function authorName(holder: Record<string, unknown>): string {
  const authors = list(holder.authors).length > 0 ? list(holder.authors) : [holder.author];
  const names = uniqueNonEmpty(authors.map((author) => plainText(text(record(author).name), { html: false, maxLength: MAX_NAME_LENGTH })));
  return plainText(names.join(', '), { html: false, maxLength: MAX_NAME_LENGTH });
}
