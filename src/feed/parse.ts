import { parseAtomFeed, parseJsonFeed, parseRdfFeed, parseRssFeed } from 'feedsmith';
import { InvalidFeedError, NotAFeedError } from '../errors.js';
import type { FeedFormat, ParsedFeed } from '../item.js';
import { normalizeAtom } from './atom.js';
import { charsetFromContentType, decodeFeedBytes } from './decode.js';
import { describeNonFeed, sniffFeed } from './detect.js';
import { normalizeJson } from './json.js';
import { record } from './read.js';
import { repairXml } from './repair.js';
import { normalizeRss, type NormalizeContext } from './rss.js';

export interface ParseOptions {
  /** Where the bytes came from: relative links resolve against it when it is http(s). */
  url?: string;
  /** The HTTP Content-Type, for its charset. */
  contentType?: string | null;
  /** Zone for dates that state none (IANA name or ±HH:MM); default: the feed language's region, else UTC. */
  timeZone?: string;
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

  if (sniffed.kind === 'json') {
    const json = readJsonFeed(text);
    return normalizeJson(json, context('json1'));
  }
  if (sniffed.kind !== 'feed') throw new NotAFeedError(`not a feed: ${describeNonFeed(sniffed)}`);

  const { format, root } = sniffed;
  const document = parseXmlFeed(text, format, root);
  return format === 'atom1' || format === 'atom03' ? normalizeAtom(document, context(format)) : normalizeRss(document, context(format));
}

function parseXmlFeed(text: string, format: FeedFormat, root: string): Record<string, unknown> {
  const parse = (xml: string) => record(xmlParser(format, root)(xml));
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

function readJsonFeed(text: string): Record<string, unknown> {
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
  try {
    return record(parseJsonFeed(data));
  } catch (error) {
    throw new InvalidFeedError(`invalid feed: the JSON Feed cannot be read (${reason(error)})`);
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
