import { FetchError, InvalidFeedError, NotAFeedError } from '../errors.js';

/** The kind of a source failure, as `status` shows it. */
export function errorKind(error: unknown): string {
  if (error instanceof FetchError) return error.kind;
  if (error instanceof NotAFeedError) return 'not-a-feed';
  if (error instanceof InvalidFeedError) return 'parse';
  return 'internal';
}
