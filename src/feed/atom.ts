import type { FeedInfo, FeedItem } from '../item.js';
import { parseFeedDate, type DateContext } from './dates.js';
import { contentBaseUrl, resolveUrl, selfLink, webUrl } from './links.js';
import { attachedImage, enclosure } from './media.js';
import { firstText, list, record, text, uniqueNonEmpty } from './read.js';
import type { NormalizeContext } from './rss.js';
import { feedRefreshMs } from './refresh.js';
import { MAX_NAME_LENGTH, MAX_TITLE_LENGTH, plainText } from './text.js';

/** Atom 0.3 and 1.0 (feedsmith maps 0.3's issued/modified onto published/updated). */
export function normalizeAtom(feed: Record<string, unknown>, context: NormalizeContext): { feed: FeedInfo; items: FeedItem[] } {
  // A feed read from a file has no URL of its own: its rel="self" link stands in as the base for relative links.
  const feedUrl = context.feedUrl || selfLink(list(feed.links));
  const feedBase = resolveUrl(text(record(feed.xml).base), feedUrl) || text(record(feed.xml).base);
  const language = firstText(record(feed.xml).lang, list(record(feed.dc).languages)[0]).replace(/_/g, '-');
  const dates: DateContext = { ...context.dates, language: context.dates.language || language };
  const siteLink = webUrl(resolveUrl(alternateLink(list(feed.links).map(record)), feedBase, feedUrl));

  const info: FeedInfo = {
    format: context.format,
    title: atomText(feed.title, MAX_TITLE_LENGTH),
    link: siteLink,
    description: atomText(feed.subtitle),
    language,
    image: resolveUrl(firstText(feed.logo, feed.icon), feedBase, feedUrl),
    updated: parseFeedDate(text(feed.updated), dates),
    refreshMs: feedRefreshMs({
      updatePeriod: text(record(feed.sy).updatePeriod),
      updateFrequency: Number(text(record(feed.sy).updateFrequency)) || null,
    }),
  };
  const feedAuthor = personNames(list(feed.authors));
  const items = list(feed.entries).map((raw) => normalizeEntry(record(raw), { feedBase, feedUrl: feedUrl, siteLink, feedAuthor, dates }));
  return { feed: info, items };
}

interface EntryContext {
  feedBase: string;
  feedUrl: string;
  siteLink: string;
  feedAuthor: string;
  dates: DateContext;
}

function normalizeEntry(entry: Record<string, unknown>, context: EntryContext): FeedItem {
  const entryBase = text(record(entry.xml).base);
  const bases = [entryBase, context.feedBase, context.feedUrl, context.siteLink];
  const links = list(entry.links).map(record);
  const link = webUrl(resolveUrl(alternateLink(links), ...bases));

  const content = record(entry.content);
  const contentHtml = atomHtml(content) || atomHtml(record(entry.summary));
  const enclosures = links
    .filter((l) => text(l.rel).toLowerCase() === 'enclosure')
    .map((l) => enclosure(resolveUrl(text(l.href), ...bases), l.type, l.length))
    .filter((e) => e.url !== '');
  const contentBase = text(record(content.xml).base);

  return {
    guid: text(entry.id).trim(),
    title: atomText(entry.title, MAX_TITLE_LENGTH),
    link,
    published: parseFeedDate(text(entry.published), context.dates) ?? parseFeedDate(text(list(record(entry.dc).dates)[0]), context.dates),
    updated: parseFeedDate(text(entry.updated), context.dates),
    author:
      personNames(list(entry.authors)) ||
      plainText(text(list(record(entry.dc).creators)[0]), { maxLength: MAX_NAME_LENGTH }) ||
      context.feedAuthor,
    // A category's label is for people, its term for machines: the label when there is one.
    categories: uniqueNonEmpty([
      ...list(entry.categories).map((c) => plainText(firstText(record(c).label, record(c).term), { maxLength: MAX_NAME_LENGTH })),
      ...list(record(entry.dc).subjects).map((s) => plainText(text(s), { maxLength: MAX_NAME_LENGTH })),
    ]),
    summary: atomHtml(content) ? atomHtml(record(entry.summary)) : '',
    contentHtml,
    image: attachedImage(entry, enclosures, bases),
    enclosures,
    baseUrl: contentBaseUrl([contentBase, entryBase, context.feedBase], link, context.feedUrl, context.siteLink),
  };
}

/** The page a feed or entry stands for: rel="alternate" (or no rel), HTML preferred. */
function alternateLink(links: Array<Record<string, unknown>>): string {
  const alternates = links.filter((l) => ['', 'alternate'].includes(text(l.rel).trim().toLowerCase()) && text(l.href).trim() !== '');
  const html = alternates.find((l) => /html/i.test(text(l.type)));
  return text((html ?? alternates[0])?.href);
}

/** Atom text constructs: type="text" is literal; "html" and "xhtml" carry markup. */
function atomText(value: unknown, maxLength?: number): string {
  const construct = record(value);
  const type = text(construct.type).toLowerCase();
  return plainText(text(value), { html: type === 'html' || type === 'xhtml' || type === 'text/html', maxLength });
}

function atomHtml(construct: Record<string, unknown>): string {
  const value = text(construct.value);
  if (value.trim() === '') return '';
  const type = text(construct.type).toLowerCase();
  if (type === '' || type === 'text' || type === 'text/plain') return escapeHtml(value);
  return value;
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Every `<author>`'s name, joined: "林晓舟, 王建华". */
function personNames(people: unknown[]): string {
  const names = uniqueNonEmpty(people.map((person) => plainText(text(record(person).name), { maxLength: MAX_NAME_LENGTH })));
  return plainText(names.join(', '), { maxLength: MAX_NAME_LENGTH });
}
