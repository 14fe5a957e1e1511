/**
 * A loopback HTTP server that misbehaves on purpose, one behaviour per path, for the fetching tests
 * (docs/fetching-contract.md). Every route that ends in a feed serves a small RSS 2.0 document whose two
 * items have links unique to that route: `https://faults.example/<feed>/<n>` (see {@link FEED_OF}).
 *
 * Routes:
 *   /etag, /last-modified           200 with a validator; 304 when the request carries it back
 *   /gzip, /br                      compressed when Accept-Encoding allows it
 *   /chain/1 →301→ /chain/2 →308→ /chain/final (feed)
 *   /temp →302→ /temp-target (feed)
 *   /loop/a ↔ /loop/b               302 for ever
 *   /many/0 →301→ … → /many/9 (feed after 9 hops)
 *   /missing 404, /gone 410, /flaky 500 once then 200, /broken 500 always
 *   /busy 429 Retry-After: 1 once then 200, /busy-long 503 Retry-After: 3600 always
 *   /silent                         never answers
 *   /drip                           200 headers, then one byte every 300 ms for 20 s
 *   /reset                          200 headers and half the body, then the socket is destroyed
 *   /huge                           3 MB valid feed, chunked (no Content-Length)
 *   /bomb                           gzip (always): ~48 KB on the wire, 50 MB inflated
 *   /br-bomb                        br (always): ~100 B on the wire, 50 MB inflated
 *   /gbk-lying                      GBK bytes, `encoding="gbk"` declaration, header says charset=utf-8
 *   /page → <link rel=alternate> → /discovered.xml (feed); /page-no-feed is HTML without such a link
 *   /ok-a, /ok-b                    healthy controls
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

export interface RecordedRequest {
  headers: IncomingHttpHeaders;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface FaultServer {
  /** Base URL, e.g. http://127.0.0.1:4321 */
  base: string;
  url(path: string): string;
  /** Requests seen for this exact path (query ignored). */
  hits(path: string): number;
  requests(path: string): RecordedRequest[];
  /** Every path requested so far with its count. */
  allHits(): Record<string, number>;
  close(): Promise<void>;
}

/** The feed slug (first path segment of its item links) each feed-serving path answers with. */
export const FEED_OF: Record<string, string> = {
  '/etag': 'etag',
  '/last-modified': 'last-modified',
  '/gzip': 'gzip',
  '/br': 'br',
  '/chain/final': 'chain',
  '/temp-target': 'temp',
  '/many/9': 'many',
  '/flaky': 'flaky',
  '/busy': 'busy',
  '/drip': 'drip',
  '/reset': 'reset',
  '/huge': 'huge',
  '/bomb': 'bomb',
  '/br-bomb': 'br-bomb',
  '/gbk-lying': 'gbk-lying',
  '/discovered.xml': 'page',
  '/ok-a': 'ok-a',
  '/ok-b': 'ok-b',
};

/** The item links a feed slug carries. */
export function itemLinks(slug: string): string[] {
  return [1, 2].map((n) => `https://faults.example/${slug}/${n}`);
}

export const ETAG = '"newsstand-fault-v1"';
const RSS_TYPE = 'application/rss+xml; charset=utf-8';

/**
 * GBK bytes of an RSS 2.0 document with `<?xml version="1.0" encoding="gbk"?>`: channel 中文新闻频道, items
 * 第一条：北京下雪了 and 第二条：上海的早晨 (generated once with `iconv -f utf-8 -t gbk`). `@@DATE1@@` and
 * `@@DATE2@@` are ASCII placeholders for the pubDates.
 */
const GBK_FEED_HEX =
  '3c3f786d6c2076657273696f6e3d22312e302220656e636f64696e673d2267626b223f3e0a3c7273732076657273696f6e3d' +
  '22322e30223e0a3c6368616e6e656c3e0a3c7469746c653ed6d0cec4d0c2cec5c6b5b5c03c2f7469746c653e0a3c6c696e6b' +
  '3e68747470733a2f2f6661756c74732e6578616d706c652f67626b2d6c79696e672f3c2f6c696e6b3e0a3c64657363726970' +
  '74696f6e3eb1e0c2ebb2e2cad43c2f6465736372697074696f6e3e0a3c6974656d3e0a3c7469746c653eb5dad2bbccf5a3ba' +
  'b1b1bea9cfc2d1a9c1cb3c2f7469746c653e0a3c6c696e6b3e68747470733a2f2f6661756c74732e6578616d706c652f6762' +
  '6b2d6c79696e672f313c2f6c696e6b3e0a3c677569642069735065726d614c696e6b3d2266616c7365223e67626b2d6c7969' +
  '6e672d313c2f677569643e0a3c707562446174653e4040444154453140403c2f707562446174653e0a3c6465736372697074' +
  '696f6e3ed5fdcec4d2bba3babdf1ccecb1b1bea9cfc2d1a9c1cba1a33c2f6465736372697074696f6e3e0a3c2f6974656d3e' +
  '0a3c6974656d3e0a3c7469746c653eb5dab6feccf5a3bac9cfbaa3b5c4d4e7b3bf3c2f7469746c653e0a3c6c696e6b3e6874' +
  '7470733a2f2f6661756c74732e6578616d706c652f67626b2d6c79696e672f323c2f6c696e6b3e0a3c677569642069735065' +
  '726d614c696e6b3d2266616c7365223e67626b2d6c79696e672d323c2f677569643e0a3c707562446174653e404044415445' +
  '3240403c2f707562446174653e0a3c6465736372697074696f6e3ed5fdcec4b6fea3bac9cfbaa3b5c4d4e7b3bfbadcb0b2be' +
  'b2a1a33c2f6465736372697074696f6e3e0a3c2f6974656d3e0a3c2f6368616e6e656c3e0a3c2f7273733e0a';

/** The titles inside {@link GBK_FEED_HEX}, for assertions. */
export const GBK_TITLES = ['第一条：北京下雪了', '第二条：上海的早晨'];

const DRIP_EVERY_MS = 300;
const DRIP_FOR_MS = 20_000;
const BOMB_INFLATED = 50e6;

function feedXml(slug: string, dates: string[], padding = ''): string {
  const items = itemLinks(slug)
    .map(
      (link, i) => `<item>
<title>${slug} item ${i + 1}</title>
<link>${link}</link>
<guid isPermaLink="false">${slug}-${i + 1}</guid>
<pubDate>${dates[i]}</pubDate>
<description><![CDATA[<p>Body of ${slug} item ${i + 1}.</p>]]></description>
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>Fault feed ${slug}</title>
<link>https://faults.example/${slug}/</link>
<description>newsstand fault-injection feed</description>
${items}
</channel>
</rss>
${padding}`;
}

function html(head: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>A page</title>
${head}
</head>
<body><h1>A page</h1><p>Not a feed.</p></body>
</html>
`;
}

export async function startFaultServer(): Promise<FaultServer> {
  const started = Date.now();
  // Items dated a few hours ago: well inside any retention, stable for the server's lifetime.
  const dates = [1, 2].map((n) => new Date(Math.floor(started / 1000) * 1000 - n * 3_600_000).toUTCString());
  const lastModified = new Date(Math.floor(started / 1000) * 1000 - 86_400_000).toUTCString();

  const feeds = new Map<string, Buffer>();
  for (const [path, slug] of Object.entries(FEED_OF)) feeds.set(path, Buffer.from(feedXml(slug, dates)));
  const huge = Buffer.from(feedXml('huge', dates, `<!-- ${'x'.repeat(3 * 1024 * 1024)} -->\n`));
  // Whitespace after the root element is still well-formed XML: inflated, the bombs are valid feeds.
  const bombPlain = Buffer.concat([feeds.get('/bomb')!, Buffer.alloc(BOMB_INFLATED, 0x20)]);
  const bomb = gzipSync(bombPlain, { level: 9 });
  const brBombPlain = Buffer.concat([feeds.get('/br-bomb')!, Buffer.alloc(BOMB_INFLATED, 0x20)]);
  const brBomb = brotliCompressSync(brBombPlain, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } });
  if (bomb.length > 100_000 || brBomb.length > 100_000) throw new Error(`bombs too big on the wire: ${bomb.length}, ${brBomb.length}`);
  const gbk = Buffer.from(
    Buffer.from(GBK_FEED_HEX, 'hex').toString('latin1').replace('@@DATE1@@', dates[0]!).replace('@@DATE2@@', dates[1]!),
    'latin1',
  );
  const page = Buffer.from(html('<link rel="alternate" type="application/rss+xml" title="Feed" href="/discovered.xml">'));
  const pageNoFeed = Buffer.from(html('<link rel="stylesheet" href="/style.css">'));

  const seen = new Map<string, RecordedRequest[]>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let base = '';

  const send = (response: ServerResponse, status: number, body: Buffer | string, headers: Record<string, string | number> = {}) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    response.writeHead(status, { 'content-length': bytes.length, ...headers });
    response.end(bytes);
  };
  const redirect = (response: ServerResponse, status: number, location: string) =>
    send(response, status, `moved to ${location}`, { location, 'content-type': 'text/plain' });
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const list = seen.get(path) ?? [];
    list.push({ headers: request.headers, at: Date.now() });
    seen.set(path, list);
    const count = list.length;
    const accepts = (coding: string) =>
      String(request.headers['accept-encoding'] ?? '')
        .toLowerCase()
        .split(',')
        .some((part) => part.trim().split(';')[0] === coding);
    response.on('error', () => undefined);

    switch (path) {
      case '/etag':
        if (request.headers['if-none-match'] === ETAG) return send(response, 304, '', { etag: ETAG });
        return send(response, 200, feeds.get(path)!, { 'content-type': RSS_TYPE, etag: ETAG });
      case '/last-modified': {
        const since = Date.parse(String(request.headers['if-modified-since'] ?? ''));
        if (!Number.isNaN(since) && since >= Date.parse(lastModified)) return send(response, 304, '', { 'last-modified': lastModified });
        return send(response, 200, feeds.get(path)!, { 'content-type': RSS_TYPE, 'last-modified': lastModified });
      }
      case '/gzip':
        if (accepts('gzip'))
          return send(response, 200, gzipSync(feeds.get(path)!), {
            'content-type': RSS_TYPE,
            'content-encoding': 'gzip',
            vary: 'Accept-Encoding',
          });
        return send(response, 200, feeds.get(path)!, { 'content-type': RSS_TYPE, vary: 'Accept-Encoding' });
      case '/br':
        if (accepts('br'))
          return send(response, 200, brotliCompressSync(feeds.get(path)!), {
            'content-type': RSS_TYPE,
            'content-encoding': 'br',
            vary: 'Accept-Encoding',
          });
        return send(response, 200, feeds.get(path)!, { 'content-type': RSS_TYPE, vary: 'Accept-Encoding' });
      case '/chain/1':
        return redirect(response, 301, `${base}/chain/2`);
      case '/chain/2':
        return redirect(response, 308, '/chain/final'); // relative Location on purpose
      case '/temp':
        return redirect(response, 302, `${base}/temp-target`);
      case '/loop/a':
        return redirect(response, 302, `${base}/loop/b`);
      case '/loop/b':
        return redirect(response, 302, `${base}/loop/a`);
      case '/missing':
        return send(response, 404, 'not found', { 'content-type': 'text/plain' });
      case '/gone':
        return send(response, 410, 'gone for good', { 'content-type': 'text/plain' });
      case '/flaky':
        if (count === 1) return send(response, 500, 'try again', { 'content-type': 'text/plain' });
        return send(response, 200, feeds.get(path)!, { 'content-type': RSS_TYPE });
      case '/broken':
        return send(response, 500, 'always broken', { 'content-type': 'text/plain' });
      case '/busy':
        if (count === 1) return send(response, 429, 'slow down', { 'content-type': 'text/plain', 'retry-after': '1' });
        return send(response, 200, feeds.get(path)!, { 'content-type': RSS_TYPE });
      case '/busy-long':
        return send(response, 503, 'come back in an hour', { 'content-type': 'text/plain', 'retry-after': '3600' });
      case '/silent':
        return; // the socket stays open; close() destroys it
      case '/drip': {
        const body = feeds.get(path)!;
        response.writeHead(200, { 'content-type': RSS_TYPE, 'content-length': body.length });
        response.flushHeaders();
        let sent = 0;
        const until = Date.now() + DRIP_FOR_MS;
        const timer = setInterval(() => {
          if (Date.now() >= until || sent >= body.length) {
            clearInterval(timer);
            timers.delete(timer);
            response.end(body.subarray(sent));
            return;
          }
          response.write(body.subarray(sent, sent + 1));
          sent++;
        }, DRIP_EVERY_MS);
        timers.add(timer);
        response.on('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      case '/reset': {
        const body = feeds.get(path)!;
        response.writeHead(200, { 'content-type': RSS_TYPE, 'content-length': body.length });
        response.write(body.subarray(0, Math.floor(body.length / 2)));
        later(50, () => request.socket.destroy());
        return;
      }
      case '/huge': {
        response.writeHead(200, { 'content-type': RSS_TYPE }); // chunked: the size shows only while reading
        let offset = 0;
        const pump = () => {
          while (offset < huge.length) {
            const chunk = huge.subarray(offset, offset + 64 * 1024);
            offset += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          response.end();
        };
        pump();
        return;
      }
      case '/bomb':
        return send(response, 200, bomb, { 'content-type': RSS_TYPE, 'content-encoding': 'gzip' });
      case '/br-bomb':
        return send(response, 200, brBomb, { 'content-type': RSS_TYPE, 'content-encoding': 'br' });
      case '/gbk-lying':
        return send(response, 200, gbk, { 'content-type': 'application/xml; charset=utf-8' });
      case '/page':
        return send(response, 200, page, { 'content-type': 'text/html; charset=utf-8' });
      case '/page-no-feed':
        return send(response, 200, pageNoFeed, { 'content-type': 'text/html; charset=utf-8' });
      default: {
        if (path.startsWith('/many/')) {
          const n = Number(path.slice('/many/'.length));
          if (Number.isInteger(n) && n >= 0 && n < 9) return redirect(response, 301, `${base}/many/${n + 1}`);
        }
        const feed = feeds.get(path);
        if (feed) return send(response, 200, feed, { 'content-type': RSS_TYPE });
        return send(response, 404, 'no such route', { 'content-type': 'text/plain' });
      }
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    base,
    url: (path) => `${base}${path}`,
    hits: (path) => seen.get(path)?.length ?? 0,
    requests: (path) => [...(seen.get(path) ?? [])],
    allHits: () => Object.fromEntries([...seen].map(([path, list]) => [path, list.length])),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer); // clearTimeout clears intervals too
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
