import { itemId } from '../item-identity.js';
import type { Article, FeedItem } from '../item.js';
import { cleanHtml, MAX_ELEMENTS, type CleanOptions, type ImageOptions } from './clean.js';
import { chineseConverter, convertItemText } from './convert.js';
import type { FullText } from './full-text.js';
import type { ImageMirror, RefererSetting } from './mirror/mirror.js';

export interface PrepareOptions {
  /** The source's stable identity, part of every item id. */
  sourceKey: string;
  images: ImageOptions & { default?: string };
  /** Hosts whose players may be embedded; the built-in list when absent. */
  embeds?: readonly string[];
  /** An OpenCC conversion (t2s, s2tw, …) applied to the title and the body's text. */
  convert?: string;
  /** Fetches the article page instead of using the feed's content (`fullText`). */
  fullText?: (item: FeedItem, id: string) => Promise<FullText>;
  /** Downloads the post's images into the site (`images.mirror`). */
  mirror?: { imageMirror: ImageMirror; referer: RefererSetting };
}

/**
 * A feed item made ready to publish: its content (the article page's when full text is on and works, else the
 * feed's), cleaned, converted, its images mirrored, and its lead image chosen. Never rejects for a page or
 * an image that cannot be fetched: the feed's content and the remote images are used, and the article says so.
 */
export async function prepareArticle(item: FeedItem, options: PrepareOptions, id = itemId(options.sourceKey, item)): Promise<Article> {
  const problems: string[] = [];
  let retryLater = false;
  let content = { html: item.contentHtml || item.summary, baseUrl: item.baseUrl, image: '' };
  if (options.fullText) {
    const page = await options.fullText(item, id);
    if ('error' in page) {
      problems.push(`full text: ${page.error}`);
      retryLater = page.retry;
    } else {
      content = page;
    }
  }

  const convertText = chineseConverter(options.convert ?? '') ?? undefined;
  const cleanOptions: CleanOptions = { baseUrl: content.baseUrl, images: options.images, embedHosts: options.embeds, convertText };
  let cleaned = cleanHtml(content.html, cleanOptions);
  if (cleaned.truncated) problems.push(`content: more than ${MAX_ELEMENTS.toLocaleString('en')} HTML elements, cut there`);
  // The body's own first real image, else the feed's picture for the item, else the page's og:image.
  let leadImage = cleaned.leadImage || item.image || content.image;
  const mirroredFiles: string[] = [];
  if (options.mirror) {
    const local = await mirrorImages([...cleaned.remoteImages, leadImage], item.link, options.mirror, problems);
    if (local.size > 0) {
      cleaned = cleanHtml(content.html, { ...cleanOptions, localImages: new Map([...local].map(([url, image]) => [url, image.url])) });
      leadImage = local.get(leadImage)?.url ?? leadImage;
      mirroredFiles.push(...new Set([...local.values()].map((image) => image.file)));
    }
  }

  // The author and categories are converted as the title and body are: the site's search finds 陈志明 after tw2sp.
  const shown = convertItemText(item, convertText);
  return {
    id,
    item: shown,
    title: shown.title,
    html: cleaned.html,
    leadImage: leadImage || options.images.default || '',
    mirroredImages: mirroredFiles,
    problems,
    retryLater,
  };
}

async function mirrorImages(
  urls: string[],
  articleUrl: string,
  mirror: NonNullable<PrepareOptions['mirror']>,
  problems: string[],
): Promise<Map<string, { url: string; file: string }>> {
  const local = new Map<string, { url: string; file: string }>();
  const wanted = [...new Set(urls.filter((url) => /^https?:/i.test(url)))];
  let failed = 0;
  await Promise.all(
    wanted.map(async (url) => {
      const image = await mirror.imageMirror.mirror(url, { referer: mirror.referer, articleUrl });
      if (image) local.set(url, image);
      else failed++;
    }),
  );
  if (failed > 0)
    problems.push(`images: ${failed} of ${wanted.length} not mirrored (${mirror.imageMirror.failures.last}); their remote URLs are kept`);
  return local;
}
