/** The built site's files over HTTP, for `newsstand serve`: GET and HEAD, Hexo's root, nothing outside public/. */
import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import type { HexoLayout } from '../config/hexo-config.js';

/** Content types by file extension, for what a Hexo site's public/ holds. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.vtt': 'text/vtt; charset=utf-8',
  '.pdf': 'application/pdf',
};

/** Answers one request from the public directory. GET and HEAD only; nothing outside the directory. */
export async function answer(layout: HexoLayout, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('405 Method Not Allowed\n');
    return;
  }
  const target = request.url ?? '/';
  const queryAt = target.search(/[?#]/);
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : target.slice(queryAt).replace(/#.*/, '');
  if (rawPath === '/' && layout.root !== '/') {
    response.writeHead(302, { location: encodeURI(layout.root) + query, 'content-length': 0 }).end();
    return;
  }
  const file = await resolveFile(layout, rawPath);
  if (file === 'redirect') {
    // Collapsed leading slashes: "//host/dir" must not redirect to another host.
    response.writeHead(301, { location: `${rawPath.replace(/^\/+/, '/')}/${query}`, 'content-length': 0 }).end();
    return;
  }
  if (file === null) return notFound(layout, request, response);
  sendFile(request, response, 200, file.path, file.stats);
}

interface FoundFile {
  path: string;
  stats: Stats;
}

/**
 * The file a URL path names below the site's root: a directory answers with its index.html, a directory
 * named without its trailing slash with 'redirect'. Null for anything else, including every path that
 * climbs out of the public directory (`..`, encoded or not, NUL, links that lead outside).
 */
async function resolveFile(layout: HexoLayout, rawPath: string): Promise<FoundFile | 'redirect' | null> {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (!path.startsWith('/') || path.includes('\0')) return null;
  if (`${path}/` === layout.root) return 'redirect';
  if (!path.startsWith(layout.root)) return null;
  const segments = path.slice(layout.root.length).split('/');
  if (segments.some((segment) => segment === '..' || segment.includes('\\'))) return null;

  let candidate = join(layout.publicDir, ...segments);
  let stats = await stat(candidate).catch(() => null);
  if (stats?.isDirectory()) {
    if (!path.endsWith('/')) return 'redirect';
    candidate = join(candidate, 'index.html');
    stats = await stat(candidate).catch(() => null);
  }
  if (!stats?.isFile() || !(await isInside(layout.publicDir, candidate))) return null;
  return { path: candidate, stats };
}

async function isInside(directory: string, file: string): Promise<boolean> {
  const [realDirectory, realFile] = await Promise.all([realpath(directory), realpath(file)]).catch(() => [null, null]);
  if (realDirectory === null || realFile === null) return false;
  const inside = relative(realDirectory, realFile);
  return inside !== '' && !inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside);
}

async function notFound(layout: HexoLayout, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const page = join(layout.publicDir, '404.html');
  const stats = await stat(page).catch(() => null);
  if (stats?.isFile()) return sendFile(request, response, 404, page, stats);
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(request.method === 'HEAD' ? undefined : '404 Not Found\n');
}

function sendFile(request: IncomingMessage, response: ServerResponse, status: number, path: string, stats: Stats): void {
  response.writeHead(status, {
    'content-type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'content-length': stats.size,
    // A preview: every reload must show the latest build.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(path)
    .on('error', () => response.destroy())
    .pipe(response);
}
