import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** A file of the site's source that Hexo copies into the site as it is (a mirrored image, a CNAME, a favicon). */
export interface StaticFile {
  /** Where it goes, relative to the public directory (forward slashes). */
  path: string;
  source: string;
  size: number;
  mtimeMs: number;
}

/**
 * The files of the source directory besides the posts, as Hexo's asset generator would copy them: everything
 * whose path has no part starting with `_` or `.` (Hexo skips those). Renderable ones are not expected here
 * (eligibility.ts sends a site with pages of its own to Hexo).
 */
export async function staticFiles(sourceDir: string): Promise<StaticFile[]> {
  const files: StaticFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const { size, mtimeMs } = await stat(path);
        files.push({ path: relative(sourceDir, path).split(sep).join('/'), source: path, size, mtimeMs });
      }
    }
  };
  await walk(sourceDir);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
