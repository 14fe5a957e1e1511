import { open } from 'node:fs/promises';
import { FetchError } from '../errors.js';
import type { HttpClient, HttpResponse, Validators } from './http-client.js';

/**
 * A feed as fetched: an HTTP answer, or a file read the same way (`contentType`, `status` null; `url` "";
 * `notModified` when its modification time and size are as in `validators`).
 */
export type FetchedFeed = Omit<HttpResponse, 'status'> & { status: number | null };

export interface FetchFeedOptions {
  client: HttpClient;
  maxBytes: number;
  headers?: Record<string, string>;
  /** From the last successful fetch: a feed that has not changed is not sent again (or, for files, not read). */
  validators?: Validators | null;
  signal?: AbortSignal;
  retries?: number;
  /** See HttpRequest.redirectTo. */
  redirectTo?: (target: string) => string;
}

/** Reads a feed from an http(s) URL or a local path. */
export async function fetchFeed(location: string, options: FetchFeedOptions): Promise<FetchedFeed> {
  if (!/^https?:\/\//i.test(location)) return readLocalFile(location, options);
  const { headers, validators, signal, retries, redirectTo } = options;
  const response = await options.client.get(location, { headers, validators, signal, retries, redirectTo });
  return { ...response, status: response.status };
}

async function readLocalFile(path: string, options: FetchFeedOptions): Promise<FetchedFeed> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FetchError(code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path} (${code ?? String(error)})`, 'file');
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new FetchError(`${path} is not a file`, 'file');
    // A file's validator is its modification time and size: unchanged files are not read again.
    const validators = { etag: '', lastModified: `${stats.mtime.toISOString()} ${stats.size}` };
    const base = { contentType: null, url: '', permanentUrl: null, validators, maxAgeMs: null, status: null };
    if (options.validators?.lastModified === validators.lastModified) return { ...base, notModified: true, bytes: new Uint8Array() };
    if (stats.size > options.maxBytes)
      throw new FetchError(`${path} is larger than fetch.maxBytes (${options.maxBytes} bytes)`, 'too-large');
    return { ...base, notModified: false, bytes: await handle.readFile() };
  } finally {
    await handle.close();
  }
}
