import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { nameTakenOnDisk, preparePostsDir } from './files.js';

const root = mkdtempSync(join(tmpdir(), 'newsstand-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

/** A posts directory holding these files: a post of the item `own` carries its id, any other a stranger's. */
function postsDir(files: readonly string[], own: string): string {
  const dir = join(root, String(count++));
  mkdirSync(dir);
  for (const file of files) {
    if (file.endsWith('/')) mkdirSync(join(dir, file), { recursive: true });
    else writeFileSync(join(dir, file), `---\ntitle: x\nnewsstand_id: ${file.startsWith('own') ? own : 'other'}\n---\n`);
  }
  return dir;
}

describe('nameTakenOnDisk with the listing preparePostsDir makes', () => {
  it('answers as the disk does, for any names', async () => {
    const letter = fc.constantFrom(...['a', 'A', 'b', 'B', '-', '1', '~', 'é', 'É', '中']);
    const name = fc.array(letter, { minLength: 1, maxLength: 3 }).map((letters) => letters.join(''));
    const file = fc.oneof(
      name.map((n) => `${n}.md`),
      name.map((n) => `own${n}.md`),
      name.map((n) => `${n}.md/`), // a directory in the way
      name.map((n) => `.${n}.md.1a2b3c4d.newsstand-tmp`),
    );
    let listed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(file, { maxLength: 6, selector: (entry) => entry.replace(/\/$/, '') }),
        fc.array(
          fc.oneof(
            name,
            name.map((n) => `own${n}`),
          ),
          { maxLength: 6 },
        ),
        async (files, names) => {
          const dir = postsDir(files, 'id-1');
          const listing = await preparePostsDir(dir);
          if (listing) listed++;
          for (const candidate of names) {
            expect(nameTakenOnDisk(dir, candidate, 'id-1', listing), candidate).toBe(nameTakenOnDisk(dir, candidate, 'id-1'));
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(listed).toBeGreaterThan(30);
  });

  it('is no listing when a name is not printable ASCII, so that the disk is asked', async () => {
    expect(await preparePostsDir(postsDir(['a.md', 'b.md'], 'x'))).toEqual(new Set(['a.md', 'b.md']));
    expect(await preparePostsDir(postsDir(['a.md', 'é.md'], 'x'))).toBeNull();
    // Upper case is listed in lower case: on a case-insensitive disk `A` is taken by `a`, and the disk is asked.
    const dir = postsDir(['A.md'], 'x');
    const listing = await preparePostsDir(dir);
    expect(listing?.has('a.md')).toBe(true);
    expect(nameTakenOnDisk(dir, 'A', 'x', listing)).toBe(true);
  });
});
