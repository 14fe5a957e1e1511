import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../errors.js';
import { HttpClient } from '../fetch/http-client.js';
import { ExtractError } from './extract-article.js';
import { fetchArticle } from './fetch-article.js';
import { encodeGbk } from './testdata/encode-gbk.js';

const NEWS = readFileSync(new URL('testdata/pages/news-article.html', import.meta.url), 'utf8');
const GBK_PAGE_TEXT = readFileSync(new URL('testdata/pages/gbk-article.html', import.meta.url), 'utf8');
const LOGIN = readFileSync(new URL('testdata/pages/login.html', import.meta.url), 'utf8');
// The same page declared the older way, as many GB2312 sites still do.
const GB2312_HTTP_EQUIV_PAGE = GBK_PAGE_TEXT.replace(
  '<meta charset="gbk">',
  '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

const routes: Record<string, (response: ServerResponse) => void> = {
  '/article': (r) => r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(NEWS),
  '/moved': (r) => r.writeHead(301, { location: '/article' }).end(),
  '/missing': (r) => r.writeHead(404).end('not here'),
  '/image': (r) => r.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
  '/plain': (r) => r.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(NEWS),
  '/untyped': (r) => r.writeHead(200).end(NEWS),
  '/xhtml': (r) => r.writeHead(200, { 'content-type': 'application/xhtml+xml' }).end(NEWS),
  '/gbk': (r) => r.writeHead(200, { 'content-type': 'text/html' }).end(encodeGbk(GBK_PAGE_TEXT)),
  '/gb2312': (r) => r.writeHead(200, { 'content-type': 'text/html' }).end(encodeGbk(GB2312_HTTP_EQUIV_PAGE)),
  '/login': (r) => r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LOGIN),
};

let server: Server;
let origin: string;
const requests: IncomingMessage[] = [];
const client = new HttpClient({
  timeoutMs: 5000,
  connectTimeoutMs: 2000,
  maxBytes: 5_000_000,
  userAgent: 'test',
  retries: 0,
  concurrency: 4,
  perHost: 2,
});

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request);
    const route = routes[request.url ?? ''];
    if (route) route(response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('fetchArticle', () => {
  it('fetches a page and extracts its article, asking for HTML', async () => {
    const article = await fetchArticle(`${origin}/article`, { client });
    expect(article.url).toBe(`${origin}/article`);
    expect(article.html).toContain('车规级芯片的需求尤为旺盛');
    expect(article.html).not.toContain('用户甲');
    expect(article.html).toContain(`src="${origin}/news/2024/images/fab-line.jpg"`);
    expect(article.baseUrl).toBe(`${origin}/news/2024/`);
    expect(article.image).toBe(`${origin}/static/og/chip-cover.jpg`);
    expect(article.title).toBe('国产芯片产能再创新高，多家厂商扩建晶圆厂');
    expect(requests.find((request) => request.url === '/article')?.headers.accept).toBe('text/html,application/xhtml+xml;q=0.9,*/*;q=0.1');
  });

  it('reports the URL a redirect ended at, and resolves against it', async () => {
    const article = await fetchArticle(`${origin}/moved`, { client });
    expect(article.url).toBe(`${origin}/article`);
    expect(article.baseUrl).toBe(`${origin}/news/2024/`);
  });

  it('extracts with a selector', async () => {
    const article = await fetchArticle(`${origin}/article`, { client, selector: '.article-meta' });
    expect(article.html).toContain('记者 王小明');
    expect(article.html).not.toContain('车规级芯片');
  });

  it('decodes a GBK page that says so only in <meta charset>', async () => {
    // The fixture really is GBK: its bytes are not UTF-8.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(encodeGbk(GBK_PAGE_TEXT))).toThrow();
    expect(new TextDecoder('gbk').decode(encodeGbk(GBK_PAGE_TEXT))).toBe(GBK_PAGE_TEXT);
    const article = await fetchArticle(`${origin}/gbk`, { client });
    expect(article.html).toContain('今年还将新增二十个城市书房，让市民在家门口就能借到书、读好书');
    expect(article.title).toBe('我市举办第十届读书节 市民共享阅读之乐--示例日报');
    expect(article.image).toBe(`${origin}/uploads/2024/reading-festival.jpg`);
  });

  it('decodes a GB2312 page that says so in <meta http-equiv="Content-Type">', async () => {
    const article = await fetchArticle(`${origin}/gb2312`, { client });
    expect(article.html).toContain('古籍修复体验');
  });

  it('accepts XHTML and a page served without a Content-Type', async () => {
    for (const path of ['/xhtml', '/untyped']) {
      expect((await fetchArticle(`${origin}${path}`, { client })).html).toContain('车规级芯片的需求尤为旺盛');
    }
  });

  it('lets an HTTP error through as the FetchError it is', async () => {
    const error = await fetchArticle(`${origin}/missing`, { client }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).status).toBe(404);
  });

  it('applies its own size limit, named fetch.maxBytes', async () => {
    const error = await fetchArticle(`${origin}/article`, { client, maxBytes: 1000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).kind).toBe('too-large');
    expect((error as FetchError).message).toContain('fetch.maxBytes (1000 bytes)');
  });

  it('refuses a response that is not HTML, naming the URL and the type', async () => {
    await expect(fetchArticle(`${origin}/image`, { client })).rejects.toThrow(
      new ExtractError(`${origin}/image is image/png, not an HTML page: fullText needs item links that lead to article pages`),
    );
    await expect(fetchArticle(`${origin}/plain`, { client })).rejects.toThrow(/is text\/plain, not an HTML page/);
  });

  it('says when a page holds no article, or the selector matches nothing', async () => {
    await expect(fetchArticle(`${origin}/login`, { client })).rejects.toThrow(ExtractError);
    await expect(fetchArticle(`${origin}/login`, { client })).rejects.toThrow(`no article found at ${origin}/login`);
    await expect(fetchArticle(`${origin}/article`, { client, selector: '.no-such-class' })).rejects.toThrow(
      `selector ".no-such-class" matches nothing at ${origin}/article`,
    );
  });

  it('refuses links that are not http(s) without fetching anything', async () => {
    const before = requests.length;
    for (const link of ['file:///etc/passwd', 'ftp://127.0.0.1/a.html', 'javascript:alert(1)', '/relative/path']) {
      await expect(fetchArticle(link, { client })).rejects.toThrow(`cannot fetch the full text of ${link}: not an http(s) link`);
    }
    expect(requests.length).toBe(before);
  });
});
