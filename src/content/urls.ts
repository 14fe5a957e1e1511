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
  return value
    .split(/,(?=\s*\S)(?![^\s,]*\))/)
    .map((candidate) => {
      const [url = '', ...descriptor] = candidate.trim().split(/\s+/);
      const safe = safeMediaUrl(url, base);
      return safe ? [safe, ...descriptor].join(' ') : '';
    })
    .filter((candidate) => candidate !== '')
    .join(', ');
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
