import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../fetch/http-client.js';
import { ImageMirror, type ImageCache, type RefererSetting } from './mirror.js';
import { GIF_1X1, PNG_1X1 } from './testdata/images.js';

const NEWS_REFERER = 'https://news.example/';
const ARTICLE = 'https://news.example/2024/1.html';
const MAX_BYTES = 1_000;
const HTML = '<!doctype html><html><body>Not here</body></html>';

let server: Server;
let base: string;
let client: HttpClient;
let root: string;
let imagesDir: string;
const hits = new Map<string, number>();
const referers = new Map<string, string | undefined>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    referers.set(path, request.headers.referer);
    if (path.startsWith('/guarded/')) {
      if (request.headers.referer !== NEWS_REFERER) return response.writeHead(403).end('hotlinking refused');
      return response.writeHead(200, { 'content-type': 'image/png' }).end(PNG_1X1);
    }
    if (path.startsWith('/open/') && path.endsWith('.png')) return response.writeHead(200, { 'content-type': 'image/png' }).end(PNG_1X1);
    if (path === '/untyped/photo.png') return response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(GIF_1X1);
    if (path === '/html') return response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML);
    if (path === '/svg')
      return response
        .writeHead(200, { 'content-type': 'image/svg+xml' })
        .end('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    if (path === '/lying.jpg') return response.writeHead(200, { 'content-type': 'image/jpeg' }).end(HTML);
    if (path === '/big.png')
      return response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.concat([PNG_1X1, Buffer.alloc(MAX_BYTES)]));
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new HttpClient({
    timeoutMs: 5000,
    connectTimeoutMs: 2000,
    maxBytes: 5_000_000,
    userAgent: 'test',
    retries: 0,
    concurrency: 8,
    perHost: 4,
  });
  root = mkdtempSync(join(tmpdir(), 'newsstand-mirror-'));
});
afterAll(async () => {
  await client.close();
  server.closeAllConnections();
  server.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  imagesDir = mkdtempSync(join(root, 'images-'));
});

/** The state's image table, in memory. */
class MemoryCache implements ImageCache {
  readonly files = new Map<string, string>();
  fileFor(url: string): string | undefined {
    return this.files.get(url);
  }
  remember(url: string, file: string): void {
    this.files.set(url, file);
  }
}

function imageMirror(cache: ImageCache = new MemoryCache()): ImageMirror {
  return new ImageMirror({ client, imagesDir, urlPrefix: '/images/', maxBytes: MAX_BYTES, cache, publicOnly: false });
}

const fromNews = (referer: RefererSetting) => ({ referer, articleUrl: ARTICLE });

describe('ImageMirror referer', () => {
  it('is refused a guarded image without a Referer, and counts the failure', async () => {
    const mirror = imageMirror();
    expect(await mirror.mirror(`${base}/guarded/none.png`, fromNews('none'))).toBeNull();
    expect(referers.get('/guarded/none.png')).toBeUndefined();
    expect(mirror.failures.count).toBe(1);
    expect(mirror.failures.last).toContain(`HTTP 403 Forbidden from ${base}/guarded/none.png`);
    expect(readdirSync(imagesDir)).toEqual([]);
  });

  it("sends the article's origin and stores the image under a local URL", async () => {
    const cache = new MemoryCache();
    const mirror = imageMirror(cache);
    const url = `${base}/guarded/origin.png`;
    const image = await mirror.mirror(url, fromNews('origin'));
    expect(image).not.toBeNull();
    expect(image!.file).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{20}\.png$/);
    expect(image!.url).toBe(`/images/${image!.file}`);
    expect(readFileSync(join(imagesDir, image!.file))).toEqual(Buffer.from(PNG_1X1));
    expect(cache.files.get(url)).toBe(image!.file);
    expect(mirror.failures.count).toBe(0);
  });

  it('sends a fixed Referer', async () => {
    const image = await imageMirror().mirror(`${base}/guarded/fixed.png`, {
      referer: NEWS_REFERER,
      articleUrl: 'https://elsewhere.example/a',
    });
    expect(image).not.toBeNull();
    expect(referers.get('/guarded/fixed.png')).toBe(NEWS_REFERER);
  });

  it('sends no Referer for an origin setting when the article URL is not http(s)', async () => {
    const image = await imageMirror().mirror(`${base}/open/local-article.png`, { referer: 'origin', articleUrl: 'file:///feeds/a.xml' });
    expect(image).not.toBeNull();
    expect(hits.get('/open/local-article.png')).toBe(1);
    expect(referers.get('/open/local-article.png')).toBeUndefined();
  });
});

describe('ImageMirror validation', () => {
  it.each([
    ['an SVG', '/svg', /\/svg is an SVG, which is not mirrored/],
    ['an HTML page', '/html', /\/html is text\/html, not an image/],
    ['HTML served as image/jpeg', '/lying.jpg', /\/lying\.jpg is not an image/],
    ['an image over the limit', '/big.png', /\/big\.png is larger than images\.maxBytes \(1000 bytes\)/],
    ['a missing image', '/missing.png', /HTTP 404 Not Found from .*\/missing\.png/],
  ])('keeps the remote URL for %s and says why', async (_name, path, message) => {
    const cache = new MemoryCache();
    const mirror = imageMirror(cache);
    expect(await mirror.mirror(base + path, fromNews('none'))).toBeNull();
    expect(mirror.failures.count).toBe(1);
    expect(mirror.failures.last).toContain(base + path);
    expect(mirror.failures.last).toMatch(message);
    expect(cache.files.size).toBe(0);
    expect(readdirSync(imagesDir)).toEqual([]);
  });

  it('takes the extension from the bytes, not from the URL', async () => {
    const image = await imageMirror().mirror(`${base}/untyped/photo.png`, fromNews('none'));
    expect(image?.file).toMatch(/\.gif$/);
    expect(readFileSync(join(imagesDir, image!.file))).toEqual(Buffer.from(GIF_1X1));
  });

  it.each(['data:image/png;base64,iVBORw0KGgo=', 'ftp://127.0.0.1/a.png', 'javascript:alert(1)', '/relative.png'])(
    'asks nothing for %s',
    async (url) => {
      const requestsBefore = [...hits.values()].reduce((sum, count) => sum + count, 0);
      const mirror = imageMirror();
      expect(await mirror.mirror(url, fromNews('none'))).toBeNull();
      expect([...hits.values()].reduce((sum, count) => sum + count, 0)).toBe(requestsBefore);
      expect(mirror.failures.count).toBe(0);
    },
  );

  it('does not retry a failed URL within one run', async () => {
    const mirror = imageMirror();
    const url = `${base}/missing.png?once`;
    expect(await mirror.mirror(url, fromNews('none'))).toBeNull();
    expect(await mirror.mirror(url, fromNews('none'))).toBeNull();
    expect(hits.get('/missing.png?once')).toBe(1);
    expect(mirror.failures.count).toBe(1);
  });

  it('never rejects, even when the cache throws', async () => {
    const cache: ImageCache = {
      fileFor: () => undefined,
      remember: () => {
        throw new Error('database is locked');
      },
    };
    const mirror = imageMirror(cache);
    const url = `${base}/open/cache-broken.png`;
    await expect(mirror.mirror(url, fromNews('none'))).resolves.toBeNull();
    expect(mirror.failures.last).toBe(`cannot mirror ${url}: database is locked`);
  });
});

describe('ImageMirror cache', () => {
  it('answers from the cache in a later run without a request', async () => {
    const cache = new MemoryCache();
    const url = `${base}/open/cached.png`;
    const first = await imageMirror(cache).mirror(url, fromNews('none'));
    const second = await imageMirror(cache).mirror(url, fromNews('none'));
    expect(second).toEqual(first);
    expect(hits.get('/open/cached.png')).toBe(1);
  });

  it('downloads again when the remembered file is gone', async () => {
    const cache = new MemoryCache();
    const url = `${base}/open/deleted.png`;
    const first = await imageMirror(cache).mirror(url, fromNews('none'));
    rmSync(join(imagesDir, first!.file));
    const second = await imageMirror(cache).mirror(url, fromNews('none'));
    expect(second).toEqual(first);
    expect(hits.get('/open/deleted.png')).toBe(2);
    expect(existsSync(join(imagesDir, first!.file))).toBe(true);
  });

  it('downloads again when the remembered file is not a stored-image name', async () => {
    const cache = new MemoryCache();
    const url = `${base}/open/tampered.png`;
    cache.remember(url, '../../newsstand.yml');
    const image = await imageMirror(cache).mirror(url, fromNews('none'));
    expect(image?.file).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{20}\.png$/);
    expect(hits.get('/open/tampered.png')).toBe(1);
    expect(cache.files.get(url)).toBe(image!.file);
  });

  it('stores the same bytes from two URLs as one file, remembered for both', async () => {
    const cache = new MemoryCache();
    const mirror = imageMirror(cache);
    const a = await mirror.mirror(`${base}/open/same-a.png`, fromNews('none'));
    const b = await mirror.mirror(`${base}/open/same-b.png`, fromNews('none'));
    expect(a).not.toBeNull();
    expect(b).toEqual(a);
    expect(cache.files.get(`${base}/open/same-a.png`)).toBe(a!.file);
    expect(cache.files.get(`${base}/open/same-b.png`)).toBe(a!.file);
    expect(readdirSync(join(imagesDir, a!.file.slice(0, 2)))).toEqual([a!.file.slice(3)]);
  });

  it('asks once for a URL requested concurrently', async () => {
    const mirror = imageMirror();
    const url = `${base}/open/concurrent.png`;
    const images = await Promise.all(Array.from({ length: 5 }, () => mirror.mirror(url, fromNews('none'))));
    expect(images[0]).not.toBeNull();
    expect(images.every((image) => image === images[0])).toBe(true);
    expect(hits.get('/open/concurrent.png')).toBe(1);
  });
});
