import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';

const TEMP_MARK = '.newsstand-tmp';

/**
 * Writes a file so that readers see the old content or the new, never a part: the text goes to a hidden
 * temporary file beside it, which is then renamed over the target (atomic within one file system).
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}${TEMP_MARK}`);
  try {
    await writeFile(temporary, text, { encoding: 'utf8', mode: 0o644 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UserError(`cannot write ${path} (${code}): make sure ${dirname(path)} exists and is writable, then run again — nothing was half-written`);
  }
}

/**
 * Writes many files atomically, several at a time: one after another, each waiting on the disk, a first
 * sync of 20,000 posts spent most of its time idle. Resolves when all are written; rejects with the first
 * failure once the writes already started have settled.
 */
export async function writeFilesAtomic(files: ReadonlyArray<{ path: string; text: string }>, concurrency = 16): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (next < files.length && failure === null) {
      const file = files[next++]!;
      await writeFileAtomic(file.path, file.text).catch((error: unknown) => {
        failure ??= error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  if (failure !== null) throw failure;
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
