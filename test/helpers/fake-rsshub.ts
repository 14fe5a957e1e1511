/**
 * A loopback stand-in for an RSSHub instance (docs/rsshub-contract.md), and a page server for `newsstand add`.
 *
 * startFakeRsshub() serves, on 127.0.0.1 (node:http only):
 *   /aljazeera/chinese/news     the shared fixture's bytes (a real RSSHub feed, one item)
 *   /aljazeera/english/news     RSS 2.0, two items  } generator RSSHub; every <img> already carries
 *   /36kr/newsflashes           RSS 2.0, two items  } referrerpolicy="no-referrer" as RSSHub adds it
 *   /example/news/tech          RSS 2.0, two items  }
 *   /api/namespace/aljazeera, /api/namespace/36kr, /api/namespace/example   route metadata
 *   /api/radar/rules/example.com                                              radar rules; other domains: empty 200
 *   anything else: 404 like RSSHub's "route not found" page.
 * The query string is recorded (for pass-through checks) and otherwise ignored. Item links are distinct per
 * route: see {@link ROUTE_LINKS}.
 *
 * With `accessKey`, every request must carry `code = md5(pathname + accessKey)` (hex), else 403.
 * `failWith(500 | 503 | 'reset')` makes every request fail that way; `setApiDown(true)` makes `/api/*` answer 500.
 *
 * startPageServer() serves /feed-page (HTML announcing /rss.xml), /rss.xml, /plain.xml (feeds) and /news/tech
 * (HTML without a feed link) for whatever host is asked, so tests can use it as a plain-HTTP forward proxy
 * (HTTP_PROXY) and give pages a real domain such as `http://example.com:<port>/news/tech`. Absolute-form
 * requests for another loopback port are relayed there, in case something reaches the fake RSSHub through it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SEED_FEED } from './site.js';

export interface FakeRsshub {
  /** Base URL, e.g. http://127.0.0.1:4321 (no trailing slash). */
  url: string;
  /** Requests seen for this exact pathname (query ignored), whatever the answer was. */
  hits(path: string): number;
  /** Every request so far, in order. */
  requests(): Array<{ path: string; query: URLSearchParams }>;
  /** Make every request fail: an HTTP status, or 'reset' (socket destroyed); null to heal. */
  failWith(status: number | 'reset' | null): void;
  /** Make `/api/*` answer 500 (routes keep working). */
  setApiDown(down: boolean): void;
  close(): Promise<void>;
}

export const FIXTURE_PATH = SEED_FEED;

/** The item links each route's feed carries. */
export const ROUTE_LINKS: Record<string, string[]> = {
  '/aljazeera/chinese/news': ['https://chinese.aljazeera.net/news/2022/1/8/example-item'],
  '/aljazeera/english/news': [1, 2].map((n) => `https://www.aljazeera.com/news/2025/1/1/english-item-${n}`),
  '/36kr/newsflashes': [1, 2].map((n) => `https://36kr.com/newsflashes/30000${n}`),
  '/example/news/tech': [1, 2].map((n) => `https://example.com/news/tech/${n}`),
};

/** The channel title of each route's feed. */
export const ROUTE_TITLES: Record<string, string> = {
  '/aljazeera/chinese/news': 'Aljazeera 半岛网 - 新闻',
  '/aljazeera/english/news': 'Al Jazeera English - News',
  '/36kr/newsflashes': '36氪 - 快讯',
  '/example/news/tech': 'Example News - tech',
};

export const NAMESPACES: Record<string, object> = {
  aljazeera: {
    name: 'Aljazeera',
    url: 'aljazeera.com',
    categories: ['traditional-media'],
    zh: { name: '半岛电视台' },
    routes: {
      '/:language/:category?': {
        path: '/:language/:category?',
        name: 'News',
        categories: ['traditional-media'],
        example: '/aljazeera/english/news',
      },
    },
  },
  '36kr': {
    name: '36kr',
    url: '36kr.com',
    categories: ['new-media'],
    zh: { name: '36氪' },
    routes: {
      '/hot-list/:category?': {
        path: '/hot-list/:category?',
        name: '资讯热榜',
        categories: ['new-media', 'popular'],
        example: '/36kr/hot-list',
      },
      '/:category/:subCategory?/:keyword?': {
        path: '/:category/:subCategory?/:keyword?',
        name: '资讯, 快讯',
        categories: ['new-media', 'popular'],
        example: '/36kr/newsflashes',
      },
    },
  },
  example: {
    name: 'Example',
    url: 'example.com',
    categories: ['blog'],
    routes: {
      '/news/:category{.+}?': {
        path: '/news/:category{.+}?',
        name: 'Example News',
        categories: ['blog'],
        example: '/example/news/tech',
      },
    },
  },
};

export const RADAR_RULES: Record<string, object> = {
  'example.com': {
    _name: 'Example',
    '.': [
      {
        title: 'News',
        docs: 'https://docs.rsshub.app/routes/example',
        source: ['/news/:category', '/news'],
        target: '/example/news/:category',
      },
    ],
    www: [
      { title: 'News', docs: 'https://docs.rsshub.app/routes/example', source: ['/news/:category'], target: '/example/news/:category' },
    ],
  },
};

const RSS_TYPE = 'application/rss+xml; charset=utf-8';

export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** An RSS 2.0 document as RSSHub renders one: generator RSSHub, images with referrerpolicy="no-referrer". */
function rsshubFeed(route: string, dates: string[]): string {
  const slug = route.replace(/^\//, '').replace(/\//g, '-');
  const items = ROUTE_LINKS[route]!.map(
    (link, i) => `<item>
<title><![CDATA[${ROUTE_TITLES[route]} item ${i + 1}]]></title>
<description><![CDATA[<p>First paragraph of ${slug} item ${i + 1}.</p>
<figure><img src="https://img.example/${slug}/${i + 1}-a.jpg" alt="lead" referrerpolicy="no-referrer"></figure>
<p>Second paragraph.</p>
<p><img src="https://img.example/${slug}/${i + 1}-b.jpg" referrerpolicy="no-referrer"><br><img referrerpolicy="no-referrer" src="https://img.example/${slug}/${i + 1}-c.png" width="640" height="360"></p>]]></description>
<pubDate>${dates[i]}</pubDate>
<guid isPermaLink="false">${link}</guid>
<link>${link}</link>
<author><![CDATA[${slug} desk]]></author>
</item>`,
  ).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
<channel>
<title><![CDATA[${ROUTE_TITLES[route]}]]></title>
<link>https://rsshub.example${route}</link>
<atom:link href="http://localhost:1200${route}" rel="self" type="application/rss+xml" />
<description><![CDATA[${ROUTE_TITLES[route]} - Powered by RSSHub]]></description>
<generator>RSSHub</generator>
<webMaster>contact@rsshub.app (RSSHub)</webMaster>
<language>zh-cn</language>
<lastBuildDate>${dates[0]}</lastBuildDate>
<ttl>5</ttl>
${items}
</channel>
</rss>
`;
}

function errorPage(message: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Error | RSSHub</title></head>
<body>
<h1>Looks like something went wrong in RSSHub</h1>
<p>Error message: ${message}</p>
<p>Helpful Information: Route requested: … · Node version: v22 · Git Hash: fake</p>
</body>
</html>
`;
}

function send(response: ServerResponse, status: number, body: string | Buffer, contentType: string) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, { 'content-type': contentType, 'content-length': bytes.length });
  response.end(bytes);
}

function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

export async function startFakeRsshub(options: { accessKey?: string } = {}): Promise<FakeRsshub> {
  const started = Date.now();
  // Items a few hours old: inside any retention, stable for the server's lifetime.
  const dates = [1, 2].map((n) => new Date(Math.floor(started / 1000) * 1000 - n * 3_600_000).toUTCString());
  const feeds = new Map<string, Buffer>();
  feeds.set('/aljazeera/chinese/news', readFileSync(FIXTURE_PATH));
  for (const route of ['/aljazeera/english/news', '/36kr/newsflashes', '/example/news/tech'])
    feeds.set(route, Buffer.from(rsshubFeed(route, dates)));
  // A route with a Chinese parameter, keyed as the request carries it: percent-encoded.
  feeds.set(encodeURI('/36kr/search/芯片'), Buffer.from(rsshubFeed('/example/news/tech', dates)));

  const seen: Array<{ path: string; query: URLSearchParams }> = [];
  let failure: number | 'reset' | null = null;
  let apiDown = false;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const parsed = new URL(request.url ?? '/', 'http://rsshub.invalid');
    const path = parsed.pathname;
    seen.push({ path, query: new URLSearchParams(parsed.searchParams) });
    response.on('error', () => undefined);

    if (failure === 'reset') {
      request.socket.destroy();
      return;
    }
    if (failure !== null) {
      const message = failure === 503 ? `this route is broken: ${path}` : `internal error (${failure})`;
      return send(response, failure, errorPage(message), 'text/html; charset=utf-8');
    }
    if (options.accessKey !== undefined && parsed.searchParams.get('code') !== md5(path + options.accessKey)) {
      return send(response, 403, errorPage('Authentication failed. Access denied.'), 'text/html; charset=utf-8');
    }
    if (path.startsWith('/api/')) {
      if (apiDown) return send(response, 500, JSON.stringify({ error: { message: 'api down' } }), 'application/json');
      const namespace = /^\/api\/namespace\/(.+)$/.exec(path);
      if (namespace) {
        const data = NAMESPACES[decodeURIComponent(namespace[1]!)];
        if (!data) return send(response, 404, JSON.stringify({ error: { message: 'namespace not found' } }), 'application/json');
        return send(response, 200, JSON.stringify(data), 'application/json; charset=utf-8');
      }
      const radar = /^\/api\/radar\/rules\/(.+)$/.exec(path);
      if (radar) {
        const rules = RADAR_RULES[decodeURIComponent(radar[1]!)];
        // RSSHub answers an unknown domain with an empty 200.
        if (!rules) return send(response, 200, '', 'application/json; charset=utf-8');
        return send(response, 200, JSON.stringify(rules), 'application/json; charset=utf-8');
      }
      return send(response, 404, JSON.stringify({ error: { message: 'not found' } }), 'application/json');
    }
    // A route that moved within the instance, as RSSHub's own routes redirect: to a path, with no code.
    if (path === '/moved/36kr') {
      response.writeHead(302, { location: '/36kr/newsflashes' });
      return response.end();
    }
    const feed = feeds.get(path);
    if (feed) return send(response, 200, feed, RSS_TYPE);
    return send(response, 404, errorPage(`route not found: ${path}`), 'text/html; charset=utf-8');
  });
  const sockets = trackSockets(server);
  const port = await listen(server);

  return {
    url: `http://127.0.0.1:${port}`,
    hits: (path) => seen.filter((entry) => entry.path === path).length,
    requests: () => seen.map((entry) => ({ path: entry.path, query: new URLSearchParams(entry.query) })),
    failWith: (status) => {
      failure = status;
    },
    setApiDown: (down) => {
      apiDown = down;
    },
    close: closer(server, sockets),
  };
}

export interface PageServer {
  /** http://127.0.0.1:<port>: give it as HTTP_PROXY. */
  url: string;
  port: number;
  /** Requests seen for this pathname, whatever host they named. */
  hits(path: string): number;
  /** Every request: the host it named (Host header or absolute-form URL) and its pathname. */
  requests(): Array<{ host: string; path: string; absoluteForm: boolean }>;
  close(): Promise<void>;
}

/** Item links of the page server's feeds. */
export const PAGE_FEED_LINKS: Record<string, string[]> = {
  '/rss.xml': [1, 2].map((n) => `https://page.example/rss/${n}`),
  '/plain.xml': [1, 2].map((n) => `https://page.example/plain/${n}`),
};

function plainFeed(path: string, title: string): string {
  const date = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toUTCString();
  const items = PAGE_FEED_LINKS[path]!.map(
    (link, i) =>
      `<item><title>${title} ${i + 1}</title><link>${link}</link><guid>${link}</guid><pubDate>${date}</pubDate><description>&lt;p&gt;${title} ${i + 1}&lt;/p&gt;</description></item>`,
  ).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${title}</title><link>https://page.example/</link><description>page server feed</description>
${items}
</channel></rss>
`;
}

function page(head: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Example page</title>
<link rel="stylesheet" href="/style.css">
${head}
</head>
<body><h1>Example</h1><p>An ordinary web page.</p></body>
</html>
`;
}

export async function startPageServer(): Promise<PageServer> {
  const seen: Array<{ host: string; path: string; absoluteForm: boolean }> = [];
  const bodies: Record<string, [string, string]> = {
    '/feed-page': [
      page('<link rel="alternate" type="application/rss+xml" title="Example feed" href="/rss.xml">'),
      'text/html; charset=utf-8',
    ],
    '/rss.xml': [plainFeed('/rss.xml', 'Discovered feed'), RSS_TYPE],
    '/plain.xml': [plainFeed('/plain.xml', 'Plain feed'), RSS_TYPE],
    '/news/tech': [page(''), 'text/html; charset=utf-8'],
  };
  let port = 0;

  const server = createServer((request, response) => {
    const raw = request.url ?? '/';
    const absoluteForm = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
    const target = new URL(raw, `http://${request.headers.host ?? `127.0.0.1:${port}`}`);
    seen.push({ host: target.host, path: target.pathname, absoluteForm });
    response.on('error', () => undefined);

    const loopback = target.hostname === '127.0.0.1' || target.hostname === 'localhost';
    if (absoluteForm && loopback && Number(target.port) !== port) {
      // Forward proxy for other loopback servers (e.g. the fake RSSHub, should a request come this way).
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: request.method,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => response.destroy());
      request.pipe(upstream);
      return;
    }
    const body = bodies[target.pathname];
    if (!body) return send(response, 404, 'not found', 'text/plain');
    send(response, 200, body[0], body[1]);
  });
  const sockets = trackSockets(server);
  port = await listen(server);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits: (path) => seen.filter((entry) => entry.path === path).length,
    requests: () => seen.map((entry) => ({ ...entry })),
    close: closer(server, sockets),
  };
}
