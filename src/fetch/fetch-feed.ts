import { open } from 'node:fs/promises';
import { fetch as undiciFetch } from 'undici';
import { FetchError, type FetchErrorKind } from '../errors.js';

export interface FetchedFeed {
  bytes: Uint8Array;
  /** The HTTP Content-Type, null for files. */
  contentType: string | null;
  /** The URL the bytes finally came from ("" for files): relative links resolve against it. */
  url: string;
}

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
}

/** Reads a feed from an http(s) URL or a local path, within the size and time limits. */
export function fetchFeed(location: string, limits: FetchLimits): Promise<FetchedFeed> {
  return /^https?:\/\//i.test(location) ? fetchHttp(location, limits) : readLocalFile(location, limits);
}

async function fetchHttp(url: string, limits: FetchLimits): Promise<FetchedFeed> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let response;
  try {
    response = await undiciFetch(url, {
      signal,
      redirect: 'follow',
      headers: {
        'user-agent': limits.userAgent,
        accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5',
      },
    });
  } catch (error) {
    throw networkError(url, error, signal.aborted, limits.timeoutMs);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new FetchError(`HTTP ${response.status} ${response.statusText} from ${url}`, 'http');
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(url, limits.maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > limits.maxBytes) throw tooLarge(url, limits.maxBytes);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    throw networkError(url, error, signal.aborted, limits.timeoutMs);
  }
  return { bytes: Buffer.concat(chunks), contentType: response.headers.get('content-type'), url: response.url || url };
}

async function readLocalFile(path: string, limits: FetchLimits): Promise<FetchedFeed> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FetchError(code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path} (${code ?? String(error)})`, 'file');
  }
  try {
    const { size } = await handle.stat();
    if (size > limits.maxBytes) throw tooLarge(path, limits.maxBytes);
    return { bytes: await handle.readFile(), contentType: null, url: '' };
  } finally {
    await handle.close();
  }
}

function tooLarge(where: string, maxBytes: number): FetchError {
  return new FetchError(`${where} is larger than fetch.maxBytes (${maxBytes} bytes)`, 'too-large');
}

function networkError(url: string, error: unknown, timedOut: boolean, timeoutMs: number): FetchError {
  if (timedOut) return new FetchError(`no complete answer from ${url} within ${timeoutMs / 1000}s (fetch.timeout)`, 'timeout');
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  const kind: FetchErrorKind = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'dns' : code === 'ECONNREFUSED' || code === 'ECONNRESET' ? 'connect' : 'network';
  const detail = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new FetchError(`cannot fetch ${url}: ${detail}`, kind);
}
