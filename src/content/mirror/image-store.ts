/** Images on disk, named by their content: the same bytes are one file however many URLs they came from. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGE_EXTENSIONS } from './image-type.js';

/** How storeImage names a file, as a pattern without anchors: rebuilding the state finds them in posts by it. */
export const STORED_IMAGE_NAME = `[0-9a-f]{2}/[0-9a-f]{20}\\.(?:${IMAGE_EXTENSIONS.join('|')})`;
const STORED_IMAGE = new RegExp(`^${STORED_IMAGE_NAME}$`);

/** Whether `file` is a name `storeImage` gives: the only relative paths ever joined to the images directory. */
function isStoredImageName(file: string): boolean {
  return STORED_IMAGE.test(file);
}

/** Whether the stored image `file` (a relative path as `storeImage` returned it) is on disk. */
export async function hasStoredImage(imagesDir: string, file: string): Promise<boolean> {
  return isStoredImageName(file) && (await exists(join(imagesDir, file)));
}

/** Saves `bytes` as `<2 hex>/<20 hex>.<ext>` (from their SHA-256) under `imagesDir`; returns that relative path. */
export async function storeImage(imagesDir: string, bytes: Uint8Array, ext: string): Promise<string> {
  const hash = createHash('sha256').update(bytes).digest('hex');
  const file = `${hash.slice(0, 2)}/${hash.slice(0, 20)}.${ext}`;
  if (!isStoredImageName(file)) throw new Error(`not an image extension: ${JSON.stringify(ext)}`);
  const path = join(imagesDir, file);
  if (await exists(path)) return file;
  await mkdir(join(imagesDir, hash.slice(0, 2)), { recursive: true });
  // Written beside its final name and renamed, so a crash or a concurrent run never leaves half an image.
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(temporary, bytes, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  return file;
}

/** Deletes stored images (missing ones are fine) and the subdirectories they leave empty; skips any other path. */
export async function removeImages(imagesDir: string, files: string[]): Promise<void> {
  const subdirectories = new Set<string>();
  for (const file of files) {
    if (!isStoredImageName(file)) continue;
    await unlink(join(imagesDir, file)).catch(ignoreMissing);
    subdirectories.add(file.slice(0, 2));
  }
  for (const subdirectory of subdirectories) {
    // rmdir removes only an empty directory: one still holding other images stays.
    await rmdir(join(imagesDir, subdirectory)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST' && error.code !== 'ENOENT') throw error;
    });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    ignoreMissing(error as NodeJS.ErrnoException);
    return false;
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
