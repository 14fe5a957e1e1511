import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { carriesId } from './front-matter.js';

/**
 * Post files in the posts directory: `<name>.md`, written atomically, read back, deleted. A post's name is its
 * file name without `.md` (file-name.ts makes it); the state records posts by name.
 */

/** The path of the post named `name`. */
export function postPath(postsDir: string, name: string): string {
  return join(postsDir, `${name}.md`);
}

/** The names of the post files in the posts directory (none when it cannot be read). */
export async function listPosts(postsDir: string): Promise<string[]> {
  try {
    return (await readdir(postsDir))
      .filter((file) => file.endsWith('.md') && !file.startsWith('.'))
      .map((file) => file.slice(0, -'.md'.length));
  } catch {
    return [];
  }
}

/** A post's text; null when it is not there or is no readable file (a directory named x.md). */
export function readPost(postsDir: string, name: string): Promise<string | null> {
  return readFile(postPath(postsDir, name), 'utf8').catch(() => null);
}

/**
 * Whether the name is taken on disk by a file that is not this item's post. A post written by a run killed
 * before it updated the state is the item's own to reuse; anything else is not.
 */
export function nameTakenOnDisk(postsDir: string, name: string, id: string): boolean {
  const path = postPath(postsDir, name);
  // Most names are free: one stat, rather than a failed read building an error per new post.
  if (!existsSync(path)) return false;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // A directory of that name is in the way. Anything else (no such file, the posts directory itself gone or
    // unreadable) is for the write to report: counting it as taken would try names for ever.
    return (error as NodeJS.ErrnoException).code === 'EISDIR';
  }
  return !carriesId(text, id);
}

/**
 * Deletes posts: how many were deleted (a missing one was not), and those that could not be (and are still
 * there), with why, to try again.
 */
export async function deletePosts(
  postsDir: string,
  names: readonly string[],
): Promise<{ deleted: number; failed: Array<{ name: string; code: string }> }> {
  const failed: Array<{ name: string; code: string }> = [];
  let deleted = 0;
  for (const name of names) {
    await unlink(postPath(postsDir, name)).then(
      () => deleted++,
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') failed.push({ name, code: error.code ?? String(error) });
      },
    );
  }
  return { deleted, failed };
}

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
 * Makes the posts directory ready for a run: created if missing, and cleared of what a killed run left behind.
 * A path that cannot be a directory (a file in its place) is the user's to fix, said as such.
 */
export async function preparePostsDir(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const problem = code === 'EEXIST' || code === 'ENOTDIR' ? 'something that is not a directory is in the way' : 'it cannot be created';
    throw new UserError(
      `cannot use ${directory} as the posts directory (${code}): ${problem}; fix that (site.postsDir in newsstand.yml names it), then run again`,
    );
  }
  await removeStaleTemporaries(directory);
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

/** Removes temporary files a killed run left behind. */
export async function removeStaleTemporaries(directory: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return 0;
  }
  const stale = names.filter((name) => name.startsWith('.') && name.endsWith(TEMP_MARK));
  await Promise.all(stale.map((name) => unlink(join(directory, name)).catch(() => undefined)));
  return stale.length;
}
