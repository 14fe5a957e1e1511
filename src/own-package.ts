import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * newsstand's own package: where its files are (its theme, the site templates, the Hexo worker's script) and
 * its version. Found from this module's place, which depends on how newsstand runs — src/ (tests), dist/ (tsc's
 * output) or dist/cli-bundle/ (the CLI's bundle, every module's code in one directory) — so no module counts
 * its own depth below the root.
 */
export const PACKAGE_ROOT = nearestPackageDir(dirname(fileURLToPath(import.meta.url)));

export const NEWSSTAND_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** A path inside newsstand's package. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}

function nearestPackageDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json in ${from} or above it: newsstand's files are incomplete`);
  }
}
