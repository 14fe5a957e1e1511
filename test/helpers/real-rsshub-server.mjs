// One real RSSHub instance, run as a child process by real-rsshub.ts: node real-rsshub-server.mjs CACHE_DIR.
// RSSHub reads its configuration (ACCESS_KEY, CACHE_TYPE, …) from the environment when its modules are first
// imported, so every instance with other settings needs a process of its own. The app module is imported
// directly, not through the package's init(): init() sets IS_PACKAGE, which makes every route answer with the
// raw data as JSON instead of RSS/Atom/JSON Feed. It is served the way RSSHub's own lib/index.ts serves it:
// @hono/node-server, here on 127.0.0.1 only, on a port the system picks; the port is printed as one JSON line
// on stdout when listening. The process ends when its stdin closes, so it never outlives the test process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const cacheDir = process.argv[2];
if (!cacheDir) throw new Error('usage: node real-rsshub-server.mjs CACHE_DIR');
const distLib = join(cacheDir, 'node_modules', 'rsshub', 'dist-lib');

// The app module's name carries a content hash: the library entry imports it lazily, so read the name there.
const appFile = /import\(\s*["']\.\/(app-[\w-]+\.mjs)["']\s*\)/.exec(readFileSync(join(distLib, 'pkg.mjs'), 'utf8'))?.[1];
if (!appFile) throw new Error(`rsshub: no app-*.mjs import in ${join(distLib, 'pkg.mjs')}; the package layout changed`);

// Its metrics exporter opens an HTTP server of its own at import time (port 9464 on every interface by
// default): keep it on loopback, on a port of this instance's own so several instances do not clash.
const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
process.env.OTEL_EXPORTER_PROMETHEUS_HOST = '127.0.0.1';
process.env.OTEL_EXPORTER_PROMETHEUS_PORT = String(await freePort());

process.stdin.on('close', () => process.exit(0));
process.stdin.resume();

const { default: app } = await import(pathToFileURL(join(distLib, appFile)).href);
const { serve } = createRequire(join(cacheDir, 'package.json'))('@hono/node-server');
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(`${JSON.stringify({ listening: info.port })}\n`);
});
server.on('error', (error) => {
  console.error(error);
  process.exit(1);
});
