/**
 * A loopback static file server for one directory (a Hexo site's `public/`), on 127.0.0.1 and a free port:
 * newsstand serve's own file answering (src/site/static-files.ts), without the build and the watching.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { answer } from '../../src/site/static-files.js';

export interface StaticServer {
  /** e.g. http://127.0.0.1:4321 (no trailing slash). */
  origin: string;
  close(): Promise<void>;
}

export async function serveDirectory(directory: string): Promise<StaticServer> {
  const publicDir = resolve(directory);
  const layout = { sourceDir: publicDir, publicDir, root: '/' };
  const server = createServer((request, response) => {
    void answer(layout, request, response).catch(() => response.destroy());
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
