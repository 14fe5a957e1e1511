import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';

/**
 * `public/` becomes the new build in two renames; in between (microseconds) it does not exist. The old build
 * is deleted last. A run killed between the renames is repaired by the next build's restoreInterruptedSwap.
 */
export async function swapIn(staging: string, publicDir: string, previous: string): Promise<void> {
  await rm(previous, { recursive: true, force: true });
  if (existsSync(publicDir)) await rename(publicDir, previous);
  await rename(staging, publicDir);
  await rm(previous, { recursive: true, force: true });
}

export async function restoreInterruptedSwap(publicDir: string, previous: string): Promise<void> {
  if (!existsSync(publicDir) && existsSync(previous)) await rename(previous, publicDir);
}
