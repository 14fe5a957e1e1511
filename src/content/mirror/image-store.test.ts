import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasStoredImage, removeImages, storeImage } from './image-store.js';
import { GIF_1X1, PNG_1X1 } from './testdata/images.js';

let root: string;
let imagesDir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'newsstand-image-store-'));
  imagesDir = join(root, 'images');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file under `dir`, relative, with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(dir.length + 1)
        .replaceAll('\\', '/'),
    )
    .sort();
}

describe('storeImage', () => {
  it('names the file by the SHA-256 of its bytes and writes them', async () => {
    const hash = createHash('sha256').update(PNG_1X1).digest('hex');
    const file = await storeImage(imagesDir, PNG_1X1, 'png');
    expect(file).toBe(`${hash.slice(0, 2)}/${hash.slice(0, 20)}.png`);
    expect(readFileSync(join(imagesDir, file))).toEqual(Buffer.from(PNG_1X1));
  });

  it('stores the same bytes once and does not rewrite an existing file', async () => {
    const file = await storeImage(imagesDir, GIF_1X1, 'gif');
    writeFileSync(join(imagesDir, file), 'marker');
    expect(await storeImage(imagesDir, GIF_1X1, 'gif')).toBe(file);
    expect(readFileSync(join(imagesDir, file), 'utf8')).toBe('marker');
    expect(filesUnder(imagesDir)).toEqual([file]);
  });

  it('leaves one complete file and no temporary ones when the same bytes are stored concurrently', async () => {
    const files = await Promise.all(Array.from({ length: 8 }, () => storeImage(imagesDir, PNG_1X1, 'png')));
    expect(new Set(files).size).toBe(1);
    expect(filesUnder(imagesDir)).toEqual([files[0]]);
    expect(readFileSync(join(imagesDir, files[0]!))).toEqual(Buffer.from(PNG_1X1));
  });

  it.each(['svg', 'html', '', 'png/../../x', 'PNG'])('refuses the extension %j and writes nothing', async (ext) => {
    await expect(storeImage(imagesDir, PNG_1X1, ext)).rejects.toThrow(/not an image extension/);
    expect(existsSync(imagesDir)).toBe(false);
  });
});

describe('hasStoredImage', () => {
  it('is true for a stored file and false once it is gone', async () => {
    const file = await storeImage(imagesDir, PNG_1X1, 'png');
    expect(await hasStoredImage(imagesDir, file)).toBe(true);
    rmSync(join(imagesDir, file));
    expect(await hasStoredImage(imagesDir, file)).toBe(false);
  });

  it('is false for an existing file whose path is not a stored-image name', async () => {
    mkdirSync(imagesDir, { recursive: true });
    writeFileSync(join(root, 'x.png'), 'outside');
    expect(await hasStoredImage(imagesDir, '../x.png')).toBe(false);
  });
});

describe('removeImages', () => {
  it('deletes the files, then the subdirectories left empty, and keeps the rest', async () => {
    const png = await storeImage(imagesDir, PNG_1X1, 'png');
    const gif = await storeImage(imagesDir, GIF_1X1, 'gif');
    const neighbour = `${png.slice(0, 2)}/${png.slice(0, 2)}${'0'.repeat(18)}.jpg`;
    await removeImages(imagesDir, [png, gif]);
    expect(filesUnder(imagesDir)).toEqual([]);
    expect(readdirSync(imagesDir)).toEqual([]);

    // A subdirectory that still holds another image stays.
    const again = await storeImage(imagesDir, PNG_1X1, 'png');
    writeFileSync(join(imagesDir, neighbour), 'other');
    await removeImages(imagesDir, [again]);
    expect(filesUnder(imagesDir)).toEqual([neighbour]);
  });

  it('ignores files that are already gone', async () => {
    mkdirSync(imagesDir, { recursive: true });
    await expect(removeImages(imagesDir, ['ab/abcdef0123456789abcd.png'])).resolves.toBeUndefined();
  });

  // Each path points at a real file: one a careless join or resolve would delete.
  it.each([
    '../x.png',
    'ab/../../x.png',
    '<root>/x.png',
    'AB/ABCDEF0123456789ABCD.png',
    'ab/abcdef0123456789abcd.svg',
    'ab/abcdef0123456789abcd.png.tmp-1-2',
    'ab\\abcdef0123456789abcd.png',
  ])('refuses to touch %j', async (pattern) => {
    const file = pattern.replace('<root>', root);
    const target = resolve(imagesDir, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, 'keep me');
    await removeImages(imagesDir, [file]);
    expect(readFileSync(target, 'utf8')).toBe('keep me');
  });
});
