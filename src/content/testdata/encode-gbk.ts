/**
 * Text → GBK bytes, for fixtures of Chinese pages in a legacy charset. Node can decode GBK but not encode it,
 * so the table is the platform's GB18030 decoder run backwards over every two-byte code.
 */

let table: Map<string, [number, number]> | undefined;

function gbkTable(): Map<string, [number, number]> {
  if (table) return table;
  const pairs: Array<[number, number]> = [];
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) pairs.push([lead, trail]);
  }
  const decoded = new TextDecoder('gb18030').decode(new Uint8Array(pairs.flat()));
  // Every two-byte code decodes to one BMP character, so position i of the text is pair i.
  if (decoded.length !== pairs.length) throw new Error('unexpected GB18030 decoding of two-byte codes');
  const codes = new Map<string, [number, number]>();
  pairs.forEach((pair, i) => {
    const char = decoded[i]!;
    if (!codes.has(char)) codes.set(char, pair);
  });
  table = codes;
  return codes;
}

export function encodeGbk(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    const pair = gbkTable().get(char);
    if (!pair) throw new Error(`${char} has no GBK code`);
    bytes.push(...pair);
  }
  return new Uint8Array(bytes);
}
