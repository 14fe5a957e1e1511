import { isHttpUrl } from '../config/units.js';
import type { HttpClient } from '../fetch/http-client.js';
import { charsetFromContentType, decodeFeedBytes } from '../feed/decode.js';
import { ExtractError, extractArticle, type ExtractedArticle } from './extract-article.js';

export interface FetchArticleOptions {
  client: HttpClient;
  /** CSS selector of the elements that hold the article; without it, Readability finds the article. */
  selector?: string;
  signal?: AbortSignal;
  /** Largest page accepted, named `fetch.maxBytes` in the error; the client's own limit otherwise. */
  maxBytes?: number;
  /** Refuse pages on private, loopback and link-local addresses (see HttpRequest.publicOnly). */
  publicOnly?: boolean;
}

export interface FetchedArticle extends ExtractedArticle {
  /** The URL that finally answered, after redirects. */
  url: string;
}

const ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1';
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/** The article on an item's page. HTTP and network failures propagate as the client's FetchError. */
export async function fetchArticle(pageUrl: string, options: FetchArticleOptions): Promise<FetchedArticle> {
  if (!isHttpUrl(pageUrl)) throw new ExtractError(`cannot fetch the full text of ${pageUrl}: not an http(s) link`);
  const response = await options.client.get(pageUrl, {
    signal: options.signal,
    accept: ACCEPT,
    maxBytes: options.maxBytes ? { bytes: options.maxBytes, setting: 'fetch.maxBytes' } : undefined,
    // The page only adds to an item the feed already gave: one attempt, no run held up by backoff.
    retries: 0,
    publicOnly: options.publicOnly,
  });
  // A missing Content-Type is given the benefit of the doubt: the extraction finds out.
  const mediaType = response.contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType && !HTML_TYPES.has(mediaType)) {
    throw new ExtractError(`${response.url} is ${mediaType}, not an HTML page: fullText needs item links that lead to article pages`);
  }
  const { text } = decodeFeedBytes(response.bytes, charsetFromContentType(response.contentType));
  const article = extractArticle(text, { url: response.url, selector: options.selector });
  if (!article) {
    throw new ExtractError(
      options.selector === undefined
        ? `no article found at ${response.url} (fullText.selector can name the element that holds it)`
        : `selector "${options.selector}" matches nothing at ${response.url} (check fullText.selector against the page)`,
    );
  }
  return { ...article, url: response.url };
}
