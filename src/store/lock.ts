import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { LockedError, UserError } from '../errors.js';

interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

// A lock file with no readable owner is only trusted for this long: its writer died between create and write.
const UNREADABLE_GRACE_MS = 10_000;

export interface SiteLock {
  release(): void;
}

/**
 * One run per site: an exclusively created lock file naming its owner. A lock whose owner process is gone
 * (same host, pid not alive) is taken over, so a killed run never blocks the next one.
 */
export function acquireLock(path: string): SiteLock {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw cannotWrite(path, error);
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const owner: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      return { release: () => releaseIfOurs(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotWrite(path, error);
    }
    const holder = readOwner(path);
    if (holder === 'gone') continue;
    if (holder === null || isStale(holder)) {
      removeQuietly(path);
      continue;
    }
    throw new LockedError(
      `another newsstand run (pid ${holder.pid} on ${holder.host}, started ${holder.started}) is working on this site ` +
        `(lock file ${path}); wait for it to finish, or delete that file if no run is active`,
    );
  }
  throw new LockedError(`could not take the site's lock ${path}: other runs keep taking it; try again`);
}

function cannotWrite(path: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new UserError(`cannot create the site's lock file ${path} (${code}): newsstand needs to write in ${dirname(path)}`);
}

function readOwner(path: string): LockOwner | null | 'gone' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : null;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    if (Number.isInteger(owner.pid) && typeof owner.host === 'string') return owner;
  } catch {
    // fall through: unreadable
  }
  // Unreadable: the writer may be between creating and writing it. Give it a moment before taking over.
  try {
    return Date.now() - statSync(path).mtimeMs > UNREADABLE_GRACE_MS ? null : { pid: -1, host: hostname(), started: 'just now' };
  } catch {
    return 'gone';
  }
}

function isStale(owner: LockOwner): boolean {
  if (owner.host !== hostname() || owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function releaseIfOurs(path: string): void {
  const owner = readOwner(path);
  if (owner && owner !== 'gone' && owner.pid === process.pid && owner.host === hostname()) removeQuietly(path);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
