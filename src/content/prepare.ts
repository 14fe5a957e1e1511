import { itemId } from '../identity.js';
import type { Article, FeedItem } from '../item.js';
import { cleanHtml, type ImageOptions } from './clean.js';

export interface PrepareOptions {
  /** The source's stable identity, part of every item id. */
  sourceKey: string;
  images: ImageOptions & { default?: string };
}

/** A feed item made ready to publish: its id, its cleaned HTML and its lead image. */
export function prepareArticle(item: FeedItem, options: PrepareOptions, id = itemId(options.sourceKey, item)): Article {
  const cleaned = cleanHtml(item.contentHtml || item.summary, { baseUrl: item.baseUrl, images: options.images });
  return {
    id,
    item,
    html: cleaned.html,
    leadImage: cleaned.leadImage || item.image || options.images.default || '',
  };
}
