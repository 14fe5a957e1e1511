import { describe, expect, it } from 'vitest';
import { withoutNonXmlCharacters } from './xml-text.js';

const hex = (code: number) => code.toString(16).padStart(4, '0');

describe('withoutNonXmlCharacters', () => {
  it('removes C0 controls but tab, LF and CR; DEL; C1 controls; U+FFFE and U+FFFF', () => {
    const removed: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      if (withoutNonXmlCharacters(`a${String.fromCharCode(code)}b`) === 'ab') removed.push(hex(code));
    }
    const expected = [
      ...Array.from({ length: 0x20 }, (_, code) => code).filter((code) => ![0x09, 0x0a, 0x0d].includes(code)),
      ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
      0xfffe,
      0xffff,
    ].map(hex);
    expect(removed).toEqual(expected);
  });

  it('keeps every other character: whitespace, BOM, line and paragraph separators, U+FFFD, astral ones', () => {
    const kept = '\t\n\r \u00a0\u00ad\ufeff\u2028\u2029\ufffd\ufffc 中文 \ud83d\ude00 \u{1fffe}\u{10ffff}';
    expect(withoutNonXmlCharacters(kept)).toBe(kept);
  });

  it('replaces each unpaired surrogate with U+FFFD and keeps pairs', () => {
    expect(withoutNonXmlCharacters('a\ud800b')).toBe('a\ufffdb');
    expect(withoutNonXmlCharacters('a\udc00b')).toBe('a\ufffdb');
    expect(withoutNonXmlCharacters('\udfff\ud83d\ude00\ud83d')).toBe('\ufffd\ud83d\ude00\ufffd');
    expect(withoutNonXmlCharacters('\ude00\ud83d')).toBe('\ufffd\ufffd');
    expect(withoutNonXmlCharacters('\ud83d\ud83d\ude00')).toBe('\ufffd\ud83d\ude00');
  });

  it('does not join two halves that a removed control kept apart', () => {
    expect(withoutNonXmlCharacters('\ud83d\u0001\ude00')).toBe('\ufffd\ufffd');
    expect(withoutNonXmlCharacters('\ud83d\u0085\ufffe\ude00')).toBe('\ufffd\ufffd');
  });

  it('returns text without such characters as it is', () => {
    for (const text of ['', 'plain', 'a & <b> "c"', '克里姆林宫']) expect(withoutNonXmlCharacters(text)).toBe(text);
  });
});
