import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { collectKeys, firstAlias, formatPath, locate, position, type KeyPath } from './yaml-positions.js';

/** The document for `text`, and `where(offset)`: the offset as `line:col`. */
function parsed(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return { doc, where: (offset: number) => position(lineCounter.linePos(offset)) };
}

const YML = ['site:', '  root: .', '  postsDir:', 'sources:', '  - url: https://a.example/feed', '    categories: [a, b]', ''].join('\n');

describe('locate', () => {
  const { doc, where } = parsed(YML);
  const at = (keyPath: KeyPath, target: 'key' | 'value' = 'value') => where(locate(doc, keyPath, target));

  it('finds the value at a key path, or the key itself', () => {
    expect(at(['site', 'root'])).toBe('2:9');
    expect(at(['site', 'root'], 'key')).toBe('2:3');
    expect(at(['sources', 0, 'url'])).toBe('5:10');
    expect(at(['sources', 0, 'categories', 1])).toBe('6:21');
    expect(at([])).toBe('1:1');
  });

  it('gives the key of a key with an empty value', () => {
    expect(at(['site', 'postsDir'])).toBe('3:3');
  });

  it('gives the deepest node that exists for a path missing from the file', () => {
    expect(at(['site', 'filename'])).toBe('2:3');
    expect(at(['sources', 5, 'url'])).toBe('5:3');
    expect(at(['fetch', 'timeout'])).toBe('1:1');
  });

  it('follows aliases', () => {
    const aliased = parsed('base: &b\n  retries: 1\nfetch: *b\n');
    expect(aliased.where(locate(aliased.doc, ['fetch', 'retries'], 'value'))).toBe('2:12');
  });
});

describe('collectKeys', () => {
  it('lists every key and list item in document order, with where each and its value start', () => {
    const { doc, where } = parsed(YML);
    const keys: Array<{ path: KeyPath; start: number; valueStart: number }> = [];
    collectKeys(doc.contents, [], keys);
    expect(keys.map(({ path, start, valueStart }) => [formatPath(path), where(start), where(valueStart)])).toEqual([
      ['site', '1:1', '2:3'],
      ['site.root', '2:3', '2:9'],
      ['site.postsDir', '3:3', '3:12'],
      ['sources', '4:1', '5:3'],
      ['sources[0]', '5:5', '5:5'],
      ['sources[0].url', '5:5', '5:10'],
      ['sources[0].categories', '6:5', '6:17'],
      ['sources[0].categories[0]', '6:18', '6:18'],
      ['sources[0].categories[1]', '6:21', '6:21'],
    ]);
  });
});

describe('firstAlias', () => {
  it('finds the first alias in document order', () => {
    const { doc, where } = parsed('a: &a [x]\nb:\n  - y\n  - *a\nc: *a\n');
    const alias = firstAlias(doc.contents, []);
    expect(alias && [formatPath(alias.path), where(alias.offset)]).toEqual(['b[1]', '4:5']);
  });

  it('finds none in a document without aliases', () => {
    expect(firstAlias(parsed(YML).doc.contents, [])).toBeUndefined();
  });
});

describe('formatPath', () => {
  it('writes a key path as users write it', () => {
    expect(formatPath(['sources', 0, 'include', 'title'])).toBe('sources[0].include.title');
    expect(formatPath(['defaults', 'embeds', 2])).toBe('defaults.embeds[2]');
    expect(formatPath([0])).toBe('[0]');
    expect(formatPath([])).toBe('');
  });
});
