/**
 * search-core.js (folding, index keys, posting strings, matching): what the index (lib/search-index.js, tested
 * beside it) and the browser do alike. The leading underscore keeps Hexo from publishing this file with the
 * theme's scripts. Both files are plain browser scripts, evaluated here the way the index evaluates them.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildFoldTable, TABLE_FILE } from './_fold-table.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

function evaluate(file: string): any {
  const module = { exports: {} as any };
  const run = vm.runInThisContext(`(function (module, exports) {${readFileSync(file, 'utf8')}\n})`, { filename: file });
  run(module, module.exports);
  return module.exports;
}

const core = evaluate(join(HERE, 'search-core.js'));
const table: string = evaluate(join(HERE, 'search-fold-table.js'));
const fold: (text: string) => string = core.createFolder(table);

function keysOf(text: string): string[] {
  const keys: string[] = [];
  core.forEachKey(fold(text), (key: string) => keys.push(key));
  return keys;
}

const CJK = [...'克里姆林宫晶圓圆台灣湾臺产產线線芯片的一是在了中国國发發髮里裡裏'];
const LATIN = [...'risc-v RISCabcxyz0123 ＲＩＳＣ５Ｇ'];

describe('folding', () => {
  it('folds full-width forms to half-width and upper case to lower case', () => {
    expect(fold('ＲＩＳＣ－Ｖ')).toBe('risc-v');
    expect(fold('RISC-V')).toBe('risc-v');
    expect(fold('５Ｇ网络')).toBe('5g网络');
    expect(fold('ｶﾀｶﾅ')).toBe('カタカナ');
    expect(fold('Ǆ É')).toBe('ǆ é');
  });

  it('folds traditional characters and their Taiwan and Hong Kong variants to simplified', () => {
    expect(fold('晶圓')).toBe('晶圆');
    expect(fold('晶圆')).toBe('晶圆');
    expect(fold('臺灣')).toBe('台湾');
    expect(fold('台灣')).toBe('台湾');
    expect(fold('裡')).toBe('里');
    expect(fold('裏')).toBe('里');
    expect(fold('綫')).toBe('线');
    expect(fold('產線')).toBe('产线');
    expect(fold('克里姆林宮')).toBe('克里姆林宫');
    expect(fold('發')).toBe(fold('髮'));
  });

  it('folds compatibility ideographs and Kangxi radicals to the unified ones', () => {
    expect(fold('\uf9dc')).toBe('\u9686'); // 隆 (compatibility) → 隆
    expect(fold('\uf900')).toBe('岂'); // 豈 (compatibility) → 豈 → 岂
    expect(fold('\u2f00')).toBe('一'); // ⼀ KANGXI RADICAL ONE
  });

  it('keeps every position: characters whose folded form is longer stay as they are', () => {
    for (const text of ['½', '㍿', 'ﬀ', 'İ', '…', '𠀀𠮷', 'a\ud800b']) expect(fold(text).length, text).toBe(text.length);
    expect(fold('½㍿')).toBe('½㍿');
  });

  it('is idempotent and keeps the length of any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const once = fold(text);
        expect(once.length).toBe(text.length);
        expect(fold(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('ships the table that opencc-js gives today (run _fold-table.mjs after upgrading it)', () => {
    expect(table).toBe(buildFoldTable());
    expect(evaluate(TABLE_FILE)).toBe(table);
    const pairs = Array.from(table);
    expect(pairs.length % 2).toBe(0);
    expect(pairs.length / 2).toBeGreaterThan(2500);
    for (let i = 0; i < pairs.length; i += 2) expect(fold(pairs[i + 1]!), pairs[i]).toBe(pairs[i + 1]); // targets are final
  });
});

describe('index keys', () => {
  it('cuts Chinese into its characters and the pairs of neighbours', () => {
    expect(keysOf('克里姆林宫')).toEqual(['克', '克里', '里', '里姆', '姆', '姆林', '林', '林宫', '宫']);
    expect(keysOf('芯')).toEqual(['芯']);
  });

  it('indexes other letters and digits as words, and separates at punctuation and script changes', () => {
    expect(keysOf('ＲＩＳＣ-V，5G网络')).toEqual(['risc', 'v', '5g', '网', '网络', '络']);
    expect(keysOf('x'.repeat(40))).toEqual(['x'.repeat(core.MAX_WORD)]);
    expect(keysOf('カナ 한국어')).toEqual(['カ', 'カナ', 'ナ', '한', '한국', '국', '국어', '어']);
  });

  it('cuts characters beyond the BMP whole', () => {
    expect(keysOf('𠮷野家')).toEqual(['𠮷', '𠮷野', '野', '野家', '家']);
    expect(keysOf('野𠮷')).toEqual(['野', '野𠮷', '𠮷']);
  });

  it('gives the number form of a key for the pairs the build counts fast, in the order of the text', () => {
    const text = '晶圆 risc 𠮷野';
    const codes = new Int32Array(2 * text.length);
    const strings: string[] = [];
    const count = core.keyCodes(text, codes, strings);
    expect([...codes.subarray(0, count)].map((code) => (code === 0 ? 0 : core.keyOfCode(code)))).toEqual([
      '晶',
      '晶圆',
      '圆',
      0,
      0,
      0,
      '野',
    ]);
    expect(strings).toEqual(['risc', '𠮷', '𠮷野']);
  });

  it('gives the keys the rule says: each word, each gram character and each pair of neighbours', () => {
    // The rule spelled out over runs(), slowly, against keyCodes' one pass.
    const expected = (text: string) => {
      const keys: string[] = [];
      const list = core.runs(text);
      for (let r = 0; r < list.length; r += 3) {
        const run = text.slice(list[r + 1], list[r + 2]);
        if (list[r] === core.WORD) {
          const word = run.slice(0, core.MAX_WORD);
          keys.push(/[\uD800-\uDBFF]$/.test(word) ? word.slice(0, -1) : word);
          continue;
        }
        const characters = Array.from(run);
        characters.forEach((character, i) => {
          if (i > 0) keys.push(characters[i - 1] + character);
          keys.push(character);
        });
      }
      return keys;
    };
    const unit = fc.constantFrom(...CJK, ...LATIN, ' ', '，', '-', '𠮷', '\uD800', '\uDC00', 'ｶ', 'ä', 'x'.repeat(30));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (raw) => {
        const text = fold(raw);
        expect(keysOf(raw)).toEqual(expected(text));
      }),
    );
  });

  it('finds every piece of a text through the keys of that text, in the shard of the lookup', () => {
    const unit = fc.constantFrom(...CJK, ...LATIN, ' ', '，', '-');
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 30 }), fc.nat(), fc.nat(), (text, a, b) => {
        const chars = Array.from(text);
        const start = a % chars.length;
        const piece = chars.slice(start, start + 1 + (b % (chars.length - start))).join('');
        const terms = core.parseQuery(piece, fold);
        const keys = new Set(keysOf(text));
        const folded = fold(text);
        for (const term of terms) {
          for (const lookup of core.termLookups(term)) {
            // a word cut in the middle is not a word of the text: only whole-word pieces must be found
            const found = lookup.prefix ? [...keys].some((key) => key.startsWith(lookup.key)) : keys.has(lookup.key);
            const matched = core.findTerm(folded, term, 0) !== null;
            if (matched) expect(found, `${JSON.stringify(piece)} in ${JSON.stringify(text)}: ${lookup.key}`).toBe(true);
            for (const key of keys) {
              if (lookup.prefix ? key.startsWith(lookup.key) : key === lookup.key)
                expect(core.shardOf(key, 37)).toBe(core.shardOf(lookup.key, 37));
            }
          }
        }
        // A piece that starts and ends at word boundaries (or is all CJK) is always matched.
        if (terms.length === 1 && terms[0].every((segment: { kind: number }) => segment.kind === core.GRAM)) {
          expect(core.findTerm(folded, terms[0], 0)).not.toBeNull();
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe('posting strings', () => {
  it('decode to the descending numbers encoded, up to 2^53', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.maxSafeNat(), { maxLength: 200 }), (values) => {
        const ids = [...values].sort((x, y) => y - x);
        const decoded: number[] = [];
        core.decodeDescending(core.encodeDescending(ids), (id: number) => decoded.push(id));
        expect(decoded).toEqual(ids);
      }),
    );
    expect(core.encodeDescending([3, 2, 1, 0])).toBe('DAAA');
    expect(core.encodeDescending([32, 0])).toBe('hAf');
  });

  it('read as ids with a flag for those also in the title list', () => {
    const value = `${core.encodeDescending([900, 500, 42, 7])} ${core.encodeDescending([500, 7])}`;
    const { ids, flags } = core.readPostings(value);
    expect(ids).toEqual([900, 500, 42, 7]);
    expect([...flags]).toEqual([1, 3, 1, 3]);
    expect(core.readPostings(core.encodeDescending([5]))).toEqual({ ids: [5], flags: new Uint8Array([1]) });
  });

  it('put an id in one document shard, spread over all of them', () => {
    const counts = new Array(16).fill(0);
    for (let unit = 2_950_000; unit < 2_950_000 + 200; unit++) counts[core.documentShardOf(unit * 32, 16)]++;
    for (const count of counts) expect(count).toBeGreaterThan(4);
    expect(core.documentShardOf(2 ** 40 + 5, 1024)).toBe(core.documentShardOf(2 ** 40 + 5, 1024));
    expect(core.documentShardOf(2 ** 40 + 5, 1024)).not.toBe(core.documentShardOf(5, 1024));
  });
});

describe('matching', () => {
  const match = (text: string, query: string) => {
    const terms = core.parseQuery(query, fold);
    return core.matchesAll(fold(text), terms);
  };

  it('matches Chinese anywhere, folded both ways', () => {
    expect(match('与此同时，克里姆林宫方面宣布', '克里姆林宫')).toBe(true);
    expect(match('与此同时，克里姆林宫方面宣布', '克里姆林宮')).toBe(true);
    expect(match('新竹的晶圓代工廠', '晶圆')).toBe(true);
    expect(match('新竹的晶圆代工厂', '晶圓')).toBe(true);
    expect(match('克里姆 林宫', '克里姆林宫')).toBe(false);
  });

  it('matches words from their start, a last word by prefix, in any width and case', () => {
    expect(match('64 核 RISC-V 服务器芯片', 'ＲＩＳＣ')).toBe(true);
    expect(match('64 核 RISC-V 服务器芯片', 'ris')).toBe(true);
    expect(match('64 核 RISC-V 服务器芯片', 'isc')).toBe(false);
    expect(match('64 核 RISC-V 服务器芯片', 'risc-v')).toBe(true);
    expect(match('64 核 RISC-V 服务器芯片', 'risc v 芯片')).toBe(true);
    expect(match('riscy vector', 'risc-v')).toBe(false);
    expect(match('a vector', 'v')).toBe(false);
    expect(match('RISC-V', 'v')).toBe(true);
    expect(match('5G网络', '５ｇ网络')).toBe(true);
  });

  it('needs every term, and a query without letters matches nothing', () => {
    expect(match('国产芯片完成流片', '芯片 流片')).toBe(true);
    expect(match('国产芯片完成流片', '芯片 晶圆')).toBe(false);
    expect(core.parseQuery('  ，。!! ', fold)).toEqual([]);
    expect(match('anything', '!!')).toBe(false);
  });

  it('marks every match inside a range, merged', () => {
    const text = fold('RISC-V 芯片，芯片晶圓');
    const terms = core.parseQuery('芯片 risc 晶圆', fold);
    expect(core.matchSpans(text, terms, 0, text.length)).toEqual([
      [0, 4],
      [7, 9],
      [10, 14],
    ]);
    expect(core.matchSpans(text, terms, 8, 12)).toEqual([[10, 12]]);
  });
});
