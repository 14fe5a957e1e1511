import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseV5 } from 'hexo-front-matter';
import { describe, expect, it } from 'vitest';
import { plainOrQuoted, readWrittenFrontMatter, renderFrontMatter, singleQuoted, type PostFrontMatter } from './front-matter.js';

/*
 * Round trips are checked against two Hexo front-matter parsers, because they
 * disagree on the YAML library underneath:
 * - `hexo-front-matter` 5 (our direct dependency) parses with `yaml`;
 * - Hexo 8 itself still depends on hexo-front-matter 4, which parses with
 *   js-yaml. That is the parser that actually reads our posts when the site is
 *   built, so resolve it the way Hexo does (from Hexo's own directory; if npm
 *   ever dedupes the two this simply finds the same module twice).
 */
type Parse = (text: string) => Record<string, unknown>;
const require = createRequire(import.meta.url);
const hexoRequire = createRequire(require.resolve('hexo'));
const hexoFrontMatter = hexoRequire('hexo-front-matter') as { parse: Parse; split: (text: string) => { data?: string } };
const parseAsHexo = hexoFrontMatter.parse;
const PARSERS: ReadonlyArray<readonly [string, Parse]> = [
  ['hexo-front-matter 5', parseV5 as Parse],
  ["Hexo's bundled hexo-front-matter", parseAsHexo],
];

const SEED_PATH = join(import.meta.dirname, '../../test/golden/000_4206ef1ae22bb898.txt');
const URL = 'https://chinese.aljazeera.net/wp-content/uploads/2022/01/image-21-1.jpg?w=770&resize=770%2C433';
const BODY = '\n<div>\n<p>body --- with\n---\n# markers</p>\n</div>\n';

const seedFrontMatter: PostFrontMatter = {
  title: '哈萨克斯坦危机：被革职的国家安全局长被捕  执政党各地总部被毁',
  categories: ['新媒体', 'Aljazeera 半岛网', '新闻'],
  headimg: URL,
  author: 'Aljazeera 半岛网',
  comments: false,
  date: new Date('2022-01-08T11:58:24Z'),
  thumbnail: URL,
};

/** What a string is expected to read back as: lone surrogates become U+FFFD. */
function expected(value: string): string {
  return value.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
}

function expectedKeys(fm: PostFrontMatter): string[] {
  const keys = ['title', 'categories'];
  if (fm.headimg) keys.push('headimg');
  keys.push('author', 'comments', 'date');
  if (fm.thumbnail) keys.push('thumbnail');
  if (fm.updated) keys.push('updated');
  if (fm.original_url) keys.push('original_url');
  if (fm.newsstand_id) keys.push('newsstand_id');
  return keys;
}

/** toUTCString has one-second resolution. */
function toSecond(date: Date): number {
  return Math.floor(date.getTime() / 1000) * 1000;
}

/**
 * Renders `fm` as a whole post, parses it back with every parser and checks
 * keys, order, values and body. Uses `expect` so a failing fast-check run
 * reports the exact mismatch.
 */
function assertRoundTrip(fm: PostFrontMatter): void {
  const text = renderFrontMatter(fm) + BODY;
  for (const [name, parse] of PARSERS) {
    const data = parse(text);
    const { _content, ...keys } = data;
    expect(Object.keys(keys), name).toEqual(expectedKeys(fm));
    expect(_content, name).toBe(BODY);
    expect(data.title, name).toBe(expected(fm.title));
    expect(data.categories, name).toEqual(fm.categories.map(expected));
    expect(data.author, name).toBe(expected(fm.author));
    expect(data.comments, name).toBe(fm.comments);
    // Both parsers hand back `date`/`updated` as the plain string we wrote;
    // Hexo's post processor then turns it into a Date with `new Date(string)`.
    expect(typeof data.date, name).toBe('string');
    expect(new Date(data.date as string).getTime(), name).toBe(toSecond(fm.date));
    if (fm.updated) {
      expect(typeof data.updated, name).toBe('string');
      expect(new Date(data.updated as string).getTime(), name).toBe(toSecond(fm.updated));
    }
    if (fm.headimg) expect(data.headimg, name).toBe(expected(fm.headimg));
    if (fm.thumbnail) expect(data.thumbnail, name).toBe(expected(fm.thumbnail));
    if (fm.original_url) expect(data.original_url, name).toBe(expected(fm.original_url));
    if (fm.newsstand_id) expect(data.newsstand_id, name).toBe(expected(fm.newsstand_id));
  }
  expectReadAsHexoReads(text);
}

/** readWrittenFrontMatter reads what the writer wrote (it does not hand it to the YAML library), as Hexo reads it. */
function expectReadAsHexoReads(text: string): void {
  const { _content, ...asHexo } = parseAsHexo(text);
  const read = readWrittenFrontMatter(hexoFrontMatter.split(text).data ?? '');
  expect(read).not.toBeNull();
  expect(read).toStrictEqual(asHexo);
  expect(Object.keys(read!)).toEqual(Object.keys(asHexo));
}

describe('renderFrontMatter', () => {
  it('reproduces the seed post front matter byte for byte', () => {
    const seed = readFileSync(SEED_PATH, 'utf8');
    // The seed file happens to start with a blank line before `---`; the front
    // matter block itself runs from the first `---` line through the second.
    const start = seed.indexOf('---\n');
    const end = seed.indexOf('\n---\n', start + 3) + '\n---\n'.length;
    expect(seed.slice(0, start).trim()).toBe('');
    expect(renderFrontMatter(seedFrontMatter)).toBe(seed.slice(start, end));
  });

  it('round-trips the seed values', () => {
    assertRoundTrip(seedFrontMatter);
  });

  it('writes the optional trailing keys after thumbnail, in order', () => {
    const text = renderFrontMatter({
      ...seedFrontMatter,
      updated: new Date('2022-01-09T00:00:01.999Z'),
      original_url: "https://example.com/a?b=1&c='2'",
      newsstand_id: 'sha1:abc',
    });
    expect(text.split('\n').slice(-5)).toEqual([
      'updated: Sun, 09 Jan 2022 00:00:01 GMT',
      "original_url: 'https://example.com/a?b=1&c=''2'''",
      'newsstand_id: sha1:abc',
      '---',
      '',
    ]);
  });

  it("writes the theme's keys last: strings quoted, lists in the categories' style, booleans plain, empty ones left out", () => {
    const text = renderFrontMatter({
      ...seedFrontMatter,
      newsstand_id: 'abc',
      theme: [
        ['cover', URL],
        ['photos', [URL]],
        ['headimg_display', false],
        ['excerpt', '<p>a: b #c</p>'],
        ['banner', ''],
        ['gallery', []],
      ],
    });
    expect(text.split('\n').slice(-8)).toEqual([
      'newsstand_id: abc',
      `cover: '${URL}'`,
      'photos: ',
      ` - '${URL}'`,
      'headimg_display: false',
      "excerpt: '<p>a: b #c</p>'",
      '---',
      '',
    ]);
    for (const [name, parse] of PARSERS) {
      expect(parse(`${text}\n`), name).toMatchObject({ cover: URL, photos: [URL], headimg_display: false, excerpt: '<p>a: b #c</p>' });
    }
    expectReadAsHexoReads(`${text}\n`);
  });

  it('refuses a theme key YAML could read as something else', () => {
    expect(() => renderFrontMatter({ ...seedFrontMatter, theme: [['a: b', 'x']] })).toThrow(/not a key/);
    expect(() => renderFrontMatter({ ...seedFrontMatter, theme: [['', 'x']] })).toThrow(/not a key/);
  });

  it('omits empty optional keys', () => {
    const text = renderFrontMatter({
      ...seedFrontMatter,
      headimg: '',
      thumbnail: undefined,
      updated: null,
      original_url: '',
      newsstand_id: '',
    });
    expect(text).not.toMatch(/headimg|thumbnail|updated|original_url|newsstand_id/);
    assertRoundTrip({ ...seedFrontMatter, headimg: undefined, thumbnail: undefined });
  });

  it('writes an empty category list as [] so it reads back as a list', () => {
    expect(renderFrontMatter({ ...seedFrontMatter, categories: [] })).toContain('\ncategories: []\n');
    assertRoundTrip({ ...seedFrontMatter, categories: [] });
  });

  it('quotes ids that would read back as numbers', () => {
    for (const id of ['12345', '1e5', '0x1F', '.5', '007']) {
      expect(renderFrontMatter({ ...seedFrontMatter, newsstand_id: id })).toContain(`newsstand_id: '${id}'\n`);
      assertRoundTrip({ ...seedFrontMatter, newsstand_id: id });
    }
    expect(renderFrontMatter({ ...seedFrontMatter, newsstand_id: 'a1b2-c3' })).toContain('newsstand_id: a1b2-c3\n');
  });

  it('throws on invalid dates instead of writing "Invalid Date"', () => {
    expect(() => renderFrontMatter({ ...seedFrontMatter, date: new Date(Number.NaN) })).toThrow(/date/);
    expect(() => renderFrontMatter({ ...seedFrontMatter, updated: new Date('nope') })).toThrow(/updated/);
  });

  it('throws on dates whose UTC string Hexo would read back as another instant', () => {
    // new Date('Mon, 01 Jan 0001 00:00:00 GMT') is 2001 in V8: Go's zero time,
    // common in feeds, would otherwise be published as 2001.
    expect(() => renderFrontMatter({ ...seedFrontMatter, date: new Date('0001-01-01T00:00:00Z') })).toThrow();
    expect(() => renderFrontMatter({ ...seedFrontMatter, date: new Date('-000001-01-01T00:00:00Z') })).toThrow();
    expect(() => renderFrontMatter({ ...seedFrontMatter, date: new Date('0050-06-15T00:00:00Z') })).toThrow();
    assertRoundTrip({ ...seedFrontMatter, date: new Date('0100-03-01T12:00:00Z') });
    assertRoundTrip({ ...seedFrontMatter, date: new Date('9999-12-31T23:59:59Z') });
    assertRoundTrip({ ...seedFrontMatter, date: new Date('+010000-01-01T00:00:00Z') });
  });
});

describe('scalar writers', () => {
  it('single-quotes, doubling quotes', () => {
    expect(singleQuoted("it's")).toBe("'it''s'");
    expect(singleQuoted('')).toBe("''");
    expect(singleQuoted(' # a: b ')).toBe("' # a: b '");
  });

  it('switches to double quotes for characters single quotes cannot carry', () => {
    expect(singleQuoted('a\nb')).toBe('"a\\nb"');
    expect(singleQuoted('a\tb"\\')).toBe('"a\\tb\\"\\\\"');
    expect(singleQuoted('\r\u0000\u007F\u0085')).toBe('"\\x0D\\x00\\x7F\\x85"');
    expect(singleQuoted('\u2028\u2029\uFEFF\uFFFE\uFFFF')).toBe('"\\u2028\\u2029\\uFEFF\\uFFFE\\uFFFF"');
    expect(singleQuoted("'\n")).toBe('"\'\\n"');
  });

  it('replaces lone surrogates with U+FFFD but keeps pairs', () => {
    expect(singleQuoted('a\uD800b')).toBe("'a\uFFFDb'");
    expect(singleQuoted('\uDC00\uD83D\uDE00\uD83D')).toBe("'\uFFFD\uD83D\uDE00\uFFFD'");
    expect(plainOrQuoted('x\uDFFF')).toBe('x\uFFFD');
  });

  it('leaves safe strings plain', () => {
    for (const s of [
      'Aljazeera 半岛网',
      '新闻',
      'a:b',
      'a#b',
      'C#',
      'x-y',
      "it's",
      'say "hi"',
      'Sat, 08 Jan 2022 11:58:24 GMT',
      '5G网络',
      'a, b',
    ]) {
      expect(plainOrQuoted(s)).toBe(s);
    }
  });

  it('quotes strings a YAML 1.1 or 1.2 reader would not read back as the same string', () => {
    const quoted = [
      '',
      ' a',
      'a ',
      '\u00A0a',
      'a: b',
      'a #b',
      'a:',
      '-',
      '- a',
      '---',
      '...',
      '?',
      ':',
      ',',
      '[',
      ']',
      '{',
      '}',
      '#',
      '&a',
      '*a',
      '!a',
      '|',
      '>',
      "'",
      '"',
      '%',
      '@a',
      '`a',
      '~',
      'null',
      'NULL',
      'Null',
      'nUlL',
      'true',
      'False',
      'yes',
      'No',
      'on',
      'OFF',
      'y',
      'N',
      '123',
      '-1',
      '+1',
      '.5',
      '1.',
      '1e5',
      '1E+5',
      '0x1F',
      '0o17',
      '0b101',
      '010',
      '1_000',
      '12:30',
      '190:20:30.15',
      '.inf',
      '-.Inf',
      '+.INF',
      '.nan',
      '.NaN',
      '2022-01-08',
      '2022-1-8',
      '2022-01-08T11:58:24Z',
      '2022-01-08 11:58:24 +8',
      '<<',
      '=',
    ];
    for (const s of quoted) {
      expect(plainOrQuoted(s), JSON.stringify(s)).not.toBe(s);
      assertRoundTrip({ ...seedFrontMatter, title: s, author: s, categories: [s] });
    }
  });
});

/** Strings that have broken hand-written YAML before, one way or another. */
const TRICKY: string[] = [
  'O\'Reilly\'s "quoted" title',
  'Breaking: news',
  'Issue #42 fixed',
  'Title ending with colon:',
  '#hashtag first',
  '- leading dash',
  '@mention first',
  '[bracketed] first',
  '*star first',
  '&anchor first',
  '!tag first',
  '%percent first',
  '| pipe first',
  '> folded first',
  '? question first',
  '{brace first}',
  '---',
  '...',
  '--- not a separator\n---\ninjected: yes',
  'line one\nline two',
  'first\n\n\nafter blank lines\n',
  'tab\tinside\tand\n\tafter a newline',
  'carriage\rreturn\r\nand CRLF',
  'emoji 🎉📰',
  'ZWJ family 👨‍👩‍👧‍👦 and flag 🏳️‍🌈',
  '新闻'.repeat(1000),
  'true',
  'null',
  '123',
  '0x1F',
  '2022-01-08',
  '~',
  'back\\slash \\n not a newline \\',
  'lone \uD800 surrogate',
  '\uDC00',
  "title: 'injected'\nauthor: x",
  '"double" start',
  "'single' start",
  ' padded ',
  '',
  'NEL\u0085LS\u2028PS\u2029BOM\uFEFFnonchar\uFFFE\uFFFF',
  'all C0 \u0000\u0001\u0007\u0008\u000B\u000C\u001B\u001F DEL\u007F C1\u0080\u009F',
];

describe('tricky strings round-trip through Hexo front-matter parsers', () => {
  it.each(TRICKY.map((s) => [JSON.stringify(s).slice(0, 60), s] as const))('%s', (_label, s) => {
    assertRoundTrip({ ...seedFrontMatter, title: s, author: s, categories: [s, '新闻', s] });
    assertRoundTrip({
      title: s,
      categories: [s],
      headimg: s === '' ? undefined : s,
      author: s,
      comments: true,
      date: seedFrontMatter.date,
      thumbnail: s === '' ? undefined : s,
      updated: new Date('2023-06-01T00:00:00Z'),
      original_url: s === '' ? undefined : s,
      newsstand_id: s === '' ? undefined : s,
    });
  });
});

describe('property: any string round-trips', () => {
  // Dates toUTCString can express and Hexo's `new Date(string)` reads back.
  const dateArb = fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });
  const optionalText = (text: fc.Arbitrary<string>) => fc.option(text, { nil: undefined });

  const frontMatterArb = (text: fc.Arbitrary<string>): fc.Arbitrary<PostFrontMatter> =>
    fc.record({
      title: text,
      categories: fc.array(text, { maxLength: 4 }),
      headimg: optionalText(text),
      author: text,
      comments: fc.boolean(),
      date: dateArb,
      thumbnail: optionalText(text),
      updated: fc.option(dateArb, { nil: null }),
      original_url: optionalText(text),
      newsstand_id: optionalText(text),
    });

  it('for arbitrary Unicode, controls and lone surrogates included', () => {
    fc.assert(fc.property(frontMatterArb(fc.string({ unit: 'binary', maxLength: 40 })), assertRoundTrip), {
      numRuns: 10_000,
    });
  });

  it('for strings built from YAML-significant characters', () => {
    // Random Unicode almost never spells `true`, `0x1F` or `a: b`; this
    // alphabet makes indicator, number and keyword shapes common.
    const unit = fc.constantFrom(...'-?:,[]{}#&*!|>\'"%@`~<=. \t\n\r\\0123456789abefilnorstuxyENOTY'.split(''));
    fc.assert(fc.property(frontMatterArb(fc.string({ unit, maxLength: 12 })), assertRoundTrip), {
      numRuns: 10_000,
    });
  });
});

describe('readWrittenFrontMatter on text the writer did not write', () => {
  /** js-yaml's reading of a block as Hexo reads it (undefined when it throws), and readWrittenFrontMatter's. */
  function both(block: string): { asHexo: Record<string, unknown> | undefined; read: Record<string, unknown> | null } {
    let asHexo: Record<string, unknown> | undefined;
    try {
      const { _content, ...data } = parseAsHexo(`---\n${block}\n---\n`);
      asHexo = data;
    } catch {
      asHexo = undefined;
    }
    return { asHexo, read: readWrittenFrontMatter(block) };
  }

  it.each([
    ['a key read as a boolean', "True: 'x'"],
    ['a key of its own kind', "__proto__: 'x'"],
    ['a repeated key', "title: 'a'\ntitle: 'b'"],
    ['a list key without items', 'categories: \ntitle: x'],
    ['an item without a list', " - 'a'"],
    ['a list at another indentation', "categories: \n  - 'a'"],
    ['a comment', "title: 'a' # note"],
    ['a timestamp', 'date: 2024-01-02 03:04:05'],
    ['a number', 'id: 0x1F'],
    ['null', 'author: null'],
    ['a plain scalar with a colon and space', 'title: a: b'],
    ['a bare quote in a double-quoted scalar', 'title: "a"b"'],
    ['an escape the writer does not write', 'title: "\\e"'],
    ['a short \\u escape', 'title: "\\u12"'],
    ['a tab', "title: 'a\tb'"],
    ['a lone surrogate', "title: '\uD800'"],
    ['a blank line', "title: 'a'\n\nauthor: b"],
    ['a folded single-quoted scalar', "title: 'a\n b'"],
  ])('leaves %s to the YAML library', (_label, block) => {
    expect(readWrittenFrontMatter(block)).toBeNull();
  });

  it('reads the escapes the writer writes as js-yaml does', () => {
    const block = 'title: "a\\\\b\\"c\\nd\\te\\x7F\\u2028\\uFEFF"';
    const { asHexo, read } = both(block);
    expect(read).toEqual({ title: 'a\\b"c\nd\te\u007F\u2028\uFEFF' });
    expect(read).toStrictEqual(asHexo);
  });

  it('reads any other text as js-yaml does, or leaves it to it', () => {
    // Lines shaped like the writer's, from characters that make YAML read them otherwise.
    const unit = fc.oneof(
      { arbitrary: fc.constantFrom(...'abcdefhi 新闻'.split('')), weight: 6 },
      { arbitrary: fc.constantFrom(...'-?:,[]{}#&*!|>\'"%@`~<=. \t\\0123456789abefilnortuxyTNYE\u0085\u2028\uD800'.split('')), weight: 1 },
    );
    const scalar = fc.oneof(
      fc.string({ unit, maxLength: 8 }),
      fc.string({ unit, maxLength: 6 }).map((s) => `'${s}'`),
      fc.string({ unit, maxLength: 6 }).map((s) => `"${s}"`),
    );
    const key = fc.oneof(
      { arbitrary: fc.constantFrom('title', 'categories', 'a_b', 'author', 'x'), weight: 6 },
      { arbitrary: fc.constantFrom('true', 'y', '__proto__', 'a-b', ''), weight: 1 },
    );
    const line = fc.oneof(
      { arbitrary: fc.tuple(key, scalar).map(([k, v]) => `${k}: ${v}`), weight: 4 },
      { arbitrary: fc.tuple(key, fc.constantFrom('', '[]', 'true', 'False', ' ', '~')).map(([k, v]) => `${k}: ${v}`), weight: 1 },
      { arbitrary: scalar.map((v) => ` - ${v}`), weight: 2 },
      { arbitrary: fc.string({ unit, maxLength: 10 }), weight: 1 },
    );
    let read = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (lines) => {
        const block = lines.join('\n');
        const result = both(block);
        if (result.read === null) return;
        read++;
        expect(result.read).toStrictEqual(result.asHexo);
      }),
      { numRuns: 20_000 },
    );
    // The property says something only if a good share of the blocks are read, not all left to the library.
    expect(read).toBeGreaterThan(2_000);
  });
});
