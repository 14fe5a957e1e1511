// Loopback feed server for the benchmark: GET /feeds/<n>.xml with a strong ETag and Last-Modified,
// answering 304 to a matching If-None-Match (or, without one, a fresh-enough If-Modified-Since).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

function emptyStats() {
  return { requests: 0, ok: 0, notModified: 0, other: 0, conditional: 0, connections: 0, bytesSent: 0 };
}

export class FeedServer {
  constructor() {
    /** n → { body: Buffer, etag, lastModifiedMs } */
    this.feeds = new Map();
    this.stats = emptyStats();
    this.server = createServer({ requestTimeout: 60_000 }, (req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 10_000;
    this.server.maxRequestsPerSocket = 0; // unlimited
    this.server.on('connection', () => this.stats.connections++);
    this.port = 0;
  }

  /** Sets (or replaces) feed `n`'s document; `lastModifiedMs` is when it last changed. */
  setFeed(n, xml, lastModifiedMs) {
    const body = Buffer.from(xml, 'utf8');
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    // HTTP dates have one-second resolution: keep the stored time at a whole second so comparisons are exact.
    this.feeds.set(n, { body, etag, lastModifiedMs: Math.floor(lastModifiedMs / 1000) * 1000 });
  }

  url(n) {
    return `http://127.0.0.1:${this.port}/feeds/${n}.xml`;
  }

  /** Returns the counters since the last call and starts new ones. */
  takeStats() {
    const stats = this.stats;
    this.stats = emptyStats();
    return stats;
  }

  async listen() {
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', resolve);
    });
    this.port = this.server.address().port;
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }

  handle(req, res) {
    const stats = this.stats;
    stats.requests++;
    const match = /^\/feeds\/(\d+)\.xml(?:\?.*)?$/.exec(req.url ?? '');
    const feed = match ? this.feeds.get(Number(match[1])) : undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      stats.other++;
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!feed) {
      stats.other++;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers = {
      etag: feed.etag,
      'last-modified': new Date(feed.lastModifiedMs).toUTCString(),
      'cache-control': 'max-age=0, must-revalidate',
    };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if (inm !== undefined || ims !== undefined) stats.conditional++;
    let fresh;
    if (inm !== undefined) {
      // RFC 9110 §13.1.2: weak comparison for If-None-Match; it takes precedence over If-Modified-Since.
      const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
      fresh = tags.includes('*') || tags.includes(feed.etag);
    } else if (ims !== undefined) {
      const since = Date.parse(ims);
      fresh = !Number.isNaN(since) && feed.lastModifiedMs <= since;
    } else {
      fresh = false;
    }
    if (fresh) {
      stats.notModified++;
      res.writeHead(304, headers).end();
      return;
    }
    stats.ok++;
    stats.bytesSent += feed.body.length;
    res.writeHead(200, { ...headers, 'content-type': 'application/rss+xml; charset=utf-8', 'content-length': feed.body.length });
    res.end(req.method === 'HEAD' ? undefined : feed.body);
  }
}
