import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeFeedBytes, decoderName } from './decode.js';

const ascii = (text: string) => Array.from(Buffer.from(text, 'latin1'));
const bytes = (...parts: Array<number[] | string>) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? ascii(part) : part)));
const utf8 = (text: string) => Array.from(Buffer.from(text, 'utf8'));
const declaration = (encoding: string) => `<?xml version="1.0" encoding="${encoding}"?>`;

// "中文" in GBK. Read as Big5 or UTF-8 it is something else entirely.
const ZHONGWEN_GBK = [0xd6, 0xd0, 0xce, 0xc4];
// 喆 is in GBK but not GB2312; 𠀀 (U+20000) is one of GB18030's four-byte sequences.
const ZHE_GBK = [0x86, 0xb4];
const U20000_GB18030 = [0x95, 0x32, 0x82, 0x36];

describe('decodeFeedBytes: which charset wins', () => {
  it('with no hint at all, UTF-8', () => {
    expect(decodeFeedBytes(bytes(utf8('<rss>中文</rss>')))).toEqual({ text: '<rss>中文</rss>', encoding: 'utf-8' });
  });

  it('a UTF-8 BOM wins over the HTTP charset and is dropped from the text', () => {
    const decoded = decodeFeedBytes(bytes([0xef, 0xbb, 0xbf], utf8('中文')), 'gbk');
    expect(decoded).toEqual({ text: '中文', encoding: 'utf-8' });
  });

  it('a UTF-16LE BOM wins over the header and the declaration, whatever the first character', () => {
    // 中 is 2D 4E: no zero byte. The BOM alone must decide, not a guess from the bytes after it.
    const text = bytes([0xff, 0xfe], Array.from(Buffer.from('中文<rss/>', 'utf16le')));
    expect(decodeFeedBytes(text, 'utf-8')).toEqual({ text: '中文<rss/>', encoding: 'utf-16le' });
  });

  it('a UTF-16BE BOM', () => {
    const le = Buffer.from(`<?xml version="1.0" encoding="UTF-16"?><rss/>`, 'utf16le');
    const be = Buffer.from(le).swap16();
    expect(decodeFeedBytes(bytes([0xfe, 0xff], Array.from(be))).text).toBe('<?xml version="1.0" encoding="UTF-16"?><rss/>');
  });

  it('the HTTP charset wins over the XML declaration', () => {
    const doc = bytes(declaration('big5'), ZHONGWEN_GBK);
    expect(decodeFeedBytes(doc, 'gbk')).toEqual({ text: `${declaration('big5')}中文`, encoding: 'gb18030' });
    // And without the header, the declaration is what is used: the header made the difference.
    expect(decodeFeedBytes(doc).encoding).toBe('big5');
    expect(decodeFeedBytes(doc).text).not.toContain('中文');
  });

  it('the declaration is used when there is no header (single quotes, spaces, any case)', () => {
    const head = `<?xml version='1.0' encoding = 'GBK' ?>`;
    expect(decodeFeedBytes(bytes(head, ZHONGWEN_GBK))).toEqual({ text: `${head}中文`, encoding: 'gb18030' });
  });

  it('a UTF-8 header over bytes that are not UTF-8 and a gbk declaration: gb18030', () => {
    const doc = bytes(declaration('gbk'), ZHONGWEN_GBK);
    expect(decodeFeedBytes(doc, 'utf-8')).toEqual({ text: `${declaration('gbk')}中文`, encoding: 'gb18030' });
    expect(decodeFeedBytes(doc, 'UTF8').encoding).toBe('gb18030');
  });

  it('a UTF-8 header is believed when the bytes are valid UTF-8, whatever the declaration says', () => {
    const doc = bytes(declaration('gbk'), utf8('中文'));
    expect(decodeFeedBytes(doc, 'utf-8')).toEqual({ text: `${declaration('gbk')}中文`, encoding: 'utf-8' });
  });

  it('an unknown header label falls through to the declaration', () => {
    expect(decodeFeedBytes(bytes(declaration('gbk'), ZHONGWEN_GBK), 'x-no-such-charset').text).toContain('中文');
  });

  it('an unknown declaration falls through to UTF-8', () => {
    expect(decodeFeedBytes(bytes(declaration('klingon'), utf8('中文')))).toEqual({
      text: `${declaration('klingon')}中文`,
      encoding: 'utf-8',
    });
    expect(decodeFeedBytes(bytes(declaration('klingon'), utf8('中文')), 'bogus').encoding).toBe('utf-8');
  });

  it('a label the platform knows but cannot decode (x-user-defined, iso-2022-kr) falls through too', () => {
    expect(decodeFeedBytes(bytes(declaration('gbk'), ZHONGWEN_GBK), 'x-user-defined').encoding).toBe('gb18030');
    expect(decodeFeedBytes(bytes(declaration('iso-2022-kr'), utf8('中文'))).encoding).toBe('utf-8');
  });

  it('a UTF-16 declaration on ASCII-compatible bytes without a BOM is a lie: UTF-8', () => {
    const doc = bytes(declaration('UTF-16'), utf8('<rss>中文</rss>'));
    expect(decodeFeedBytes(doc)).toEqual({ text: `${declaration('UTF-16')}<rss>中文</rss>`, encoding: 'utf-8' });
    expect(decodeFeedBytes(bytes(utf8('<rss>中文</rss>')), 'utf-16').encoding).toBe('utf-8');
  });
});

describe('decodeFeedBytes: Chinese labels', () => {
  it('gb2312 is read as GB18030: GBK-only 喆 and four-byte 𠀀 both decode', () => {
    const decoded = decodeFeedBytes(bytes(declaration('gb2312'), ZHE_GBK, U20000_GB18030, [0xa2, 0xe3]));
    expect(decoded.text).toBe(`${declaration('gb2312')}喆𠀀€`);
  });

  it.each(['gb2312', 'GBK', 'x-gbk', 'gb_2312-80', 'iso-ir-58', 'csiso58gb231280', 'chinese', 'cp936', 'GB18030'])(
    'label %s → gb18030',
    (label) => {
      expect(decoderName(label)).toBe('gb18030');
      expect(decodeFeedBytes(bytes(U20000_GB18030), label).text).toBe('𠀀');
    },
  );

  it('Big5 and Shift_JIS labels', () => {
    expect(decoderName('Big5')).toBe('big5');
    expect(decoderName('Shift_JIS')).toBe('shift_jis');
    // ソ (83 5C) and 表 (95 5C): the trail byte is ASCII "\".
    expect(decodeFeedBytes(bytes([0x83, 0x5c, 0x95, 0x5c]), 'shift_jis').text).toBe('ソ表');
  });

  it('unknown labels have no decoder', () => {
    expect(decoderName('no-such-charset')).toBeNull();
    expect(decoderName('')).toBeNull();
  });
});

describe('decodeFeedBytes: windows-1252', () => {
  // The WHATWG windows-1252 index for 0x80–0x9F; the five unassigned bytes map to their C1 code points.
  const HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
  const range = Array.from({ length: 32 }, (_, i) => 0x80 + i);

  it('maps every byte 0x80–0x9F itself (Node ≥ 20.18.3 decodes them as Latin-1 C1 controls)', () => {
    const decoded = decodeFeedBytes(bytes(range), 'windows-1252');
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toBe(HIGH);
  });

  it('from the declaration too, with 0xA0–0xFF as Latin-1', () => {
    const decoded = decodeFeedBytes(bytes(declaration('windows-1252'), [0x43, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x80, 0x33, 0x94]));
    expect(decoded.text).toBe(`${declaration('windows-1252')}Café “€3”`);
  });

  it.each(['iso-8859-1', 'latin1', 'us-ascii', 'cp1252'])('label %s is windows-1252, as WHATWG says', (label) => {
    expect(decodeFeedBytes(bytes([0x93, 0x97, 0x94]), label).text).toBe('“—”');
  });
  it('reads UTF-8 mislabelled as ISO-8859-1 or windows-1252 (by the header or the declaration) as UTF-8', () => {
    const utf8 = new TextEncoder().encode('<title>veröffentlicht — 发布</title>');
    expect(decodeFeedBytes(utf8, 'iso-8859-1')).toEqual({ text: '<title>veröffentlicht — 发布</title>', encoding: 'utf-8' });
    const declared = bytes(declaration('ISO-8859-1'), [...new TextEncoder().encode('Café')]);
    expect(decodeFeedBytes(declared)).toEqual({ text: `${declaration('ISO-8859-1')}Café`, encoding: 'utf-8' });
    // Bytes that are not UTF-8 stay Latin-1, and plain ASCII keeps its label.
    expect(decodeFeedBytes(bytes([0x43, 0x61, 0x66, 0xc3]), 'iso-8859-1')).toEqual({ text: 'CafÃ', encoding: 'windows-1252' });
    expect(decodeFeedBytes(bytes([0x41]), 'iso-8859-1').encoding).toBe('windows-1252');
  });
});

describe('charsetFromContentType', () => {
  it.each([
    ['application/rss+xml; charset=gbk', 'gbk'],
    ['text/xml;charset="UTF-8"', 'UTF-8'],
    ['text/xml; Charset = Shift_JIS; foo=bar', 'Shift_JIS'],
    ['text/xml', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (header, expected) => {
    expect(charsetFromContentType(header)).toBe(expected);
  });
});

describe('decodeFeedBytes without any charset signal', () => {
  it('keeps valid UTF-8 as UTF-8', () => {
    expect(decodeFeedBytes(Buffer.from('<rss><title>中文 café</title></rss>', 'utf8'))).toEqual({
      text: '<rss><title>中文 café</title></rss>',
      encoding: 'utf-8',
    });
  });

  it('detects GB18030 when the bytes are not UTF-8 but are valid GB18030', () => {
    // 中文 in GBK, no declaration, no header.
    const bytes = Buffer.concat([Buffer.from('<rss><title>'), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('</title></rss>')]);
    expect(decodeFeedBytes(bytes)).toEqual({ text: '<rss><title>中文</title></rss>', encoding: 'gb18030' });
  });

  it('falls back to windows-1252 when neither fits', () => {
    const bytes = Buffer.concat([
      Buffer.from('<rss><title>Caf'),
      Buffer.from([0xe9, 0x20, 0x93, 0x41, 0x94]),
      Buffer.from('</title></rss>'),
    ]);
    expect(decodeFeedBytes(bytes)).toEqual({ text: '<rss><title>Café “A”</title></rss>', encoding: 'windows-1252' });
  });

  it('reads the charset of an HTML meta tag', () => {
    const bytes = Buffer.concat([
      Buffer.from('<html><head><meta charset="gbk"><title>'),
      Buffer.from([0xd6, 0xd0]),
      Buffer.from('</title>'),
    ]);
    expect(decodeFeedBytes(bytes).text).toContain('<title>中</title>');
    const legacy = Buffer.concat([
      Buffer.from('<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"><title>'),
      Buffer.from([0xa4, 0xa4]),
      Buffer.from('</title>'),
    ]);
    expect(decodeFeedBytes(legacy)).toMatchObject({ encoding: 'big5' });
  });
});
