/** What an image file really is, judged by its first bytes rather than by its URL or Content-Type. */

export const IMAGE_EXTENSIONS = ['jpg', 'png', 'gif', 'webp', 'avif', 'bmp', 'ico'] as const;
export type ImageExtension = (typeof IMAGE_EXTENSIONS)[number];

export interface ImageType {
  ext: ImageExtension;
  mime: string;
}

// SVG is left out on purpose: served from the site's own origin, an SVG can run script.
const SIGNATURES: Array<{ type: ImageType; matches: (bytes: Uint8Array) => boolean }> = [
  { type: { ext: 'jpg', mime: 'image/jpeg' }, matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { type: { ext: 'png', mime: 'image/png' }, matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: { ext: 'gif', mime: 'image/gif' }, matches: (b) => ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a' },
  { type: { ext: 'webp', mime: 'image/webp' }, matches: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
  { type: { ext: 'avif', mime: 'image/avif' }, matches: isAvif },
  { type: { ext: 'bmp', mime: 'image/bmp' }, matches: isBmp },
  // An icon directory: reserved 0, type 1 (icon), then a count that cannot be 0.
  {
    type: { ext: 'ico', mime: 'image/x-icon' },
    matches: (b) => startsWith(b, [0x00, 0x00, 0x01, 0x00]) && b.length >= 6 && (b[4]! | b[5]!) !== 0,
  },
];

/** The image type of `bytes`, or null for anything else (HTML, text, SVG, other binaries, too short). */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const signature = SIGNATURES.find(({ matches }) => matches(bytes));
  return signature ? { ...signature.type } : null;
}

/** An ISO-BMFF file whose `ftyp` box names an AVIF brand, as its major brand or a compatible one. */
function isAvif(bytes: Uint8Array): boolean {
  if (bytes.length < 12 || ascii(bytes, 4, 8) !== 'ftyp') return false;
  const boxEnd = Math.min(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0), bytes.length);
  // Major brand at 8, minor version at 12, compatible brands from 16 to the end of the box.
  const brands = [ascii(bytes, 8, 12)];
  for (let offset = 16; offset + 4 <= boxEnd; offset += 4) brands.push(ascii(bytes, offset, offset + 4));
  return brands.some((brand) => brand === 'avif' || brand === 'avis');
}

// "BM" alone is also how plenty of text starts; the size of the DIB header that follows tells a bitmap apart.
const BMP_INFO_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

function isBmp(bytes: Uint8Array): boolean {
  if (bytes.length < 18 || ascii(bytes, 0, 2) !== 'BM') return false;
  return BMP_INFO_HEADER_SIZES.has(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(14, true));
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return end <= bytes.length ? String.fromCharCode(...bytes.subarray(start, end)) : '';
}
