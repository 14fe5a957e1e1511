import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSite, rss, runCli, type TestSite } from './helpers/site.js';

/** A minimal forward proxy for plain HTTP: records what it was asked for and relays it. */
function startProxy(seen: string[]): Promise<Server> {
  const proxy = createServer((incoming, outgoing) => {
    seen.push(incoming.url ?? '');
    const target = new URL(incoming.url ?? '');
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: incoming.method,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy)));
}

describe('HTTP_PROXY and NO_PROXY', () => {
  let origin: Server;
  let proxy: Server;
  const seen: string[] = [];
  let feedUrl = '';
  let proxyUrl = '';
  const sites: TestSite[] = [];

  beforeAll(async () => {
    origin = createServer((_request, response) =>
      response.end(rss([{ title: '经代理', link: 'https://p.example/1', pubDate: new Date().toUTCString() }])),
    );
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    feedUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/feed.xml`;
    proxy = await startProxy(seen);
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    origin.close();
    proxy.close();
    for (const site of sites) site.remove();
  });

  function site(): TestSite {
    const created = makeSite({ sources: [{ url: feedUrl, name: 'P', categories: ['新闻'] }] });
    sites.push(created);
    return created;
  }

  it('sends requests through HTTP_PROXY', async () => {
    const s = site();
    const result = await runCli(['sync', '--config', s.configFile], { env: { HTTP_PROXY: proxyUrl, NO_PROXY: '' } });
    expect(result.code).toBe(0);
    expect(seen).toContain(feedUrl);
    expect(Object.keys(s.posts())).toHaveLength(1);
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const s = site();
    const before = seen.length;
    const result = await runCli(['sync', '--config', s.configFile], { env: { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' } });
    expect(result.code).toBe(0);
    expect(seen.length).toBe(before);
    expect(Object.keys(s.posts())).toHaveLength(1);
  });
});
