/**
 * A loopback image server for browser tests: any path answers with a PNG (a colour derived from the path),
 * except that a request carrying a Referer is refused with 403 — as hot-link-protected CDNs refuse foreign
 * sites. So an image shows in the browser only when the page sent no Referer.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';

export interface ImageServer {
  /** e.g. http://127.0.0.1:4321 (no trailing slash). */
  origin: string;
  /** Every request so far, with the Referer it carried ('' for none). */
  requests: Array<{ path: string; referer: string }>;
  close(): Promise<void>;
}

export async function startImageServer(): Promise<ImageServer> {
  const requests: ImageServer['requests'] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const path = request.url ?? '/';
    const referer = request.headers.referer ?? '';
    requests.push({ path, referer });
    if (referer) return void response.writeHead(403, { 'content-type': 'text/plain' }).end('no hotlinking');
    response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' }).end(solidPng(path));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const WIDTH = 640;
const HEIGHT = 360;

/** A 640×360 PNG of one colour, chosen by the path so that different images look different. */
function solidPng(path: string): Buffer {
  const [r, g, b] = createHash('sha256').update(path).digest();
  const row = Buffer.alloc(1 + WIDTH * 3);
  for (let x = 0; x < WIDTH; x++) row.set([r! | 0x40, g! | 0x40, b! | 0x40], 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: HEIGHT }, () => row));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(WIDTH, 0);
  header.writeUInt32BE(HEIGHT, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
