import { describe, expect, it } from 'vitest';
import { sniffImageType } from './image-type.js';
import { GIF_1X1, JPEG_HEADER, PNG_1X1 } from './testdata/images.js';

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'latin1')] : part)));

// An ISO-BMFF `ftyp` box: size, "ftyp", major brand, minor version, compatible brands.
const ftyp = (major: string, ...compatible: string[]): Uint8Array =>
  bytes([0, 0, 0, 16 + 4 * compatible.length], 'ftyp', major, [0, 0, 0, 0], ...compatible, [0, 0, 0, 8], 'meta');

// "BM", file size, reserved, pixel data offset, then the DIB header size.
const bmp = (infoHeaderSize: number): Uint8Array =>
  bytes('BM', [70, 0, 0, 0], [0, 0, 0, 0], [54, 0, 0, 0], [infoHeaderSize, 0, 0, 0], [1, 0, 0, 0]);

describe('sniffImageType', () => {
  it.each([
    ['a JPEG', JPEG_HEADER, 'jpg', 'image/jpeg'],
    ['a PNG', PNG_1X1, 'png', 'image/png'],
    ['a GIF89a', GIF_1X1, 'gif', 'image/gif'],
    ['a GIF87a', bytes('GIF87a', [1, 0, 1, 0]), 'gif', 'image/gif'],
    ['a WebP', bytes('RIFF', [26, 0, 0, 0], 'WEBPVP8 '), 'webp', 'image/webp'],
    ['an AVIF', ftyp('avif', 'mif1', 'miaf'), 'avif', 'image/avif'],
    ['an AVIF sequence', ftyp('avis', 'msf1'), 'avif', 'image/avif'],
    ['an AVIF named only as a compatible brand', ftyp('mif1', 'miaf', 'avif'), 'avif', 'image/avif'],
    ['a BMP', bmp(40), 'bmp', 'image/bmp'],
    ['an ICO', bytes([0, 0, 1, 0, 1, 0, 16, 16]), 'ico', 'image/x-icon'],
  ])('recognises %s', (_name, input, ext, mime) => {
    expect(sniffImageType(input)).toEqual({ ext, mime });
  });

  it('reads a view into a larger buffer from its own start', () => {
    const padded = new Uint8Array(PNG_1X1.length + 3);
    padded.set(PNG_1X1, 3);
    expect(sniffImageType(padded.subarray(3))?.ext).toBe('png');
  });

  it.each([
    ['empty bytes', new Uint8Array()],
    ['HTML', bytes('<!doctype html><html><body>Forbidden</body></html>')],
    ['plain text', bytes('Hello, world')],
    ['an SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['an SVG with an XML declaration', bytes('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['a truncated PNG signature', PNG_1X1.subarray(0, 6)],
    ['a truncated JPEG', JPEG_HEADER.subarray(0, 2)],
    ['GIF with an unknown version', bytes('GIF88a', [1, 0, 1, 0])],
    ['a RIFF that is audio', bytes('RIFF', [26, 0, 0, 0], 'WAVEfmt ')],
    ['a HEIC', ftyp('heic', 'mif1', 'heic')],
    ['an MP4', ftyp('isom', 'iso2', 'mp41')],
    ['an AVIF brand outside the ftyp box', bytes([0, 0, 0, 16], 'ftyp', 'mif1', [0, 0, 0, 0], 'avif')],
    ['text that starts with BM', bytes('BMW announces a new model, read more')],
    ['"BM" with an unknown header size', bmp(99)],
    ['an icon directory with no icons', bytes([0, 0, 1, 0, 0, 0])],
  ])('rejects %s', (_name, input) => {
    expect(sniffImageType(input)).toBeNull();
  });
});
