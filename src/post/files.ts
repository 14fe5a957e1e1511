import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { removeStaleTemporaries } from './atomic-write.js';
import { carriesId } from './front-matter.js';

/**
 * Post files in the posts directory: `<name>.md`, written atomically (atomic-write.ts), read back, deleted. A
 * post's name is its file name without `.md` (file-name.ts makes it); the state records posts by name.
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
export function nameTakenOnDisk(postsDir: string, name: string, id: string, listing: PostsListing = null): boolean {
  if (listing && PRINTABLE_ASCII.test(name) && !name.includes('~') && !listing.has(`${name}.md`.toLowerCase())) return false;
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

/**
 * The names in the posts directory as a run found them, each in lower case, for nameTakenOnDisk to tell a free
 * name without a `stat` (2,000 new posts: 16 ms of a first sync on disk); null to ask the disk each time. Only
 * when every name is printable ASCII, and for such names without `~` (Windows' short names): no file system,
 * case-insensitive or normalizing, then takes two names for one that lower case tells apart. Names a run writes
 * after it are in the state, which is asked first; a name gone since is looked at on disk.
 */
export type PostsListing = ReadonlySet<string> | null;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function postsListing(names: readonly string[]): PostsListing {
  return names.every((name) => PRINTABLE_ASCII.test(name)) ? new Set(names.map((name) => name.toLowerCase())) : null;
}

/**
 * Makes the posts directory ready for a run: created if missing, and cleared of what a killed run left behind.
 * A path that cannot be a directory (a file in its place) is the user's to fix, said as such. Resolves with the
 * directory's listing (PostsListing).
 */
export async function preparePostsDir(directory: string): Promise<PostsListing> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const problem = code === 'EEXIST' || code === 'ENOTDIR' ? 'something that is not a directory is in the way' : 'it cannot be created';
    throw new UserError(
      `cannot use ${directory} as the posts directory (${code}): ${problem}; fix that (site.postsDir in newsstand.yml names it), then run again`,
    );
  }
  const names = await readdir(directory).catch(() => null);
  if (names === null) return null;
  await removeStaleTemporaries(directory, names);
  return postsListing(names);
}
