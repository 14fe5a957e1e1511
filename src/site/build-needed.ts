import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hexoLayout } from '../config/hexo-config.js';

/**
 * Whether the built site is behind its posts, theme or configuration: a sync changed posts, or the last
 * build failed, and no build has succeeded since. A file in `.newsstand/` remembers it across runs, so a
 * run killed between its sync and its build, or a build a broken theme failed, is built by the next `run`
 * even when nothing changes in the feeds.
 */
export function buildNeeded(root: string): boolean {
  return existsSync(marker(root)) || !existsSync(join(hexoLayout(root).publicDir, 'index.html'));
}

export async function markBuildNeeded(root: string): Promise<void> {
  await mkdir(join(root, '.newsstand'), { recursive: true });
  await writeFile(marker(root), '');
}

export async function markBuilt(root: string): Promise<void> {
  await rm(marker(root), { force: true });
}

function marker(root: string): string {
  return join(root, '.newsstand', 'build-needed');
}
