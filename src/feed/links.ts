/** URL resolution for feed data: relative references resolve against a chain of bases, nearest first. */

/**
 * `href` made absolute against the first base that gives a usable URL (xml:base of the item, of the
 * feed, then the feed's own URL…). Bases may themselves be relative to the bases after them.
 * Returns "" when nothing absolute comes out.
 */
export function resolveUrl(href: string | undefined | null, ...bases: Array<string | undefined | null>): string {
  const reference = (href ?? '').trim();
  if (reference === '') return '';
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

/** Only web links are kept as item links: a `javascript:` or `file:` link in a feed is dropped. */
export function webUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '';
}
