/** URL resolution for feed data: relative references resolve against a chain of bases, nearest first. */

// Longer references are dropped: no server takes them (most refuse 8 KB), and a feed's megabyte "link" would
// otherwise be copied into the post's front matter.
const MAX_URL_LENGTH = 8192;

/**
 * `href` made absolute against the first base that gives a usable URL (xml:base of the item, of the
 * feed, then the feed's own URL…). Bases may themselves be relative to the bases after them.
 * Returns "" when nothing absolute comes out.
 */
export function resolveUrl(href: string | undefined | null, ...bases: Array<string | undefined | null>): string {
  const reference = (href ?? '').trim();
  if (reference === '' || reference.length > MAX_URL_LENGTH) return '';
  const base = resolveBase(bases);
  try {
    return new URL(reference, base ?? undefined).href;
  } catch {
    return '';
  }
}

/** The nearest base, resolved against those after it. */
export function resolveBase(bases: ReadonlyArray<string | undefined | null>): string | null {
  let resolved: string | null = null;
  for (let i = bases.length - 1; i >= 0; i--) {
    const base = (bases[i] ?? '').trim();
    if (base === '') continue;
    try {
      resolved = new URL(base, resolved ?? undefined).href;
    } catch {
      // an unusable base is skipped, not fatal
    }
  }
  return resolved;
}

/**
 * What relative URLs inside an item's content resolve against (SPEC §4): the nearest xml:base in scope
 * (`xmlBases`, nearest first, made absolute against the feed URL or site link), else the item link, else the
 * feed URL, else (local files) the site link.
 */
export function contentBaseUrl(xmlBases: ReadonlyArray<string>, link: string, feedUrl: string, siteLink: string): string {
  // The chain is resolved exactly once: resolving a relative xml:base against a chain that already held it
  // doubled it ("section/" became ".../section/section/").
  const inScope = xmlBases.some((base) => base.trim() !== '') ? resolveBase([...xmlBases, feedUrl, siteLink]) : null;
  return inScope ?? (link || resolveUrl(feedUrl) || resolveUrl(siteLink));
}

/** Only web links are kept as item links: a `javascript:` or `file:` link in a feed is dropped. */
export function webUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '';
}

/** A feed's own address from its `rel="self"` link, when that is an absolute http(s) URL; "" otherwise. */
export function selfLink(links: unknown[]): string {
  for (const link of links) {
    if (typeof link !== 'object' || link === null) continue;
    const { rel, href } = link as { rel?: unknown; href?: unknown };
    if (typeof rel === 'string' && rel.trim().toLowerCase() === 'self' && typeof href === 'string' && /^https?:\/\//i.test(href.trim()))
      return href.trim();
  }
  return '';
}
