/** Image rules: where lazy-loading pages hide the real source, and which images are tracking pixels. */

/** Attributes lazy-loading scripts keep the real source in, most common first. */
const LAZY_SOURCES = [
  'data-src',
  'data-original',
  'data-lazy-src',
  'data-actualsrc',
  'data-original-src',
  'data-lazyload',
  'data-echo',
  'data-url',
  'file',
];
const LAZY_SRCSETS = ['data-srcset', 'data-lazy-srcset', 'data-original-srcset'];

// A src that is only a stand-in until a script swaps it: an inline image, or a named placeholder file.
const PLACEHOLDER_SRC = /^data:|(?:^|[/_.-])(?:blank|spacer|placeholder|lazy|loading|grey|gray|transparent|pixel)(?:[/_.-]|$)/i;

const TRACKER_HOSTS = [
  'feeds.feedburner.com',
  'feedproxy.google.com',
  'pixel.wp.com',
  'stats.wordpress.com',
  'www.google-analytics.com',
  'ssl.google-analytics.com',
  'stats.g.doubleclick.net',
  'pixel.quantserve.com',
  'sb.scorecardresearch.com',
  'b.scorecardresearch.com',
  'www.facebook.com',
  'hm.baidu.com',
  'cnzz.com',
  'c.statcounter.com',
  'feeds.feedblitz.com',
  'rss.feedsportal.com',
  'counter.theconversation.com',
];
const TRACKER_PATH = /\/~r\/|\/~ff\/|\/tracking?\/|\/(?:pixel|beacon|open|track)\.(?:gif|png|php)(?:$|\?)/i;

/** The real source of an image, promoting a lazy-loader's attribute over a placeholder `src`. */
export function realImageSource(attributes: ReadonlyMap<string, string>): { src: string; srcset: string } {
  const src = attributes.get('src') ?? '';
  const lazy = LAZY_SOURCES.map((name) => attributes.get(name) ?? '').find((value) => value.trim() !== '');
  const lazySrcset = LAZY_SRCSETS.map((name) => attributes.get(name) ?? '').find((value) => value.trim() !== '');
  const useLazy = lazy !== undefined && (src.trim() === '' || PLACEHOLDER_SRC.test(src.trim()));
  return {
    src: useLazy ? lazy : src,
    srcset: lazySrcset && (useLazy || !attributes.get('srcset')) ? lazySrcset : (attributes.get('srcset') ?? ''),
  };
}

/** A 1×1 image, or one from a known tracker: it shows nothing and reports the reader. */
export function isTrackingPixel(src: string, attributes: ReadonlyMap<string, string>): boolean {
  const { width, height } = declaredSize(attributes);
  if ((width !== null && width <= 1) || (height !== null && height <= 1)) return true;
  const url = URL.parse(src);
  if (!url) return false;
  if (isOnHost(url, TRACKER_HOSTS)) return true;
  return TRACKER_PATH.test(url.pathname + url.search);
}

/** True when the URL's host is one of `hosts` or a subdomain of one. */
export function isOnHost(url: URL, hosts: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  return hosts.some((candidate) => host === candidate || host.endsWith(`.${candidate}`));
}

/**
 * The size an image is declared to have, in CSS pixels, by attribute or, as some mailers and CMSs write
 * it, by inline style (`width:1px;height:1px`); null where it says nothing (or uses %, em…).
 */
export function declaredSize(attributes: ReadonlyMap<string, string>): { width: number | null; height: number | null } {
  const style = attributes.get('style');
  return {
    width: pixels(attributes.get('width')) ?? pixels(styleValue(style, 'width')),
    height: pixels(attributes.get('height')) ?? pixels(styleValue(style, 'height')),
  };
}

function pixels(value: string | undefined): number | null {
  // Trimmed first: `\s*(?:px)?\s*$` backtracks quadratically on "1" followed by many spaces.
  const match = value ? /^(\d+(?:\.\d+)?)\s*(?:px)?$/i.exec(value.trim()) : null;
  return match ? Number(match[1]) : null;
}

/** The value of one declaration in an inline style (`width` does not match `max-width`). */
function styleValue(style: string | undefined, property: string): string | undefined {
  if (!style) return undefined;
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon > 0 && declaration.slice(0, colon).trim().toLowerCase() === property) {
      return declaration.slice(colon + 1).replace(/!important/i, '');
    }
  }
  return undefined;
}
