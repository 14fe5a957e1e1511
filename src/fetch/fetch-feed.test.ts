import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../errors.js';
import { fetchFeed } from './fetch-feed.js';

const limits = { timeoutMs: 2_000, maxBytes: 1_000, userAgent: 'newsstand-test' };

describe('fetchFeed over HTTP (loopback)', () => {
  let server: Server;
  let base: string;
  const seenAgents: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seenAgents.push(String(request.headers['user-agent']));
      switch (request.url) {
        case '/feed.xml':
          response.writeHead(200, { 'content-type': 'application/rss+xml; charset=gbk' }).end('<rss/>');
          break;
        case '/redirect':
          response.writeHead(301, { location: '/feed.xml' }).end();
          break;
        case '/big-declared':
          response.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
          break;
        case '/big-streamed':
          // No Content-Length: the limit must hold while reading.
          response.writeHead(200);
          for (let i = 0; i < 50; i++) response.write('y'.repeat(100));
          response.end();
          break;
        case '/silent':
          break; // never answers
        default:
          response.writeHead(404).end('no');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('returns the bytes, the content type and the final URL, and sends the User-Agent', async () => {
    const fetched = await fetchFeed(`${base}/redirect`, limits);
    expect(Buffer.from(fetched.bytes).toString()).toBe('<rss/>');
    expect(fetched.contentType).toBe('application/rss+xml; charset=gbk');
    expect(fetched.url).toBe(`${base}/feed.xml`);
    expect(seenAgents).toContain('newsstand-test');
  });

  it('fails with an HTTP error naming the status and URL', async () => {
    const error = await fetchFeed(`${base}/missing`, limits).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).kind).toBe('http');
    expect((error as FetchError).message).toContain(`HTTP 404 Not Found from ${base}/missing`);
  });

  it('enforces maxBytes from Content-Length and while streaming', async () => {
    for (const path of ['/big-declared', '/big-streamed']) {
      const error = await fetchFeed(`${base}${path}`, limits).catch((e: unknown) => e);
      expect((error as FetchError).kind, path).toBe('too-large');
      expect((error as FetchError).message).toContain('fetch.maxBytes');
    }
  });

  it('times out on a server that never answers', async () => {
    const started = Date.now();
    const error = await fetchFeed(`${base}/silent`, { ...limits, timeoutMs: 300 }).catch((e: unknown) => e);
    expect((error as FetchError).kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('names a refused connection', async () => {
    const error = await fetchFeed('http://127.0.0.1:9/feed.xml', limits).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect(['connect', 'network']).toContain((error as FetchError).kind);
  });
});

describe('fetchFeed from files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsstand-fetch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file, and refuses a missing or oversized one', async () => {
    writeFileSync(join(dir, 'small.xml'), '<rss/>');
    writeFileSync(join(dir, 'large.xml'), 'z'.repeat(2_000));
    expect(Buffer.from((await fetchFeed(join(dir, 'small.xml'), limits)).bytes).toString()).toBe('<rss/>');
    const missing = await fetchFeed(join(dir, 'nope.xml'), limits).catch((e: unknown) => e);
    expect((missing as FetchError).kind).toBe('file');
    expect((missing as FetchError).message).toContain('nope.xml');
    const large = await fetchFeed(join(dir, 'large.xml'), limits).catch((e: unknown) => e);
    expect((large as FetchError).kind).toBe('too-large');
  });
});
