import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';

/**
 * Files written so that readers see the old content or the new, never a part, and what a killed run leaves of
 * such a write. Apart from the rest of the post files' rules (files.ts): the writer thread loads only this.
 */

const TEMP_MARK = '.newsstand-tmp';

/**
 * Writes a file so that readers see the old content or the new, never a part: the text goes to a hidden
 * temporary file beside it, which is then renamed over the target (atomic within one file system).
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = temporaryPath(path);
  try {
    await writeFile(temporary, text, { encoding: 'utf8', mode: 0o644 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw cannotWrite(path, error);
  }
}

/** writeFileAtomic for a thread that does nothing else (writer-thread.ts): the same steps, without a callback each. */
export function writeFileAtomicSync(path: string, text: string): void {
  const temporary = temporaryPath(path);
  try {
    writeFileSync(temporary, text, { encoding: 'utf8', mode: 0o644 });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw cannotWrite(path, error);
  }
}

function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}${TEMP_MARK}`);
}

/** A failed atomic write, said with what to do about it. */
function cannotWrite(path: string, cause: unknown): UserError {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return new UserError(`cannot write ${path} (${code}): ${remedy(code, path)}, then run again — nothing was half-written`);
}

/** What to do about a failed write, by its cause. */
function remedy(code: string, path: string): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return `the disk is full or a size limit was reached: free some space for ${dirname(path)}`;
    case 'EISDIR':
      return `a directory is in the way: move ${path} aside`;
    case 'ENOTDIR':
    case 'ENOENT':
      return `make sure ${dirname(path)} exists and is a directory`;
    default:
      return `make sure ${dirname(path)} exists and is writable`;
  }
}

/**
 * Writes files atomically, several at a time, as they are handed over: one after another, each waiting on the
 * disk, a first sync of 20,000 posts spent most of its time idle. The first failure stops new writes.
 */
export class AtomicWriter {
  private readonly queue: Array<{ path: string; text: string }> = [];
  private next = 0;
  private running = 0;
  private failure: unknown = null;
  private settled: (() => void) | null = null;

  constructor(private readonly concurrency = 16) {}

  /** A write failed: nothing more is started, and finish() rejects with it. */
  get failed(): boolean {
    return this.failure !== null;
  }

  add(files: ReadonlyArray<{ path: string; text: string }>): void {
    this.queue.push(...files);
    this.startWrites();
  }

  /** Resolves when every file handed over is written; rejects with the first failure once the started writes settled. */
  async finish(): Promise<void> {
    if (this.running > 0) await new Promise<void>((resolve) => (this.settled = resolve));
    if (this.failure !== null) throw this.failure;
  }

  private startWrites(): void {
    while (this.running < this.concurrency && this.next < this.queue.length && this.failure === null) {
      const file = this.queue[this.next]!;
      this.queue[this.next++] = undefined as never; // its text is not needed once written
      this.running++;
      writeFileAtomic(file.path, file.text)
        .catch((error: unknown) => {
          this.failure ??= error;
        })
        .finally(() => {
          this.running--;
          this.startWrites();
          if (this.running === 0) {
            this.settled?.();
            this.settled = null;
          }
        });
    }
  }
}

/** Removes temporary files a killed run left behind (of the directory's names, when the caller has read them). */
export async function removeStaleTemporaries(directory: string, listed?: readonly string[]): Promise<number> {
  let names: readonly string[];
  try {
    names = listed ?? (await readdir(directory));
  } catch {
    return 0;
  }
  const stale = names.filter((name) => name.startsWith('.') && name.endsWith(TEMP_MARK));
  await Promise.all(stale.map((name) => unlink(join(directory, name)).catch(() => undefined)));
  return stale.length;
}
