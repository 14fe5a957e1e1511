/**
 * The folders of src/ form layers (DEVELOPERS.md): each imports only what is below it, so no two folders import
 * each other and a newcomer can tell where a module belongs. Read off the code's own import lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Bottom to top; the modules at the root of src/ are one layer each, at the bottom. */
const LAYERS = [
  'item',
  'errors',
  'own-package',
  'item-identity',
  'xml-text',
  'theme-profiles',
  'feed',
  'config',
  'store',
  'fetch',
  'content',
  'post',
  'publish',
  'site',
  'sources',
  'sync',
  'commands',
  'cli',
  'index',
];
const SRC = import.meta.dirname;

function unitOf(file: string): string {
  const [first] = relative(SRC, file).split(sep);
  return first!.replace(/\.ts$/, '');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testdata' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('layers of src/', () => {
  const files = sourceFiles(SRC);

  it('names every folder and root module in the layer list', () => {
    expect([...new Set(files.map(unitOf))].filter((unit) => !LAYERS.includes(unit))).toEqual([]);
  });

  it('has every module import only from its own layer or those below', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = unitOf(file);
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const to = unitOf(join(file, '..', match[1]!));
        if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) upward.push(`${relative(SRC, file)} → ${match[1]}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
