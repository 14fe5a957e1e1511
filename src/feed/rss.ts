import type { FeedFormat, FeedInfo, FeedItem } from '../item.js';
import { parseFeedDate, type DateContext } from './dates.js';
import { contentBaseUrl, resolveUrl, selfLink, webUrl } from './links.js';
import { attachedImage, enclosure } from './media.js';
import { firstText, list, record, text, uniqueNonEmpty } from './read.js';
import { feedRefreshMs } from './refresh.js';
import { MAX_NAME_LENGTH, MAX_TITLE_LENGTH, plainText } from './text.js';

export interface NormalizeContext {
  format: FeedFormat;
  /** The feed's own URL when it came over HTTP(S); "" for local files. */
  feedUrl: string;
  dates: DateContext;
}

/** RSS 0.9x, 2.0 and RDF (RSS 0.90/1.0) share one shape once feedsmith has read them. */
export function normalizeRss(feed: Record<string, unknown>, context: NormalizeContext): { feed: FeedInfo; items: FeedItem[] } {
  // A feed read from a file has no URL of its own: its rel="self" link stands in as the base for relative links.
  const feedUrl = context.feedUrl || selfLink(list(record(feed.atom).links));
  const feedBase = text(record(feed.xml).base);
  const channelLink = resolveUrl(text(feed.link), feedBase, feedUrl);
  // `en_US` is written for `en-US` often enough; xml:lang on <rss> stands in when no element says it.
  const language = firstText(feed.language, list(record(feed.dc).languages)[0], record(feed.xml).lang).replace(/_/g, '-');
  const dates: DateContext = { ...context.dates, language: context.dates.language || language };

  const info: FeedInfo = {
    format: context.format,
    // Dublin Core and iTunes stand in for what the channel leaves out.
    title: plainText(firstText(feed.title, list(record(feed.dc).titles)[0]), { maxLength: MAX_TITLE_LENGTH }),
    link: webUrl(channelLink),
    description: plainText(firstText(feed.description, record(feed.itunes).subtitle, record(feed.itunes).summary)),
    language,
    image: resolveUrl(text(record(feed.image).url), feedBase, feedUrl, channelLink),
    updated:
      parseFeedDate(text(feed.lastBuildDate), dates) ??
      parseFeedDate(text(feed.pubDate), dates) ??
      parseFeedDate(text(list(record(feed.dc).dates)[0]), dates),
    refreshMs: feedRefreshMs({
      ttlMinutes: Number(text(feed.ttl)) || null,
      updatePeriod: text(record(feed.sy).updatePeriod),
      updateFrequency: Number(text(record(feed.sy).updateFrequency)) || null,
    }),
  };

  // A podcast files the whole show under its iTunes categories: they stand for episodes that name none.
  const showCategories = uniqueNonEmpty(iTunesCategoryNames(list(record(feed.itunes).categories)));
  const items = list(feed.items).map((raw) => normalizeRssItem(record(raw), { feedBase, channelLink, feedUrl, dates, showCategories }));
  return { feed: info, items };
}

/** `<itunes:category text="Technology"><itunes:category text="Tech News"/></itunes:category>` → both names, outer first. */
function iTunesCategoryNames(categories: unknown[]): string[] {
  return categories.flatMap((category) => [
    plainText(text(record(category).text), { maxLength: MAX_NAME_LENGTH }),
    ...iTunesCategoryNames(list(record(category).categories)),
  ]);
}

interface ItemContext {
  feedBase: string;
  channelLink: string;
  feedUrl: string;
  dates: DateContext;
  showCategories: string[];
}

function normalizeRssItem(item: Record<string, unknown>, context: ItemContext): FeedItem {
  const dc = record(item.dc);
  const itunes = record(item.itunes);
  const media = record(item.media);
  const guid = record(item.guid);
  const itemBase = text(record(item.xml).base);
  // Relative links resolve against xml:base, then the feed URL, then (for local files) the site's link.
  const linkBases = [itemBase, context.feedBase, context.feedUrl, context.channelLink];

  const guidValue = text(guid.value).trim() || text(record(item.rdf).about).trim();
  const permalinkGuid = guid.isPermaLink !== false && /^https?:\/\//i.test(guidValue) ? guidValue : '';
  const link = webUrl(resolveUrl(firstText(item.link, permalinkGuid), ...linkBases));

  const encoded = text(record(item.content).encoded);
  const description = text(item.description);
  const enclosures = list(item.enclosures)
    .map(record)
    .map((e) => enclosure(resolveUrl(text(e.url), ...linkBases), e.type, e.length))
    .filter((e) => e.url !== '');

  return {
    guid: guidValue,
    title: plainText(firstText(item.title, list(dc.titles)[0], record(media.title).value), { maxLength: MAX_TITLE_LENGTH }),
    link,
    published:
      parseFeedDate(text(item.pubDate), context.dates) ??
      parseFeedDate(text(list(dc.dates)[0]), context.dates) ??
      parseFeedDate(text(list(record(item.dcterms).issued)[0]), context.dates),
    updated: parseFeedDate(text(list(record(item.dcterms).modified)[0]), context.dates),
    author: plainText(firstText(list(dc.creators)[0], personName(text(record(list(item.authors)[0]).name)), itunes.author), {
      maxLength: MAX_NAME_LENGTH,
    }),
    categories: orElse(
      uniqueNonEmpty([
        ...list(item.categories).map((c) => plainText(text(record(c).name), { maxLength: MAX_NAME_LENGTH })),
        ...list(dc.subjects).map((s) => plainText(text(s), { maxLength: MAX_NAME_LENGTH })),
        ...[...list(itunes.keywords), ...list(media.keywords)].map((k) => plainText(text(k), { maxLength: MAX_NAME_LENGTH })),
      ]),
      context.showCategories,
    ),
    summary: encoded.trim() ? description : '',
    contentHtml: encoded.trim() ? encoded : description,
    image: attachedImage(item, enclosures, linkBases),
    enclosures,
    baseUrl: contentBaseUrl([itemBase, context.feedBase], link, context.feedUrl, context.channelLink),
  };
}

function orElse(values: string[], fallback: string[]): string[] {
  return values.length > 0 ? values : fallback;
}

/** RSS `<author>` is an e-mail address, conventionally `mail@example.com (Name)`: keep the name. */
function personName(value: string): string {
  // The name in the final parentheses, found by hand: the pattern /\(([^)]+)\)\s*$/ retried from every
  // "(" and took minutes on an author of 100,000 of them.
  const trimmed = value.trimEnd();
  if (trimmed.endsWith(')')) {
    const open = trimmed.indexOf('(', trimmed.lastIndexOf(')', trimmed.length - 2) + 1);
    if (open !== -1 && open < trimmed.length - 2) return trimmed.slice(open + 1, -1);
  }
  return /^[^\s@]+@[^\s@]+$/.test(value.trim()) ? '' : value;
}
