/**
 * Byte-level mutations of feed documents for the fuzz test: slices deleted, inserted and duplicated, tags
 * swapped, truncation, injected markup, entities, controls and invalid UTF-8, huge attributes, deep nesting.
 */
import fc from 'fast-check';

/** Byte strings worth injecting: markup, entities, CDATA and comment edges, controls, invalid UTF-8. */
const TOKENS: Buffer[] = [
  '<',
  '>',
  '&',
  '&amp;',
  '&#0;',
  '&#xD800;',
  '&#x1F600;',
  '&nbsp;',
  '&unknown;',
  '</item>',
  '<item>',
  '</entry>',
  '<entry>',
  '</channel>',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '"',
  "'",
  '\u0000',
  '\r\n',
  '\t',
  '<br>',
  '</p>',
  '<script>alert(1)</script>',
  '{{ site }}',
  '{% raw %}',
  '\n---\n',
  '<!-- more -->',
  ': ',
  ' #',
  '- ',
  '😀',
  '\u0301\u0301\u0301',
  '\u2028',
  '\ufeff',
  '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
  '&x;',
  '<?xml version="1.0" encoding="gbk"?>',
  'xml:base="../../"',
  '<img src="javascript:alert(1)" onerror="x()">',
  '<a href="data:text/html,x">',
  '<title>',
  '</title>',
  '<link>',
  '<guid>',
  '<pubDate>',
  'Mon, 01 Jan 0001 00:00:00 GMT',
  '9999-12-31T23:59:59Z',
].map((token) => Buffer.from(token, 'utf8'));
const INVALID_UTF8: Buffer[] = [
  [0xff],
  [0xfe, 0xff],
  [0xc3],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe4, 0xb8],
  [0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
].map((bytes) => Buffer.from(bytes));

export type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: Buffer }
  | { kind: 'duplicate'; at: number; length: number; to: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'swapTags'; first: number; second: number }
  | { kind: 'hugeAttribute'; at: number; size: number }
  | { kind: 'nest'; at: number; depth: number; close: boolean };

// Positions are fractions of the current length, so one mutation list applies to any document; unbiased, or
// most would land on the first bytes (fast-check favours 0) and only break the prolog.
const position = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.constantFrom(...TOKENS, ...INVALID_UTF8) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: position,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => Buffer.from(bytes)),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: position,
    bytes: fc.string({ unit: 'binary', maxLength: 12 }).map((text) => Buffer.from(text, 'utf8')),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 2000 }), to: position }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('swapTags' as const), first: position, second: position }),
  fc.record({ kind: fc.constant('hugeAttribute' as const), at: position, size: fc.integer({ min: 1_000, max: 100_000 }) }),
  fc.record({ kind: fc.constant('nest' as const), at: position, depth: fc.integer({ min: 1, max: 5_000 }), close: fc.boolean() }),
);

export function apply(document: Buffer, mutations: Mutation[]): Buffer {
  let bytes = document;
  for (const m of mutations) {
    const at = (fraction: number) => Math.floor(fraction * bytes.length);
    switch (m.kind) {
      case 'delete':
        bytes = Buffer.concat([bytes.subarray(0, at(m.at)), bytes.subarray(at(m.at) + m.length)]);
        break;
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, at(m.at)), m.bytes, bytes.subarray(at(m.at))]);
        break;
      case 'duplicate': {
        const slice = bytes.subarray(at(m.at), at(m.at) + m.length);
        bytes = Buffer.concat([bytes.subarray(0, at(m.to)), slice, bytes.subarray(at(m.to))]);
        break;
      }
      case 'truncate':
        bytes = bytes.subarray(0, at(m.at));
        break;
      case 'swapTags': {
        const tags = [...bytes.toString('latin1').matchAll(/<[^<>]{1,80}>/g)];
        if (tags.length < 2) break;
        const [a, b] = [tags[Math.floor(m.first * tags.length)]!, tags[Math.floor(m.second * tags.length)]!].sort(
          (x, y) => x.index - y.index,
        );
        if (a.index === b.index || a.index + a[0].length > b.index) break;
        const slice = (from: number, to?: number) => bytes.subarray(from, to);
        bytes = Buffer.concat([
          slice(0, a.index),
          slice(b.index, b.index + b[0].length),
          slice(a.index + a[0].length, b.index),
          slice(a.index, a.index + a[0].length),
          slice(b.index + b[0].length),
        ]);
        break;
      }
      case 'hugeAttribute': {
        // Inside the next start tag after the position, or as text when there is none.
        const text = bytes.toString('latin1');
        const tag = text.slice(at(m.at)).search(/<[A-Za-z]/);
        const where = tag === -1 ? at(m.at) : at(m.at) + tag + 2;
        bytes = Buffer.concat([bytes.subarray(0, where), Buffer.from(` data-x="${'x&<'.repeat(m.size / 3)}" `), bytes.subarray(where)]);
        break;
      }
      case 'nest':
        bytes = Buffer.concat([
          bytes.subarray(0, at(m.at)),
          Buffer.from('<n>'.repeat(m.depth) + (m.close ? '</n>'.repeat(m.depth) : '')),
          bytes.subarray(at(m.at)),
        ]);
        break;
    }
  }
  return bytes;
}
