import { gzipSync, brotliCompressSync } from 'node:zlib';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../errors.js';
import { HttpClient, type HttpClientOptions } from './http-client.js';

const FEED = '<rss version="2.0"><channel><title>t</title></channel></rss>';
const BOMB = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));

type Route = (request: IncomingMessage, response: ServerResponse, hit: number) => void;

const routes: Record<string, Route> = {
  '/feed': (_q, r) => r.writeHead(200, { 'content-type': 'application/rss+xml; charset=gbk', 'cache-control': 'max-age=600' }).end(FEED),
  '/etag': (q, r) => (q.headers['if-none-match'] === '"v1"' ? r.writeHead(304).end() : r.writeHead(200, { etag: '"v1"' }).end(FEED)),
  // As RSSHub answers: its compression weakens the ETag, but If-None-Match is compared with the strong one.
  '/weak-etag': (q, r) =>
    (q.headers['if-none-match'] ?? '').split(/\s*,\s*/).includes('"v2"')
      ? r.writeHead(304).end()
      : r.writeHead(200, { etag: 'W/"v2"' }).end(FEED),
  '/signed': (q, r) => (new URL(q.url!, 'http://x').searchParams.get('code') === 'new' ? r.end(FEED) : r.writeHead(403).end()),
  '/moves-unsigned': (_q, r) => r.writeHead(302, { location: '/signed?code=old' }).end(),
  '/modified': (q, r) =>
    q.headers['if-modified-since'] === 'Sat, 08 Jan 2022 12:00:00 GMT'
      ? r.writeHead(304).end()
      : r.writeHead(200, { 'last-modified': 'Sat, 08 Jan 2022 12:00:00 GMT' }).end(FEED),
  '/gzip': (_q, r) => r.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(FEED)),
  '/br': (_q, r) => r.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync(FEED)),
  '/moved': (_q, r) => r.writeHead(301, { location: '/moved-2' }).end(),
  '/moved-2': (_q, r) => r.writeHead(308, { location: '/feed' }).end(),
  '/temporary': (_q, r) => r.writeHead(302, { location: '/feed' }).end(),
  '/mixed': (_q, r) => r.writeHead(301, { location: '/temporary' }).end(),
  '/loop-a': (_q, r) => r.writeHead(302, { location: '/loop-b' }).end(),
  '/loop-b': (_q, r) => r.writeHead(302, { location: '/loop-a' }).end(),
  '/chain-0': (_q, r) => r.writeHead(302, { location: '/chain-1' }).end(),
  ...Object.fromEntries(
    Array.from({ length: 7 }, (_, i) => [`/chain-${i + 1}`, ((_q, r) => r.writeHead(302, { location: `/chain-${i + 2}` }).end()) as Route]),
  ),
  '/flaky': (_q, r, hit) => (hit === 1 ? r.writeHead(500).end('oops') : r.end(FEED)),
  '/always-500': (_q, r) => r.writeHead(500).end('oops'),
  '/missing': (_q, r) => r.writeHead(404).end(),
  '/gone': (_q, r) => r.writeHead(410).end(),
  '/busy': (_q, r, hit) => (hit === 1 ? r.writeHead(429, { 'retry-after': '1' }).end() : r.end(FEED)),
  '/busy-long': (_q, r) => r.writeHead(503, { 'retry-after': '3600' }).end(),
  '/silent': () => undefined,
  '/drip': (_q, r) => {
    r.writeHead(200);
    const timer = setInterval(() => r.write(' '), 100);
    r.on('close', () => clearInterval(timer));
  },
  '/reset': (q, r) => {
    r.writeHead(200, { 'content-length': '1000' });
    r.write('<rss>');
    setTimeout(() => q.socket.destroy(), 20);
  },
  '/big': (_q, r) => {
    r.writeHead(200);
    for (let i = 0; i < 30; i++) r.write('y'.repeat(100));
    r.end();
  },
  '/bomb': (_q, r) => r.writeHead(200, { 'content-encoding': 'gzip' }).end(BOMB),
};

let server: Server;
let base: string;
const hits = new Map<string, number>();
const seen = new Map<string, IncomingMessage['headers']>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    seen.set(path, request.headers);
    (routes[path] ?? ((_q, r) => r.writeHead(404).end()))(request, response, hit);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function client(overrides: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({
    timeoutMs: 2_000,
    connectTimeoutMs: 1_000,
    maxBytes: 2_000,
    userAgent: 'newsstand-test',
    retries: 2,
    concurrency: 4,
    perHost: 2,
    retryBaseMs: 20,
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

describe('HttpClient', () => {
  it('returns the body, content type, final URL and max-age, sending the User-Agent and extra headers', async () => {
    const http = client();
    const response = await http.get(`${base}/feed`, { headers: { 'X-Test': 'yes', Cookie: 'a=b' } });
    expect(Buffer.from(response.bytes).toString()).toBe(FEED);
    expect(response).toMatchObject({
      status: 200,
      notModified: false,
      contentType: 'application/rss+xml; charset=gbk',
      url: `${base}/feed`,
      permanentUrl: null,
      maxAgeMs: 600_000,
    });
    expect(seen.get('/feed')).toMatchObject({ 'user-agent': 'newsstand-test', 'x-test': 'yes', cookie: 'a=b' });
    await http.close();
  });

  it('does a conditional GET with ETag and with Last-Modified, and reports 304 without a body', async () => {
    const http = client();
    const first = await http.get(`${base}/etag`);
    expect(first.validators.etag).toBe('"v1"');
    const second = await http.get(`${base}/etag`, { validators: first.validators });
    expect(second).toMatchObject({ notModified: true, status: 304 });
    expect(second.bytes.byteLength).toBe(0);
    const modified = await http.get(`${base}/modified`);
    expect((await http.get(`${base}/modified`, { validators: modified.validators })).notModified).toBe(true);
    await http.close();
  });

  it('sends a weak ETag together with its strong form, so that a server comparing strictly answers 304', async () => {
    const http = client();
    const first = await http.get(`${base}/weak-etag`);
    expect(first.validators.etag).toBe('W/"v2"');
    expect(await http.get(`${base}/weak-etag`, { validators: first.validators })).toMatchObject({ notModified: true, status: 304 });
    expect(seen.get('/weak-etag')!['if-none-match']).toBe('W/"v2", "v2"');
    await http.close();
  });

  it('lets the caller rewrite a redirect target before it is followed', async () => {
    const http = client();
    expect(await failure(http.get(`${base}/moves-unsigned`))).toMatchObject({ status: 403 });
    const targets: string[] = [];
    const redirectTo = (target: string) => (targets.push(target), target.replace('code=old', 'code=new'));
    expect(await http.get(`${base}/moves-unsigned`, { redirectTo })).toMatchObject({ status: 200, url: `${base}/signed?code=new` });
    expect(targets).toEqual([`${base}/signed?code=old`]);
    await http.close();
  });

  it('decompresses gzip and br', async () => {
    const http = client();
    for (const path of ['/gzip', '/br']) expect(Buffer.from((await http.get(`${base}${path}`)).bytes).toString()).toBe(FEED);
    expect(seen.get('/br')!['accept-encoding']).toContain('br');
    await http.close();
  });

  it('remembers a chain of permanent redirects, but not one with a temporary hop', async () => {
    const http = client();
    expect(await http.get(`${base}/moved`)).toMatchObject({ url: `${base}/feed`, permanentUrl: `${base}/feed` });
    expect(await http.get(`${base}/temporary`)).toMatchObject({ url: `${base}/feed`, permanentUrl: null });
    expect(await http.get(`${base}/mixed`)).toMatchObject({ url: `${base}/feed`, permanentUrl: null });
    await http.close();
  });

  it('stops redirect loops and chains longer than 5', async () => {
    const http = client();
    expect((await failure(http.get(`${base}/loop-a`))).message).toContain('redirect loop');
    const long = await failure(http.get(`${base}/chain-0`));
    expect(long.kind).toBe('redirect');
    expect(long.message).toContain('more than 5 redirects');
    await http.close();
  });

  it('retries a 500 and succeeds; gives up on a server that keeps failing', async () => {
    const http = client();
    expect(Buffer.from((await http.get(`${base}/flaky`)).bytes).toString()).toBe(FEED);
    expect(hits.get('/flaky')).toBe(2);
    const error = await failure(http.get(`${base}/always-500`));
    expect(error).toMatchObject({ kind: 'http-5xx', status: 500 });
    expect(hits.get('/always-500')).toBe(3);
    await http.close();
  });

  it('does not retry 404 and 410; 410 means gone', async () => {
    const http = client();
    expect(await failure(http.get(`${base}/missing`))).toMatchObject({ kind: 'http-4xx', status: 404 });
    expect(hits.get('/missing')).toBe(1);
    expect(await failure(http.get(`${base}/gone`))).toMatchObject({ kind: 'gone', status: 410 });
    expect(hits.get('/gone')).toBe(1);
    await http.close();
  });

  it('waits out a short Retry-After; fails at once on a long one, keeping how long to wait', async () => {
    const http = client();
    const started = Date.now();
    expect((await http.get(`${base}/busy`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const error = await failure(http.get(`${base}/busy-long`));
    expect(error).toMatchObject({ kind: 'http-5xx', status: 503, retryAfterMs: 3_600_000 });
    expect(hits.get('/busy-long')).toBe(1);
    await http.close();
  });

  it('times out on silence and on a body that drips past the total timeout', async () => {
    const http = client({ timeoutMs: 400, retries: 0 });
    for (const path of ['/silent', '/drip']) {
      const started = Date.now();
      expect((await failure(http.get(`${base}${path}`))).kind, path).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(3_000);
    }
    await http.close();
  });

  it('reports a connection reset mid-body as a network error, after retrying', async () => {
    const http = client();
    expect((await failure(http.get(`${base}/reset`))).kind).toBe('network');
    expect(hits.get('/reset')).toBe(3);
    await http.close();
  });

  it('stops at maxBytes while streaming, also on the decompressed bytes of a gzip bomb', async () => {
    const http = client();
    expect((await failure(http.get(`${base}/big`))).kind).toBe('too-large');
    const bomb = await failure(http.get(`${base}/bomb`));
    expect(bomb.kind).toBe('too-large');
    expect(bomb.message).toContain('fetch.maxBytes');
    await http.close();
  });

  it('refuses private addresses for publicOnly requests — written as one, by name, or as IPv4-in-IPv6 — before connecting', async () => {
    const http = client({ retries: 2 });
    const port = new URL(base).port;
    const before = hits.get('/feed') ?? 0;
    for (const [url, reason] of [
      [`${base}/feed`, '127.0.0.1 is a private network address'],
      [`http://localhost:${port}/feed`, 'localhost resolves to the private network address'],
      [`http://[::ffff:127.0.0.1]:${port}/feed`, 'is a private network address'],
    ] as const) {
      const error = await failure(http.get(url, { publicOnly: true }));
      expect(error.kind).toBe('blocked');
      expect(error.message).toContain(`refused ${url}`);
      expect(error.message).toContain(reason);
      expect(error.message).toContain('fetch.allowPrivateNetworks');
    }
    expect(hits.get('/feed') ?? 0).toBe(before);
    // The same client still reaches them for requests that are not publicOnly (the user's own feeds).
    expect((await http.get(`${base}/feed`)).status).toBe(200);
    await http.close();
  });

  it('names a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const http = client({ retries: 0 });
    const error = await failure(http.get(`http://127.0.0.1:${port}/feed`));
    expect(error.kind).toBe('connect');
    expect(error.message).toContain('connection refused');
    await http.close();
  });
});
