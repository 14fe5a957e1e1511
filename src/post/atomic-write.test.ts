import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { AtomicWriter, removeStaleTemporaries, writeFileAtomic } from './atomic-write.js';

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsstand-write-'));
  dirs.push(dir);
  return dir;
}

/** Hands every file over at once, then waits for them. */
function writeAll(files: Array<{ path: string; text: string }>, concurrency: number): Promise<void> {
  const writer = new AtomicWriter(concurrency);
  writer.add(files);
  return writer.finish();
}

describe('AtomicWriter', () => {
  it('writes every file, several at a time, and leaves no temporary file', async () => {
    const dir = tempDir();
    await writeAll(
      Array.from({ length: 200 }, (_, n) => ({ path: join(dir, `${n}.md`), text: `post ${n}\n` })),
      4,
    );
    const names = readdirSync(dir);
    expect(names).toHaveLength(200);
    expect(names.some((name) => name.startsWith('.'))).toBe(false);
    expect(readFileSync(join(dir, '137.md'), 'utf8')).toBe('post 137\n');
  });

  it('rejects with a message naming the path once a write fails, and starts no new write after it', async () => {
    const dir = tempDir();
    const files = [
      { path: join(dir, 'missing-dir', 'a.md'), text: 'a' },
      { path: join(dir, 'b.md'), text: 'b' },
    ];
    const error = await writeAll(files, 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(join(dir, 'missing-dir', 'a.md'));
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writeFileAtomic and stale temporaries', () => {
  it('replaces a file whole, and removeStaleTemporaries clears what a killed run left', async () => {
    const dir = tempDir();
    await writeFileAtomic(join(dir, 'a.md'), 'one');
    await writeFileAtomic(join(dir, 'a.md'), 'two');
    expect(readFileSync(join(dir, 'a.md'), 'utf8')).toBe('two');
    mkdirSync(join(dir, 'sub'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, '.a.md.1234abcd.newsstand-tmp'), 'half');
    expect(await removeStaleTemporaries(dir)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['a.md', 'sub']);
  });
});
