import { parseAtomFeed, parseJsonFeed, parseRdfFeed, parseRssFeed } from 'feedsmith';
import { InvalidFeedError, NotAFeedError } from '../errors.js';
import type { FeedFormat, FeedItem, ParsedFeed } from '../item.js';
import { normalizeAtom } from './atom.js';
import { DEFAULT_MAX_ITEMS_PER_FEED, itemSpans, keepNewest, spanDate, type Ranked, type Span } from './cap.js';
import { parseFeedDate } from './dates.js';
import { charsetFromContentType, decodeFeedBytes } from './decode.js';
import { defuseXml } from './defuse.js';
import { describeNonFeed, sniffFeed } from './detect.js';
import { normalizeJson } from './json.js';
import { liftWildForms } from './lift.js';
import { list, record, text as readText } from './read.js';
import { repairXml } from './repair.js';
import { normalizeRss, type NormalizeContext } from './rss.js';

export interface ParseOptions {
  /** Where the bytes came from: relative links resolve against it when it is http(s). */
  url?: string;
  /** The HTTP Content-Type, for its charset. */
  contentType?: string | null;
  /** Zone for dates that state none (IANA name or ±HH:MM); default: the feed language's region, else UTC. */
  timeZone?: string;
  /** At most this many items are read: the newest (see cap.ts). Default DEFAULT_MAX_ITEMS_PER_FEED. */
  maxItems?: number;
}

const FORMAT_NAMES: Record<FeedFormat, string> = {
  rss2: 'RSS 2.0',
  rss09: 'RSS 0.9x',
  rss1: 'RSS 1.0',
  atom1: 'Atom 1.0',
  atom03: 'Atom 0.3',
  json1: 'JSON Feed',
};

/** Any feed document, as bytes, to the item model. Throws NotAFeedError or InvalidFeedError. */
export function parseFeedBytes(bytes: Uint8Array, options: ParseOptions = {}): ParsedFeed {
  const { text } = decodeFeedBytes(bytes, charsetFromContentType(options.contentType));
  return parseFeedText(text, options);
}

export function parseFeedText(text: string, options: ParseOptions = {}): ParsedFeed {
  const sniffed = sniffFeed(text);
  const context = (format: FeedFormat): NormalizeContext => ({
    format,
    feedUrl: /^https?:\/\//i.test(options.url ?? '') ? (options.url ?? '') : '',
    dates: { timeZone: options.timeZone || undefined },
  });

  const maxItems = Math.max(1, Math.floor(options.maxItems ?? DEFAULT_MAX_ITEMS_PER_FEED));

  if (sniffed.kind === 'json') {
    const { feed, skippedItems } = readJsonFeed(text, maxItems, options.timeZone);
    return withSkipped(normalizeJson(feed, context('json1')), skippedItems);
  }
  if (sniffed.kind !== 'feed') throw new NotAFeedError(`not a feed: ${describeNonFeed(sniffed)}`);

  const { format } = sniffed;
  const normalize = (xml: string): ParsedFeed => {
    const document = parseXmlFeed(xml, sniffed);
    return format === 'atom1' || format === 'atom03' ? normalizeAtom(document, context(format)) : normalizeRss(document, context(format));
  };
  const kind = format === 'atom1' || format === 'atom03' ? 'entry' : 'item';
  const spans = itemSpans(text, kind);
  if (spans.length > maxItems) return parseInSlices(text, spans, maxItems, kind, options.timeZone, normalize);
  // The span count is a cheap estimate: repair may recover items it did not see, so the cap applies again.
  const parsed = normalize(text);
  const kept = keepNewest(ranked(parsed.items), maxItems).map((entry) => entry.value);
  return withSkipped({ ...parsed, items: kept }, parsed.items.length - kept.length);
}

/** Items ranked for the cap, in document order. */
function ranked(items: FeedItem[]): Array<Ranked<FeedItem>> {
  return items.map((item, order) => ({ value: item, date: rankDate(item), order }));
}

function withSkipped(parsed: ParsedFeed, skippedItems: number): ParsedFeed {
  return skippedItems > 0 ? { ...parsed, skippedItems } : parsed;
}

// Items parsed at a time once the newest are chosen.
const SLICE_ITEMS = 200;
// Text between items (channel elements after the first item) repeated in every slice, at most.
const MAX_BETWEEN = 64 * 1024;

/**
 * A feed with more items than the cap. Each item's date is read straight from its text (cap.ts: the same
 * elements, decoding and date parser the normalizers use), the newest `maxItems` are chosen, and only those
 * are parsed, a slice at a time: each slice is the document with every other item cut out. Neither time nor
 * memory grows with the items that are dropped. (Parsing all 100,000 items of a feed in slices to date them
 * left the run's peak memory to the garbage collector's whims: 160 to 280 MB for the same feed.)
 */
function parseInSlices(
  text: string,
  spans: Span[],
  maxItems: number,
  kind: 'item' | 'entry',
  timeZone: string | undefined,
  normalize: (xml: string) => ParsedFeed,
): ParsedFeed {
  const head = text.slice(0, spans[0]!.start);
  const tail = text.slice(spans[spans.length - 1]!.end);
  let between = '';
  for (let index = 1; index < spans.length && between.length < MAX_BETWEEN; index++) {
    const gap = text.slice(spans[index - 1]!.end, spans[index]!.start);
    if (gap.trim() !== '') between += gap;
  }
  // The channel alone: its facts, and the language that zone-less item dates are read in.
  const { feed } = normalize(head + between + tail);
  const dates = { timeZone: timeZone || undefined, language: feed.language };
  const byDate = spans.map((span, index) => ({ value: index, date: spanDate(text, span, kind, dates), order: index }));
  const chosen = keepNewest(byDate, maxItems).map((entry) => entry.value);

  // Every slice repeats the head and tail: with a huge channel header, fewer and larger slices keep the total
  // work within a few times one parse of the document.
  const overhead = head.length + tail.length + between.length;
  const sliceItems = Math.max(SLICE_ITEMS, Math.ceil((chosen.length * overhead) / (2 * text.length)));
  const items: FeedItem[] = [];
  for (let first = 0; first < chosen.length; first += sliceItems) {
    const slice = chosen.slice(first, first + sliceItems).map((index) => text.slice(spans[index]!.start, spans[index]!.end));
    items.push(...normalize(head + between + slice.join('') + tail).items);
  }
  // The dates read from the parsed items decide in the end (they agree with the quick reading but for oddities).
  const kept = keepNewest(ranked(items), maxItems).map((entry) => entry.value);
  return withSkipped({ feed, items: kept }, spans.length - kept.length);
}

function rankDate(item: FeedItem): number | null {
  return (item.published ?? item.updated)?.getTime() ?? null;
}

function parseXmlFeed(text: string, sniffed: { format: FeedFormat; root: string; prefix: string }): Record<string, unknown> {
  const { format, root } = sniffed;
  const parse = (xml: string) => record(xmlParser(format, root)(liftWildForms(defuseXml(xml), sniffed)));
  try {
    return parse(text);
  } catch {
    // Damaged documents get one repair attempt: unescaped characters escaped, a truncated tail cut back to
    // the last complete item.
  }
  try {
    return parse(repairXml(text));
  } catch (error) {
    throw new InvalidFeedError(`invalid feed: the ${FORMAT_NAMES[format]} document is broken beyond repair (${reason(error)})`);
  }
}

function xmlParser(format: FeedFormat, root: string): (xml: string) => unknown {
  switch (format) {
    case 'atom1':
    case 'atom03':
      return (xml) => parseAtomFeed(xml);
    case 'rss1':
      return (xml) => parseRdfFeed(xml);
    case 'rss09':
      // RSS 0.90 is RDF; 0.91–0.94 are plain <rss>. The sniffer's root element decides: a prolog test of its
      // own missed the Netscape <!DOCTYPE> that most 0.91 feeds carry and sent them to the RDF parser.
      return root === 'rss' ? (xml) => parseRssFeed(xml) : (xml) => parseRdfFeed(xml);
    default:
      return (xml) => parseRssFeed(xml);
  }
}

function readJsonFeed(
  text: string,
  maxItems: number,
  timeZone: string | undefined,
): { feed: Record<string, unknown>; skippedItems: number } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // A JSON Feed cut off or mangled in transit is a broken feed, not "not a feed": say which.
    if (/jsonfeed\.org\/version\/1/i.test(text.slice(0, 4096))) {
      throw new InvalidFeedError(`invalid feed: the JSON Feed is broken and cannot be read (${reason(error)})`);
    }
    throw new NotAFeedError(`not a feed: the JSON cannot be read (${reason(error)})`);
  }
  const version = String(record(data).version ?? '');
  if (!/jsonfeed\.org\/version\/1/i.test(version)) {
    throw new NotAFeedError(`not a feed: ${describeNonFeed({ kind: 'json' })}`);
  }
  // The cap applies before feedsmith copies the items: a feed of 100,000 items is not converted whole.
  const { feed: capped, skippedItems } = capJsonItems(record(data), maxItems, timeZone);
  try {
    return { feed: record(parseJsonFeed(capped)), skippedItems };
  } catch (error) {
    throw new InvalidFeedError(`invalid feed: the JSON Feed cannot be read (${reason(error)})`);
  }
}

function capJsonItems(
  data: Record<string, unknown>,
  maxItems: number,
  timeZone: string | undefined,
): { feed: Record<string, unknown>; skippedItems: number } {
  const items = list(data.items);
  if (items.length <= maxItems) return { feed: data, skippedItems: 0 };
  // The same dates normalizeJson reads, in the same context.
  const dates = { timeZone: timeZone || undefined, language: readText(data.language).trim() };
  const entries = items.map((raw, order) => {
    const item = record(raw);
    const date = parseFeedDate(readText(item.date_published), dates) ?? parseFeedDate(readText(item.date_modified), dates);
    return { value: raw, date: date?.getTime() ?? null, order };
  });
  const kept = keepNewest(entries, maxItems).map((entry) => entry.value);
  return { feed: { ...data, items: kept }, skippedItems: items.length - kept.length };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
