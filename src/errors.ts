/**
 * Errors a user can cause. Each carries the exit code the CLI ends with and a message that names the
 * file, source or key at fault and says what to do. Anything else that escapes is a bug in newsstand.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** A bad command line or `newsstand.yml`: nothing was written. Exit 2. */
export class ConfigError extends UserError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Another run holds the site's lock. Exit 3. */
export class LockedError extends UserError {
  constructor(message: string) {
    super(message, 3);
  }
}

/** The bytes are not a feed at all (an HTML page, an image, garbage). */
export class NotAFeedError extends UserError {}

/** The bytes look like a feed but cannot be read, even after repair. */
export class InvalidFeedError extends UserError {}

/** Fetching a source failed (network, HTTP status, size limit, missing file). */
export class FetchError extends UserError {
  readonly kind: FetchErrorKind;
  /** The HTTP status, when there was an answer. */
  readonly status: number | null;
  /** How long the server asked us to wait (Retry-After), when it did. */
  readonly retryAfterMs: number | null;
  constructor(message: string, kind: FetchErrorKind, details: { status?: number; retryAfterMs?: number | null } = {}) {
    super(message);
    this.kind = kind;
    this.status = details.status ?? null;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}

export type FetchErrorKind =
  | 'dns'
  | 'connect'
  | 'timeout'
  | 'network'
  | 'http-4xx'
  | 'http-429'
  | 'http-5xx'
  | 'gone'
  | 'redirect'
  | 'too-large'
  | 'blocked'
  | 'file';
