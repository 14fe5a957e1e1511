/** URLs inside content: made absolute, and only schemes that cannot run code survive. */

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);
const MEDIA_SCHEMES = new Set(['http:', 'https:']);
// Raster images only: an SVG data URL can carry script when opened on its own.
const DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|avif|bmp);base64,[a-z0-9+/=\s]+$/i;

/** An absolute, safe URL for `href` (links) or "" when the value must go. */
export function safeLinkUrl(value: string, base: string): string {
  const trimmed = value.trim();
  // In-page anchors stay relative: resolving them against the original article would leave the post.
  if (trimmed.startsWith('#')) return trimmed;
  return absolute(trimmed, base, LINK_SCHEMES);
}

/** An absolute, safe URL for media (`src`, `poster`, `cite`) or "" when it must go. */
export function safeMediaUrl(value: string, base: string, options: { allowDataImage?: boolean } = {}): string {
  const trimmed = value.trim();
  if (/^data:/i.test(trimmed)) return options.allowDataImage && DATA_IMAGE.test(trimmed) ? trimmed : '';
  return absolute(trimmed, base, MEDIA_SCHEMES);
}

/** `srcset` candidates made absolute; unsafe candidates are dropped. */
export function safeSrcset(value: string, base: string): string {
  return srcsetCandidates(value)
    .map(({ url, descriptors }) => {
      const safe = safeMediaUrl(url, base);
      return safe ? [safe, ...descriptors].join(' ') : '';
    })
    .filter((candidate) => candidate !== '')
    .join(', ');
}

/** The URL of the widest candidate of a `srcset` (by `w`, else `x` descriptor), "" when there is none. */
export function widestSrcsetUrl(value: string): string {
  let widest = '';
  let widestSize = -1;
  for (const { url, descriptors } of srcsetCandidates(value)) {
    const size = Number.parseFloat(descriptors.find((d) => /^\d+(?:\.\d+)?[wx]$/i.test(d)) ?? '1');
    if (size > widestSize) [widest, widestSize] = [url, size];
  }
  return widest;
}

/**
 * Splits `srcset` the way HTML does. A URL may itself contain commas (Cloudinary's `w_300,h_200`, data
 * URLs), so it is the whole run of non-space characters, ended early only by trailing commas; after it,
 * descriptors run to the next comma outside parentheses. Splitting on every comma cut such URLs apart.
 */
function srcsetCandidates(value: string): Array<{ url: string; descriptors: string[] }> {
  const candidates: Array<{ url: string; descriptors: string[] }> = [];
  const urlRun = /[\s,]*(\S*)/y;
  let position = 0;
  while (position < value.length) {
    urlRun.lastIndex = position;
    let url = urlRun.exec(value)?.[1] ?? '';
    if (url === '') break;
    position = urlRun.lastIndex;
    let descriptors: string[] = [];
    if (url.endsWith(',')) {
      // Trailing commas end the candidate, with no descriptors. (A loop: /,+$/ backtracks quadratically.)
      let end = url.length;
      while (url[end - 1] === ',') end--;
      url = url.slice(0, end);
    } else {
      let depth = 0;
      let end = position;
      for (; end < value.length && !(value[end] === ',' && depth === 0); end++) {
        if (value[end] === '(') depth++;
        else if (value[end] === ')' && depth > 0) depth--;
      }
      const text = value.slice(position, end).trim();
      if (text) descriptors = text.split(/\s+/);
      position = end + 1;
    }
    candidates.push({ url, descriptors });
  }
  return candidates;
}

function absolute(value: string, base: string, schemes: ReadonlySet<string>): string {
  if (value === '') return '';
  let url: URL;
  try {
    url = base ? new URL(value, base) : new URL(value);
  } catch {
    return '';
  }
  return schemes.has(url.protocol) ? url.href : '';
}
