import { createRequire } from 'node:module';
import { FetchError, InvalidFeedError, NotAFeedError } from '../errors.js';

/** The kind of a source failure, as `status` shows it. */
export function errorKind(error: unknown): string {
  if (error instanceof FetchError) return error.kind;
  if (error instanceof NotAFeedError) return 'not-a-feed';
  if (error instanceof InvalidFeedError) return 'parse';
  return 'internal';
}

let cachedAgent = '';

/** The default User-Agent names newsstand and its version, so publishers can tell who reads them. */
export function userAgent(): string {
  if (!cachedAgent) {
    const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
    cachedAgent = `newsstand/${version}`;
  }
  return cachedAgent;
}
