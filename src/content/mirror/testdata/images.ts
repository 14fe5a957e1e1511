/** Small images as bytes for the mirror tests: real 1×1 files, and headers where sniffing needs no more. */

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

/** A complete 1×1 RGBA PNG. */
export const PNG_1X1 = hex(`
  89504e470d0a1a0a 0000000d49484452 00000001 00000001 0806000000 1f15c489
  0000000d49444154 789c63f8cfc0f01f00050001ff 89993d1d 0000000049454e44ae426082`);

/** A complete 1×1 transparent GIF89a. */
export const GIF_1X1 = hex('47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b');

/** The start of a JFIF JPEG. */
export const JPEG_HEADER = hex('ffd8ffe000104a46494600010100000100010000');
