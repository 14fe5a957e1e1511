/**
 * Bytes → text. The charset is taken from, in order: a byte order mark, the HTTP `charset`, the XML
 * declaration or an HTML `<meta>` charset, then UTF-8 (XML's own default) when the bytes are valid UTF-8,
 * else detection. A label the platform does not know falls through to the next.
 */

export interface DecodedText {
  text: string;
  /** The WHATWG name of the encoding used, e.g. "gb18030", "utf-8". */
  encoding: string;
}

// Labels that name a subset of GB18030: decode them with GB18030 itself, since the platform's "gbk" decoder
// drops four-byte sequences that real "gb2312" feeds contain anyway.
const GB18030_ALIASES = new Set(['gb2312', 'gbk', 'x-gbk', 'cp936', 'ms936', 'windows-936', 'euc-cn', 'csgb2312', 'chinese']);

const BOMS: ReadonlyArray<readonly [number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

export function decodeFeedBytes(bytes: Uint8Array, httpCharset?: string | null): DecodedText {
  const bom = encodingFromBom(bytes);
  // The BOM is the one certain signal: decoded as it says, never second-guessed by the false-UTF-16 check
  // (UTF-16 text whose first character has no zero byte, such as 中, was being read as UTF-8).
  if (bom) return { text: decodeBytes(bom.encoding, bytes.subarray(bom.length)), encoding: bom.encoding };

  const fromHttp = httpCharset ? decoderName(httpCharset) : null;
  const declared = declaredEncoding(bytes);
  const fromDeclaration = declared ? decoderName(declared) : null;
  // Servers often send a default "utf-8" whatever the file is; bytes that are not UTF-8 expose that lie.
  if (fromHttp === 'utf-8' && fromDeclaration && fromDeclaration !== 'utf-8') {
    const strict = tryDecodeStrict('utf-8', bytes);
    if (strict !== null) return { text: strict, encoding: 'utf-8' };
    const encoding = unlessFalseUtf16(fromDeclaration, bytes);
    return { text: decodeBytes(encoding, bytes), encoding };
  }
  if (!fromHttp && !fromDeclaration) return decodeUndeclared(bytes);
  // Settled before decoding, so that `encoding` names what was actually used.
  const encoding = unlessFalseUtf16(fromHttp ?? fromDeclaration ?? 'utf-8', bytes);
  if (encoding === 'windows-1252') {
    // Labelled ISO-8859-1/windows-1252 (a server's or CMS's default) but valid UTF-8 with multi-byte
    // characters: real Latin-1 text almost never is, and read as Latin-1 it shows as "verÃ¶ffentlicht".
    const utf8 = hasNonAscii(bytes) ? tryDecodeStrict('utf-8', bytes) : null;
    if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  }
  return { text: decodeBytes(encoding, bytes), encoding };
}

function hasNonAscii(bytes: Uint8Array): boolean {
  return bytes.some((byte) => byte > 0x7f);
}

/**
 * Nothing names the charset: UTF-8 when the bytes are valid UTF-8; otherwise the likeliest legacy charset
 * for our readers — GB18030 when the bytes are valid GB18030 (Chinese sites that forgot to say so), else
 * windows-1252 (Western sites that did).
 */
function decodeUndeclared(bytes: Uint8Array): DecodedText {
  for (const encoding of ['utf-8', 'gb18030']) {
    const text = tryDecodeStrict(encoding, bytes);
    if (text !== null) return { text, encoding };
  }
  return { text: decodeBytes('windows-1252', bytes), encoding: 'windows-1252' };
}

/** The `charset` parameter of a Content-Type header, if any. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const match = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType) : null;
  return match?.[1] ?? null;
}

function encodingFromBom(bytes: Uint8Array): { encoding: string; length: number } | null {
  for (const [mark, encoding] of BOMS) {
    if (mark.every((byte, i) => bytes[i] === byte)) return { encoding, length: mark.length };
  }
  return null;
}

/**
 * The `encoding` of an XML declaration, or the charset of an HTML `<meta>` near the top, read from the first
 * bytes as ASCII (every charset a feed or page may use agrees there).
 */
function declaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  const xml = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  if (xml) return xml[1] ?? null;
  const meta = /<meta\s[^>]*?charset\s*=\s*["']?([A-Za-z0-9._:-]+)/i.exec(head);
  return meta?.[1] ?? null;
}

/** The platform decoder for a charset label, or null when it has none. */
export function decoderName(label: string): string | null {
  const normalized = label.trim().toLowerCase();
  if (GB18030_ALIASES.has(normalized)) return 'gb18030';
  try {
    const encoding = new TextDecoder(normalized).encoding;
    // Every WHATWG label of GBK (gb_2312-80, iso-ir-58, csiso58gb231280…), not only those listed above.
    return encoding === 'gbk' ? 'gb18030' : encoding;
  } catch {
    return null;
  }
}

function tryDecodeStrict(encoding: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** A UTF-16 label on BOM-less bytes that start with no zero byte (ASCII `<?xml`) is a lie the bytes already told: UTF-8. */
function unlessFalseUtf16(encoding: string, bytes: Uint8Array): string {
  return encoding.startsWith('utf-16') && bytes.length > 1 && bytes[0] !== 0 && bytes[1] !== 0 ? 'utf-8' : encoding;
}

function decodeBytes(encoding: string, bytes: Uint8Array): string {
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  return new TextDecoder(encoding, { ignoreBOM: false }).decode(bytes);
}

// Node 20.18.3+ and 22.13+ decode "windows-1252" (and its aliases latin1, us-ascii) as ISO-8859-1, turning
// curly quotes and € into C1 controls. The two differ only in 0x80–0x9F, so those are mapped here.
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}
