import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { BuildCache } from './build-cache.js';

describe('BuildCache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsstand-build-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const post = (name: string) => ({ name, size: 1, mtimeMs: 1, hash: name, fields: {}, categories: [] });

  it('gives back every post content exactly as saved, whatever its characters', () => {
    const cache = BuildCache.open(join(dir, 'texts.db'), 'env');
    const texts = [
      '<p>第一段 <b>粗体</b> &amp; more</p>',
      '\u{1f600} \u{20000}',
      'lone \ud800 and \udc00 surrogates',
      '',
      'a'.repeat(100_000),
    ];
    for (const [n, text] of texts.entries()) cache.savePost(post(`p${n}`), text);
    expect(texts.map((_, n) => cache.content(`p${n}`))).toEqual(texts);
    expect(cache.content('missing')).toBe('');
    cache.close();
  });

  it('sets aside a cache of the previous layout, whose contents were stored as UTF-8 text', () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
      CREATE TABLE contents (name TEXT PRIMARY KEY, content TEXT NOT NULL);
      CREATE TABLE routes (path TEXT PRIMARY KEY, digest TEXT NOT NULL, output TEXT NOT NULL);
      INSERT INTO meta VALUES ('environment', '2 env');
      INSERT INTO contents VALUES ('p', '<p>旧</p>');
      INSERT INTO routes VALUES ('index.html', 'd', 'o');`);
    old.close();
    const cache = BuildCache.open(path, 'env');
    expect(cache.routes()).toEqual([]);
    expect(cache.content('p')).toBe('');
    cache.savePost(post('p'), '<p>新</p>');
    expect(cache.content('p')).toBe('<p>新</p>');
    cache.close();
  });
});
