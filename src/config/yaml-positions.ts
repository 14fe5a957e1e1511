/**
 * Places in a parsed `newsstand.yml`: where the node at a key path such as `sources[0].url` starts, every key
 * with where it starts, the first alias; and how a key path and a line:col are written in messages.
 */
import { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';

/** The keys and list indices from the top of the file down to a node: `['sources', 0, 'url']`. */
export type KeyPath = readonly (string | number)[];

/** Something wrong at a place in the file, reported as `<file>:<line>:<col>: <key path>: <message>`. */
export interface Problem {
  offset: number;
  path: KeyPath;
  message: string;
}

/**
 * Offset of the node at `keyPath`: the key itself when `target` is 'key' (unknown keys), else the value; when
 * the path is missing from the file (a key left out), the deepest node that exists, i.e. the parent map.
 */
export function locate(doc: Document, keyPath: KeyPath, target: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [i, segment] of keyPath.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => keyName(item.key) === String(segment));
      if (!pair) break;
      const keyOffset = rangeStart(pair.key) ?? offset;
      if (i === keyPath.length - 1 && target === 'key') return keyOffset;
      node = pair.value;
      // `key:` with an empty value has a zero-width node at the line's end; the key is the better place.
      offset = isScalar(node) && node.value === null ? keyOffset : (rangeStart(node) ?? keyOffset);
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

/** Every key (and list item) in the document with where it starts, in document order. */
export function collectKeys(node: unknown, keyPath: KeyPath, out: Array<{ path: KeyPath; start: number; valueStart: number }>): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const start = rangeStart(pair.key);
      const childPath = [...keyPath, keyName(pair.key)];
      if (start !== undefined) out.push({ path: childPath, start, valueStart: rangeStart(pair.value) ?? start });
      collectKeys(pair.value, childPath, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const start = rangeStart(item);
      if (start !== undefined) out.push({ path: [...keyPath, index], start, valueStart: start });
      collectKeys(item, [...keyPath, index], out);
    });
  }
}

/** The first alias in document order, with its key path and where it starts. */
export function firstAlias(node: unknown, keyPath: KeyPath): { path: KeyPath; offset: number } | undefined {
  if (isAlias(node)) return { path: keyPath, offset: rangeStart(node) ?? 0 };
  const children: Array<[string | number, unknown]> = isMap(node)
    ? node.items.map((pair) => [keyName(pair.key), pair.value])
    : isSeq(node)
      ? node.items.map((item, index) => [index, item])
      : [];
  for (const [segment, child] of children) {
    const found = firstAlias(child, [...keyPath, segment]);
    if (found) return found;
  }
  return undefined;
}

/** A map key as text. */
export function keyName(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** Where a node starts in the text; undefined when there is no node or it has no range. */
export function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: readonly number[] | null } | null | undefined)?.range;
  return range?.[0];
}

/** A key path as users write it: `sources[0].include.title`. */
export function formatPath(keyPath: KeyPath): string {
  return keyPath.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}

/** `line:col`, as in `newsstand.yml:3:5`. */
export function position({ line, col }: { line: number; col: number }): string {
  return `${line}:${col}`;
}
