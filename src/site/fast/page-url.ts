/**
 * The full URL of a page, as Hexo's template locals give it (`url`, hexo/index.js _generateLocals: hexo-util's
 * full_url_for under the site's `url` alone). full_url_for parses the URL twice, formats it and keeps it in a
 * cache that only grows: ~40 µs a page, nearly a second of each build process at 20,000 posts. A page's path
 * is almost always plain (letters, digits, `-._~/` and characters beyond ASCII, no dot segments), and so is a
 * site's URL; the page's URL is then the site's with the path appended, its characters beyond ASCII
 * percent-encoded, which is what full_url_for comes to. Anything else goes to full_url_for.
 */
export function pageUrlFor(siteUrl: string, fullUrlFor: (path: string) => string): (path: string) => string {
  if (!PLAIN_SITE.test(siteUrl)) return fullUrlFor;
  // full_url_for appends `/${path}` with its runs of slashes made one: for '' that is the site's URL and '/'.
  const base = fullUrlFor('');
  return (path) => (PLAIN_PATH.test(path) ? base + encodeURI(`/${path}`.replace(/\/{2,}/g, '/').slice(1)) : fullUrlFor(path));
}

const PLAIN_SITE = /^https?:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[A-Za-z0-9._~-]*)*$/;
/** Not `//…` (another host), no `.` or `..` segment, no character a URL treats specially; no lone surrogate. */
const PLAIN_PATH = /^(?!\/\/)(?!(?:.*\/)?\.{1,2}(?:\/|$))[A-Za-z0-9._~/\u0080-\uD7FF\uE000-\uFFFF-]*$/;
