import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { LockedError, UserError } from '../errors.js';
import { isAlive, removeDeadTemporaries, removeQuietly } from './temporaries.js';

interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

// A lock file with no readable owner is only trusted for this long: an older newsstand, or a file system
// without hard links, may have been killed between creating it and writing it.
const UNREADABLE_GRACE_MS = 10_000;

/** The locks this process holds: a lock naming our own pid that is not one of them was left by a dead process. */
const held = new Set<string>();

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
  removeDeadTemporaries(path);
  const owner = JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() } satisfies LockOwner);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (create(path, owner)) {
      held.add(resolve(path));
      return {
        release: () => {
          held.delete(resolve(path));
          releaseIfOurs(path, owner);
        },
      };
    }
    const text = readText(path);
    if (text === null) continue; // released meanwhile
    const holder = parseOwner(text, path);
    if (holder === 'stale' || (holder !== 'unreadable' && isStale(holder, path))) {
      takeOver(path, text);
      continue;
    }
    if (holder === 'unreadable') {
      throw new LockedError(`another newsstand run is starting on this site (lock file ${path}, not written yet); try again in a moment`);
    }
    throw new LockedError(
      `another newsstand run (pid ${holder.pid} on ${holder.host}, started ${holder.started}) is working on this site ` +
        `(lock file ${path}); wait for it to finish, or delete that file if no run is active`,
    );
  }
  throw new LockedError(`could not take the site's lock ${path}: other runs keep taking it; try again`);
}

/**
 * Creates the lock file whole, or returns false when it exists: the owner is written to a file of its own,
 * then hard-linked to the lock's name, which fails if that name exists — so no kill leaves an empty lock.
 */
function create(path: string, owner: string): boolean {
  const temporary = temporaryName(path);
  try {
    writeFileSync(temporary, owner, { flag: 'wx' });
  } catch (error) {
    throw cannotWrite(path, error);
  }
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') return createInPlace(path, owner); // no hard links here
    throw cannotWrite(path, error);
  } finally {
    removeQuietly(temporary);
  }
}

function createInPlace(path: string, owner: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw cannotWrite(path, error);
  }
  try {
    writeSync(fd, owner);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a lock judged stale from its text — only if it still is that lock. Another run may have taken the
 * same stale lock over and created its own since this one was read; deleting by name would delete that run's
 * lock and let two runs work at once. So the lock is moved aside and compared, and put back if it is not the
 * stale one. Exported for its test: the race it closes is too narrow to provoke between processes.
 */
export function takeOver(path: string, staleText: string): void {
  const aside = temporaryName(path);
  try {
    renameSync(path, aside);
  } catch {
    return; // gone already: someone else took it over
  }
  try {
    if (readText(aside) !== staleText) {
      try {
        linkSync(aside, path);
      } catch (error) {
        // EEXIST: a third run took the name meanwhile; nothing better can be done than to leave it its lock.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') renameSync(aside, path);
      }
    }
  } finally {
    removeQuietly(aside);
  }
}

function temporaryName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

function cannotWrite(path: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new UserError(`cannot create the site's lock file ${path} (${code}): newsstand needs to write in ${dirname(path)}`);
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return '';
  }
}

function parseOwner(text: string, path: string): LockOwner | 'unreadable' | 'stale' {
  try {
    const owner = JSON.parse(text) as LockOwner;
    if (Number.isInteger(owner.pid) && typeof owner.host === 'string') return owner;
  } catch {
    // fall through: unreadable
  }
  try {
    return Date.now() - statSync(path).mtimeMs > UNREADABLE_GRACE_MS ? 'stale' : 'unreadable';
  } catch {
    return 'stale';
  }
}

function isStale(owner: LockOwner, path: string): boolean {
  if (owner.host !== hostname() || owner.pid <= 0) return false;
  // Our own pid on a lock we do not hold: a dead run had it before us (containers start every run as the same pid).
  if (owner.pid === process.pid) return !held.has(resolve(path));
  return !isAlive(owner.pid);
}

function releaseIfOurs(path: string, owner: string): void {
  if (readText(path) === owner) removeQuietly(path);
}
