import { NEWSSTAND_VERSION } from '../own-package.js';

/** The default User-Agent names newsstand and its version, so publishers can tell who reads them. */
export function userAgent(): string {
  return `newsstand/${NEWSSTAND_VERSION}`;
}
