import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ETAG, GBK_TITLES, itemLinks, startFaultServer, type FaultServer } from './fault-server.js';

/** Raw bytes and headers, no decoding and no Accept-Encoding unless given. */
function raw(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const manual = (url: string, init: RequestInit = {}) => fetch(url, { redirect: 'manual', ...init });

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

describe('fault server', () => {
  it('answers 304 to a matching If-None-Match and to a recent enough If-Modified-Since', async () => {
    const first = await manual(server.url('/etag'));
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe(ETAG);
    expect(await first.text()).toContain(itemLinks('etag')[0]);
    expect((await manual(server.url('/etag'), { headers: { 'if-none-match': ETAG } })).status).toBe(304);
    expect((await manual(server.url('/etag'), { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    expect(server.hits('/etag')).toBe(3);
    expect(server.requests('/etag')[1]!.headers['if-none-match']).toBe(ETAG);

    const lm = await manual(server.url('/last-modified'));
    const stamp = lm.headers.get('last-modified')!;
    expect(Date.parse(stamp)).toBeLessThan(Date.now());
    expect((await manual(server.url('/last-modified'), { headers: { 'if-modified-since': stamp } })).status).toBe(304);
    const older = new Date(Date.parse(stamp) - 1000).toUTCString();
    expect((await manual(server.url('/last-modified'), { headers: { 'if-modified-since': older } })).status).toBe(200);
  });

  it('compresses only when Accept-Encoding allows it', async () => {
    const gz = await raw(server.url('/gzip'), { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toContain(itemLinks('gzip')[1]);
    expect((await raw(server.url('/gzip'))).headers['content-encoding']).toBeUndefined();
    const br = await raw(server.url('/br'), { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect((await raw(server.url('/br'), { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBeUndefined();
    expect(await (await fetch(server.url('/gzip'))).text()).toContain('<rss');
  });

  it('redirects with the intended status codes', async () => {
    const hop = async (path: string) => {
      const response = await manual(server.url(path));
      return [response.status, response.headers.get('location')];
    };
    expect(await hop('/chain/1')).toEqual([301, server.url('/chain/2')]);
    expect(await hop('/chain/2')).toEqual([308, '/chain/final']);
    expect((await manual(server.url('/chain/final'))).status).toBe(200);
    expect(await hop('/temp')).toEqual([302, server.url('/temp-target')]);
    expect(await hop('/loop/a')).toEqual([302, server.url('/loop/b')]);
    expect(await hop('/loop/b')).toEqual([302, server.url('/loop/a')]);
    for (let n = 0; n < 9; n++) expect(await hop(`/many/${n}`)).toEqual([301, server.url(`/many/${n + 1}`)]);
    expect((await manual(server.url('/many/9'))).status).toBe(200);
    const followed = await fetch(server.url('/chain/1'));
    expect(followed.url).toBe(server.url('/chain/final'));
    expect(await followed.text()).toContain(itemLinks('chain')[0]);
  });

  it('answers 404, 410, flaky 500 then 200, 429/503 with Retry-After', async () => {
    expect((await manual(server.url('/missing'))).status).toBe(404);
    expect((await manual(server.url('/gone'))).status).toBe(410);
    expect((await manual(server.url('/flaky'))).status).toBe(500);
    expect((await manual(server.url('/flaky'))).status).toBe(200);
    expect((await manual(server.url('/broken'))).status).toBe(500);
    expect((await manual(server.url('/broken'))).status).toBe(500);
    const busy = await manual(server.url('/busy'));
    expect([busy.status, busy.headers.get('retry-after')]).toEqual([429, '1']);
    expect((await manual(server.url('/busy'))).status).toBe(200);
    const long = await manual(server.url('/busy-long'));
    expect([long.status, long.headers.get('retry-after')]).toEqual([503, '3600']);
    expect((await manual(server.url('/busy-long'))).status).toBe(503);
  });

  it('serves bombs that are small on the wire and huge inflated, and a 3 MB chunked body', async () => {
    const bomb = await raw(server.url('/bomb'));
    expect(bomb.headers['content-encoding']).toBe('gzip');
    expect(bomb.body.length).toBeLessThan(100_000);
    expect(Number(bomb.headers['content-length'])).toBe(bomb.body.length);
    const inflated = gunzipSync(bomb.body);
    expect(inflated.length).toBeGreaterThanOrEqual(50e6);
    expect(inflated.subarray(0, 300).toString()).toContain('<rss');

    const brBomb = await raw(server.url('/br-bomb'));
    expect(brBomb.headers['content-encoding']).toBe('br');
    expect(brBomb.body.length).toBeLessThan(10_000);

    const huge = await raw(server.url('/huge'));
    expect(huge.headers['content-length']).toBeUndefined();
    expect(huge.headers['transfer-encoding']).toBe('chunked');
    expect(huge.body.length).toBeGreaterThan(3 * 1024 * 1024);
  });

  it('serves GBK bytes under a charset=utf-8 header', async () => {
    const response = await raw(server.url('/gbk-lying'));
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(response.body.subarray(0, 40).toString('latin1')).toContain('encoding="gbk"');
    expect(response.body.toString('utf8')).not.toContain(GBK_TITLES[0]); // not UTF-8
    const text = new TextDecoder('gbk').decode(response.body);
    for (const title of GBK_TITLES) expect(text).toContain(title);
    expect(text).toContain(itemLinks('gbk-lying')[0]);
    expect(text).not.toContain('@@DATE');
  });

  it('serves an HTML page that names its feed, and one that does not', async () => {
    const page = await (await fetch(server.url('/page'))).text();
    expect(page).toMatch(/<link rel="alternate" type="application\/rss\+xml"[^>]*href="\/discovered.xml"/);
    expect(await (await fetch(server.url('/discovered.xml'))).text()).toContain(itemLinks('page')[0]);
    const noFeed = await fetch(server.url('/page-no-feed'));
    expect(noFeed.headers.get('content-type')).toContain('text/html');
    expect(await noFeed.text()).not.toContain('alternate');
    expect(await (await fetch(server.url('/ok-a'))).text()).toContain(itemLinks('ok-a')[1]);
    expect(await (await fetch(server.url('/ok-b'))).text()).toContain(itemLinks('ok-b')[1]);
  });

  it('drips, resets mid-body, and stays silent', async () => {
    const drip = await fetch(server.url('/drip'));
    expect(drip.status).toBe(200);
    const reader = drip.body!.getReader();
    const started = Date.now();
    let received = 0;
    while (Date.now() - started < 1000) received += (await reader.read()).value?.length ?? 0;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(10);
    await reader.cancel();

    const reset = await fetch(server.url('/reset'));
    expect(reset.status).toBe(200);
    await expect(reset.text()).rejects.toThrow();

    await expect(fetch(server.url('/silent'), { signal: AbortSignal.timeout(500) })).rejects.toThrow();
    expect(server.hits('/silent')).toBe(1);
  });

  it('records request headers, and close() ends even with a silent request open', async () => {
    const own = await startFaultServer();
    await fetch(own.url('/ok-a'), { headers: { 'user-agent': 'probe/1', 'x-test': 'yes' } });
    expect(own.requests('/ok-a')[0]!.headers).toMatchObject({ 'user-agent': 'probe/1', 'x-test': 'yes' });
    expect(own.allHits()).toEqual({ '/ok-a': 1 });
    const pending = fetch(own.url('/silent')).catch((error: unknown) => error);
    const drip = fetch(own.url('/drip'))
      .then((response) => response.text())
      .catch((error: unknown) => error);
    while (own.hits('/silent') === 0 || own.hits('/drip') === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const closing = Date.now();
    await own.close();
    expect(Date.now() - closing).toBeLessThan(2000);
    expect(await pending).toBeInstanceOf(Error);
    expect(await drip).toBeInstanceOf(Error);
  });
});
