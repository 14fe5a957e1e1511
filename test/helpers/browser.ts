/**
 * Headless Chromium for end-to-end tests, driven through playwright-core, which never downloads a browser.
 * The Chromium is, in this order: CHROMIUM_PATH when set; Debian's /usr/bin/chromium when present (unless
 * NEWSSTAND_TEST_NO_SYSTEM_CHROMIUM=1); else the one `npm install` brought, @sparticuz/chromium (a dev
 * dependency). That package ships a headless-shell build of Chromium compressed with brotli, the NSS and expat
 * libraries it links against (Amazon Linux's, which run on any newer glibc) and a Latin font; it is unpacked
 * once per version into node_modules/.cache/newsstand-chromium/, its libraries on LD_LIBRARY_PATH, with a
 * fontconfig file that adds Noto Sans SC (from @fontsource/noto-sans-sc) to the system's fonts, so Chinese
 * shows in screenshots on machines without a CJK font. watchPage() records what a page does that a test may
 * want to forbid or expect: dialogs, console output, uncaught errors, requests, navigations, popups.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { brotliDecompressSync, createBrotliDecompress, inflateSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export interface ChromiumChoice {
  executablePath: string;
  /** Where it came from, for messages. */
  source: 'CHROMIUM_PATH' | 'Debian' | '@sparticuz/chromium';
  /** The browser's environment (the npm build's libraries and fonts), when it needs one of its own. */
  env?: Record<string, string>;
}

let chosen: Promise<ChromiumChoice> | undefined;

/** The Chromium the browser tests use (see the top of this file); the npm one is unpacked on first use. */
export function findChromium(): Promise<ChromiumChoice> {
  chosen ??= choose();
  return chosen;
}

async function choose(): Promise<ChromiumChoice> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(
        `CHROMIUM_PATH=${fromEnv}: no such file; point it at a Chromium binary, or unset it to use Debian's or the one npm install brings`,
      );
    return { executablePath: fromEnv, source: 'CHROMIUM_PATH' };
  }
  if (process.env.NEWSSTAND_TEST_NO_SYSTEM_CHROMIUM !== '1' && existsSync(SYSTEM_CHROMIUM))
    return { executablePath: SYSTEM_CHROMIUM, source: 'Debian' };
  return unpackNpmChromium();
}

export async function launchChromium(): Promise<Browser> {
  const { executablePath, env } = await findChromium();
  return chromium.launch({
    executablePath,
    headless: true,
    // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start; /dev/shm there is tiny.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
}

/** A package's root directory (its exports need not include package.json). */
function packageRoot(name: string, entry: string): string {
  let dir: string;
  try {
    dir = dirname(require.resolve(entry));
  } catch {
    throw new Error(
      `${name} is not installed: run "npm install" in the repository (it is a dev dependency), or install Debian's chromium, or set CHROMIUM_PATH`,
    );
  }
  while (
    !existsSync(join(dir, 'package.json')) ||
    (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== name
  ) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${name}: no package.json above ${require.resolve(entry)}; reinstall it with "npm install"`);
    dir = parent;
  }
  return dir;
}

const version = (root: string) => (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** The regular weight and the bold of Noto Sans SC's simplified-Chinese subset (GB 2312 and more, 7,000+ hanzi, kana). */
const NOTO_FILES = [400, 700].map((weight) => `noto-sans-sc-chinese-simplified-${weight}-normal.woff`);

/**
 * Unpacks @sparticuz/chromium's browser, libraries and font, and Noto Sans SC, into a directory named after
 * both versions. Test files run in parallel workers: each unpacks into a directory of its own and renames it
 * into place, so none ever sees half a binary; a worker that loses the race uses the winner's.
 */
async function unpackNpmChromium(): Promise<ChromiumChoice> {
  const chromiumRoot = packageRoot('@sparticuz/chromium', '@sparticuz/chromium');
  const fontRoot = packageRoot('@fontsource/noto-sans-sc', '@fontsource/noto-sans-sc/package.json');
  const cache = join(dirname(dirname(chromiumRoot)), '.cache', 'newsstand-chromium');
  const key = `chromium-${version(chromiumRoot)}+noto-sans-sc-${version(fontRoot)}`;
  const dir = join(cache, key);
  const choice: ChromiumChoice = {
    executablePath: join(dir, 'chromium'),
    source: '@sparticuz/chromium',
    env: {
      LD_LIBRARY_PATH: [join(dir, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    },
  };
  if (existsSync(dir)) return choice;

  const work = join(cache, `${key}.unpacking-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(work, { recursive: true });
  try {
    const bin = join(chromiumRoot, 'bin');
    await pipeline(createReadStream(join(bin, 'chromium.br')), createBrotliDecompress(), createWriteStream(join(work, 'chromium')));
    await chmod(join(work, 'chromium'), 0o755);
    await extractTar(brotliDecompressSync(await readFile(join(bin, 'al2023.tar.br'))), work, () => true); // lib/
    // Open Sans
    await extractTar(brotliDecompressSync(await readFile(join(bin, 'fonts.tar.br'))), work, (path) => path.startsWith(`fonts${sep}`));
    await mkdir(join(work, 'fonts', 'noto-sans-sc'), { recursive: true });
    for (const file of NOTO_FILES) {
      const sfnt = woffToSfnt(await readFile(join(fontRoot, 'files', file)), file);
      await writeFile(
        join(work, 'fonts', 'noto-sans-sc', file.replace(/\.woff$/, sfnt.readUInt32BE(0) === 0x4f54544f ? '.otf' : '.ttf')),
        sfnt,
      );
    }
    // Its own cache directory first, so the system's font cache is never written; then the system's fonts.
    await writeFile(
      join(work, 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        '<fontconfig>',
        `  <cachedir>${escapeXml(join(dir, 'fontconfig-cache'))}</cachedir>`,
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
        `  <dir>${escapeXml(join(dir, 'fonts'))}</dir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    try {
      await rename(work, dir);
    } catch (error) {
      if (!existsSync(dir)) throw error; // not a lost race
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  // Earlier versions' directories (and what a killed worker left) go; another worker's work in progress stays.
  for (const name of readdirSync(cache)) {
    if (!name.startsWith(key)) await rm(join(cache, name), { recursive: true, force: true });
  }
  return choice;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Writes a tar archive's directories and regular files (ustar, as npm packages carry them) below `into`. */
async function extractTar(tar: Buffer, into: string, wanted: (path: string) => boolean): Promise<void> {
  let longName: string | undefined; // a GNU long-name entry names the entry after it
  for (let at = 0; at + 512 <= tar.length; ) {
    const field = (start: number, length: number) => tar.toString('latin1', at + start, at + start + length).replace(/\0.*$/s, '');
    if (tar.subarray(at, at + 512).every((byte) => byte === 0)) break;
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const mode = Number.parseInt(field(100, 8).trim() || '644', 8) & 0o777;
    const prefix = field(257, 6).startsWith('ustar') ? field(345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    longName = type === 'L' ? body.toString('utf8').replace(/\0.*$/s, '') : undefined;
    if (type === 'L' || type === 'x' || type === 'g') continue; // pax attributes: nothing these archives need
    const path = normalize(name.replace(/^\.\//, ''));
    if (path === '..' || path.startsWith(`..${sep}`) || path.startsWith(sep))
      throw new Error(`@sparticuz/chromium: an archive entry leaves its directory (${name}); reinstall the package`);
    if (!wanted(path)) continue;
    if (type === '5') {
      await mkdir(join(into, path), { recursive: true });
    } else if (type === '0' || type === '7') {
      await mkdir(dirname(join(into, path)), { recursive: true });
      await writeFile(join(into, path), body, { mode });
    }
  }
}

/**
 * WOFF 1.0 → the OpenType font it wraps: the same tables, each inflated, behind a plain sfnt header. Chromium
 * takes only TrueType and CFF fonts from fontconfig, and @fontsource ships WOFF.
 */
function woffToSfnt(woff: Buffer, name: string): Buffer {
  if (woff.length < 44 || woff.readUInt32BE(0) !== 0x774f4646)
    throw new Error(`@fontsource/noto-sans-sc: ${name} is not a WOFF file; reinstall the package`);
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, index) => {
    const entry = 44 + index * 20;
    const [offset, compressed, length] = [woff.readUInt32BE(entry + 4), woff.readUInt32BE(entry + 8), woff.readUInt32BE(entry + 12)];
    const stored = woff.subarray(offset, offset + compressed);
    const data = compressed < length ? inflateSync(stored) : stored;
    if (data.length !== length) throw new Error(`@fontsource/noto-sans-sc: ${name} has a damaged table; reinstall the package`);
    return { tag: woff.readUInt32BE(entry), checksum: woff.readUInt32BE(entry + 16), data };
  });
  const power = 2 ** Math.floor(Math.log2(count));
  const header = Buffer.alloc(12 + 16 * count);
  header.writeUInt32BE(woff.readUInt32BE(4), 0); // the flavor: 0x00010000 (TrueType) or 'OTTO' (CFF)
  header.writeUInt16BE(count, 4);
  header.writeUInt16BE(power * 16, 6);
  header.writeUInt16BE(Math.log2(power), 8);
  header.writeUInt16BE(count * 16 - power * 16, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach(({ tag, checksum, data }, index) => {
    header.writeUInt32BE(tag, 12 + index * 16);
    header.writeUInt32BE(checksum, 16 + index * 16);
    header.writeUInt32BE(offset, 20 + index * 16);
    header.writeUInt32BE(data.length, 24 + index * 16);
    const padded = Math.ceil(data.length / 4) * 4;
    parts.push(data, Buffer.alloc(padded - data.length));
    offset += padded;
  });
  return Buffer.concat(parts);
}

export interface PageActivity {
  /** alert/confirm/prompt/beforeunload dialogs, each dismissed as it opened. */
  dialogs: Array<{ type: string; message: string }>;
  console: Array<{ type: string; text: string }>;
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** Every request the page or its frames started (also those a route then aborted), in order. */
  requests: Array<{ url: string; resourceType: string; frameUrl: string }>;
  /** WebSocket connections opened. */
  webSockets: string[];
  /** Every URL the main frame committed, in order (the first is the page opened). */
  navigations: string[];
  /** Windows the page opened, each closed at once. */
  popups: string[];
}

/** What a page has done, recorded as it happens. */
export interface PageWatch {
  /** The activity since the watch began or the last take(); recording goes on afresh. */
  take(): PageActivity;
}

const emptyActivity = (): PageActivity => ({
  dialogs: [],
  console: [],
  errors: [],
  requests: [],
  webSockets: [],
  navigations: [],
  popups: [],
});

/** Starts recording a page's activity; call before the page loads anything. A page may be reused across take()s. */
export function watchPage(page: Page): PageWatch {
  let activity = emptyActivity();
  page.on('dialog', (dialog) => {
    activity.dialogs.push({ type: dialog.type(), message: dialog.message() });
    dialog.dismiss().catch(() => undefined); // the page may already be closing
  });
  page.on('console', (message) => activity.console.push({ type: message.type(), text: message.text() }));
  page.on('pageerror', (error) => activity.errors.push(error.message));
  page.on('request', (request) => {
    let frameUrl = '';
    try {
      frameUrl = request.frame().url();
    } catch {
      // requests of service workers have no frame
    }
    activity.requests.push({ url: request.url(), resourceType: request.resourceType(), frameUrl });
  });
  page.on('websocket', (socket) => activity.webSockets.push(socket.url()));
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) activity.navigations.push(frame.url());
  });
  page.on('popup', (popup) => {
    activity.popups.push(popup.url());
    popup.close().catch(() => undefined);
  });
  return {
    take: () => {
      const taken = activity;
      activity = emptyActivity();
      return taken;
    },
  };
}

/**
 * Lets through only the requests `allowed` accepts; every other request is aborted before it leaves the
 * browser (it still shows in {@link PageActivity.requests}).
 */
export async function restrictRequests(page: Page, allowed: (url: string) => boolean): Promise<void> {
  await page.route('**/*', (route) => (allowed(route.request().url()) ? route.continue() : route.abort('blockedbyclient')));
}
