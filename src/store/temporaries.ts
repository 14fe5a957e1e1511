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
  const pattern = new RegExp(`^${basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)(?:\\.[0-9a-f]+)?\\.tmp$`);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (pid > 0 && (pid === process.pid || !isAlive(pid))) rmSync(join(dirname(path), name), { force: true });
  }
}
