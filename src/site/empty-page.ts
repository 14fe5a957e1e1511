/**
 * A page with nothing in it: what a theme whose layouts did not load writes for every page. A build that makes
 * one is refused (build.ts), so a broken theme never replaces a site with blank pages.
 */
export function isEmptyPage(path: string, bytes: Buffer): boolean {
  return path.endsWith('.html') && bytes.length < 64 && bytes.toString('utf8').trim() === '';
}
