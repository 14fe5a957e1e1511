import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Whether a process of this machine is running; when that cannot be told, it is taken to be. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes what processes killed while writing left beside `path`: temporaries named for it and their pid,
 * `<path>.<pid>.tmp` or `<path>.<pid>.<hex>.tmp`, of processes that are gone. Our own pid's too: a caller removes
 * or renames its own before it calls this again.
 */
export function removeDeadTemporaries(path: string): void {
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(/^(\d+)(?:\.[0-9a-f]+)?$/.exec(name.slice(prefix.length, -'.tmp'.length))?.[1]);
    if (pid > 0 && (pid === process.pid || !isAlive(pid))) removeQuietly(join(dirname(path), name));
  }
}

/** Removes a file if it can: one already gone, or that cannot be removed now, is no reason to fail. */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // left for a later run
  }
}
