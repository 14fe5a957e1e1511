import { createRequire } from 'node:module';

let cachedAgent = '';

/** The default User-Agent names newsstand and its version, so publishers can tell who reads them. */
export function userAgent(): string {
  if (!cachedAgent) {
    const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
    cachedAgent = `newsstand/${version}`;
  }
  return cachedAgent;
}
