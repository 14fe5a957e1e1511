/** `newsstand parse`: a feed from a file, an http(s) URL or standard input, as the normalized document of SPEC §6. */
import path from 'node:path';
import { defaultFetchConfig } from '../config/load.js';
import { sourceIdentity, STANDARD_INPUT_KEY } from '../config/source-key.js';
import type { FeedDocument } from '../content/feed-document.js';
import { fetchFeed } from '../fetch/fetch-feed.js';
import { clientOptions, HttpClient } from '../fetch/http-client.js';
import { userAgent } from '../fetch/user-agent.js';

export interface ParseCommandOptions {
  /** A file path, an http(s) URL, or "-" for standard input. */
  feed: string;
  /** Zone for dates that state none (IANA name or ±HH:MM). */
  timeZone?: string;
  /** Standard input, for "-" (tests). */
  stdin?: AsyncIterable<Uint8Array>;
}

export async function parseFeedArgument({ feed, timeZone, stdin }: ParseCommandOptions): Promise<FeedDocument> {
  const { bytes, contentType, url, key } = await readFeedArgument(feed, stdin);
  // Loaded here: the parsers and the cleaner are start-up cost every other command does without.
  const [{ parseFeedBytes }, { feedDocument }] = await Promise.all([import('../feed/parse.js'), import('../content/feed-document.js')]);
  const parsed = parseFeedBytes(bytes, { url, contentType, timeZone });
  return feedDocument(parsed, { sourceKey: key, images: { referrerPolicy: 'no-referrer', lazy: true } });
}

/**
 * The feed's bytes, and the source key its item ids are computed from: the key the feed would have as a source
 * in a newsstand.yml in the working directory, so that the ids are those its posts would carry.
 */
async function readFeedArgument(
  feed: string,
  stdin: AsyncIterable<Uint8Array> = process.stdin,
): Promise<{ bytes: Uint8Array; contentType: string | null; url: string; key: string }> {
  if (feed === '-') {
    const chunks: Uint8Array[] = [];
    for await (const chunk of stdin) chunks.push(chunk);
    return { bytes: Buffer.concat(chunks), contentType: null, url: '', key: STANDARD_INPUT_KEY };
  }
  const kind = /^https?:\/\//i.test(feed) ? 'url' : 'file';
  // Fetched as sync fetches a source that sets nothing in `fetch`.
  const fetchConfig = defaultFetchConfig();
  const client = new HttpClient(clientOptions(fetchConfig, userAgent()));
  try {
    const fetched = await fetchFeed(kind === 'url' ? feed : path.resolve(feed), { client, maxBytes: fetchConfig.maxBytes });
    // A feed that could be fetched is a source of its kind: it has an identity.
    return { ...fetched, key: sourceIdentity(kind, feed, process.cwd())!.key };
  } finally {
    await client.close();
  }
}
