import { isIP } from 'node:net';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/load.js';
import { FetchError, type FetchErrorKind } from '../errors.js';
import { HostLimiter } from './limiter.js';
import { isPrivateAddress, publicOnlyLookup } from './private-address.js';
import { backoffMs, isRetryable, parseMaxAge, parseRetryAfter } from './retry.js';

/** Client options from the `fetch` section of the configuration. */
export function clientOptions(fetch: Config['fetch'], userAgent: string): HttpClientOptions {
  return {
    timeoutMs: fetch.timeoutMs,
    connectTimeoutMs: fetch.connectTimeoutMs,
    maxBytes: fetch.maxBytes,
    userAgent: fetch.userAgent || userAgent,
    retries: fetch.retries,
    concurrency: fetch.concurrency,
    perHost: fetch.perHost,
  };
}

export interface HttpClientOptions {
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBytes: number;
  userAgent: string;
  retries: number;
  concurrency: number;
  perHost: number;
  /** First backoff step; doubles per retry, with jitter. */
  retryBaseMs?: number;
  /** A Retry-After up to this long is waited out within the run; a longer one fails the fetch. */
  maxRetryWaitMs?: number;
}

/** What a conditional GET sends back: the ETag and Last-Modified of the last full answer. */
export interface Validators {
  etag: string;
  lastModified: string;
}

export interface HttpRequest {
  headers?: Record<string, string>;
  validators?: Validators | null;
  signal?: AbortSignal;
  /** Overrides the client's retries (e.g. 0 when another RSSHub instance can be asked instead). */
  retries?: number;
  /** Overrides the client's largest accepted body (images have their own limit), named in the error. */
  maxBytes?: { bytes: number; setting: string };
  /** Overrides the Accept header, which by default asks for feeds. */
  accept?: string;
  /**
   * Refuse private, loopback and link-local addresses, on every redirect hop: for URLs a feed names (article
   * pages, images) rather than the user. Through a proxy only literal addresses can be checked.
   */
  publicOnly?: boolean;
  /** What a redirect's absolute target becomes before it is followed (an RSSHub instance signs a move within it). */
  redirectTo?: (target: string) => string;
}

export interface HttpResponse {
  /** A 304: the feed did not change since `validators` were issued; `bytes` is empty. */
  notModified: boolean;
  status: number;
  bytes: Uint8Array;
  contentType: string | null;
  /** The URL that finally answered. */
  url: string;
  /** Set when every redirect on the way was permanent (301/308): where the feed lives now. */
  permanentUrl: string | null;
  validators: Validators;
  /** `Cache-Control: max-age`, when given. */
  maxAgeMs: number | null;
}

const MAX_REDIRECTS = 5;
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, text/html;q=0.5, */*;q=0.3';

/**
 * HTTP for feeds: keep-alive connections (one pool per run), gzip/deflate/br, redirects followed by hand so
 * permanent moves can be remembered, conditional GET, retries with backoff, limits on time, size and
 * requests in flight overall and per host. Proxies come from HTTP_PROXY/HTTPS_PROXY/NO_PROXY.
 */
export class HttpClient {
  // undici is loaded with the first request: a run that only reads files (or finds them unchanged) skips it.
  private connection: Promise<Connection> | null = null;
  private readonly limiter: HostLimiter;

  constructor(private readonly options: HttpClientOptions) {
    this.limiter = new HostLimiter(options.concurrency, options.perHost);
  }

  /** GET with retries: network errors and 5xx back off and retry; a short Retry-After is waited out. */
  async get(url: string, request: HttpRequest = {}): Promise<HttpResponse> {
    const retryBase = this.options.retryBaseMs ?? 500;
    const maxWait = this.options.maxRetryWaitMs ?? 30_000;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limiter.run(url, () => this.followRedirects(url, request));
      } catch (error) {
        if (!(error instanceof FetchError) || attempt >= (request.retries ?? this.options.retries) || request.signal?.aborted) throw error;
        const wait = error.retryAfterMs ?? (isRetryable(error) ? backoffMs(attempt, retryBase) : null);
        if (wait === null || wait > maxWait) throw error;
        await sleep(wait, request.signal);
      }
    }
  }

  async close(): Promise<void> {
    if (!this.connection) return;
    const { dispatcher, publicDispatcher } = await this.connection;
    await Promise.all([dispatcher.close(), publicDispatcher === dispatcher ? undefined : publicDispatcher.close()]);
  }

  private connect(): Promise<Connection> {
    this.connection ??= import('undici').then(({ Agent, EnvHttpProxyAgent, fetch }) => {
      const agentOptions = {
        connect: { timeout: this.options.connectTimeoutMs },
        keepAliveTimeout: 10_000,
        headersTimeout: 0,
        bodyTimeout: 0,
      };
      if (hasProxyEnvironment()) {
        // Plain-HTTP feeds go to the proxy as ordinary forward requests: many proxies allow CONNECT to port 443 only.
        const dispatcher = new EnvHttpProxyAgent({ ...agentOptions, proxyTunnel: false });
        return { dispatcher, publicDispatcher: dispatcher, fetch };
      }
      const publicDispatcher = new Agent({ ...agentOptions, connect: { ...agentOptions.connect, lookup: publicOnlyLookup } });
      return { dispatcher: new Agent(agentOptions), publicDispatcher, fetch };
    });
    return this.connection;
  }

  private async followRedirects(start: string, request: HttpRequest): Promise<HttpResponse> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
    const visited = new Set<string>();
    let url = start;
    let permanent = true;
    for (let hop = 0; ; hop++) {
      visited.add(url);
      if (request.publicOnly) refusePrivateLiteral(url);
      const response = await this.send(url, request, signal, timeout);
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get('location');
        if (!location)
          throw new FetchError(`HTTP ${response.status} from ${url} without a Location`, 'redirect', { status: response.status });
        const target = new URL(location, url).href;
        const next = request.redirectTo ? request.redirectTo(target) : target;
        if (visited.has(next)) throw new FetchError(`redirect loop at ${url} → ${next}`, 'redirect', { status: response.status });
        if (hop + 1 > MAX_REDIRECTS)
          throw new FetchError(`more than ${MAX_REDIRECTS} redirects from ${start}`, 'redirect', { status: response.status });
        permanent &&= response.status === 301 || response.status === 308;
        url = next;
        continue;
      }
      const result = await this.read(
        response,
        url,
        signal,
        timeout,
        request.maxBytes ?? { bytes: this.options.maxBytes, setting: 'fetch.maxBytes' },
      );
      return { ...result, permanentUrl: permanent && url !== start ? url : null };
    }
  }

  private async send(url: string, request: HttpRequest, signal: AbortSignal, timeout: AbortSignal) {
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: request.accept ?? ACCEPT,
      'accept-encoding': 'gzip, deflate, br',
      ...request.headers,
    };
    if (request.validators?.etag) headers['if-none-match'] = bothForms(request.validators.etag);
    if (request.validators?.lastModified) headers['if-modified-since'] = request.validators.lastModified;
    try {
      const connection = await this.connect();
      const dispatcher = request.publicOnly ? connection.publicDispatcher : connection.dispatcher;
      return await connection.fetch(url, { dispatcher, redirect: 'manual', signal, headers });
    } catch (error) {
      throw networkError(url, error, timeout.aborted, this.options.timeoutMs);
    }
  }

  private async read(
    response: Awaited<ReturnType<typeof fetch>>,
    url: string,
    signal: AbortSignal,
    timeout: AbortSignal,
    limit: { bytes: number; setting: string },
  ): Promise<Omit<HttpResponse, 'permanentUrl'>> {
    const { status, headers } = response;
    const validators = { etag: headers.get('etag') ?? '', lastModified: headers.get('last-modified') ?? '' };
    const base = { status, contentType: headers.get('content-type'), url, validators, maxAgeMs: parseMaxAge(headers.get('cache-control')) };
    if (status === 304) {
      await response.body?.cancel().catch(() => undefined);
      return { ...base, notModified: true, bytes: new Uint8Array() };
    }
    if (status < 200 || status >= 300) {
      await response.body?.cancel().catch(() => undefined);
      throw statusError(url, status, response.statusText, parseRetryAfter(headers.get('retry-after')));
    }
    if (Number(headers.get('content-length')) > limit.bytes && !headers.get('content-encoding')) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(url, limit);
    }
    // The limit applies to the decompressed bytes as they arrive: a gzip bomb stops at maxBytes.
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += chunk.byteLength;
        if (size > limit.bytes) {
          await response.body?.cancel().catch(() => undefined);
          throw tooLarge(url, limit);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      throw networkError(url, error, timeout.aborted || signal.aborted, this.options.timeoutMs);
    }
    return { ...base, notModified: false, bytes: Buffer.concat(chunks) };
  }
}

interface Connection {
  dispatcher: Dispatcher;
  /** Connects to public addresses only (see HttpRequest.publicOnly). */
  publicDispatcher: Dispatcher;
  fetch: typeof import('undici').fetch;
}

/** A URL whose host is a private address, written as one (http://169.254.169.254/, http://[::1]/), is refused before any connection. */
function refusePrivateLiteral(url: string): void {
  const host = new URL(url).hostname;
  if (isIP(host.replace(/^\[|\]$/g, '')) && isPrivateAddress(host)) throw privateAddress(url, `${host} is a private network address`);
}

function privateAddress(url: string, reason: string): FetchError {
  return new FetchError(
    `refused ${url}: ${reason} — links in feeds are fetched from public addresses only (fetch.allowPrivateNetworks: true allows them)`,
    'blocked',
  );
}

function statusError(url: string, status: number, statusText: string, retryAfterMs: number | null): FetchError {
  const kind: FetchErrorKind = status === 410 ? 'gone' : status === 429 ? 'http-429' : status >= 500 ? 'http-5xx' : 'http-4xx';
  const advice = status === 410 ? ' (the feed is gone for good; remove the source or fix its URL)' : '';
  return new FetchError(`HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${url}${advice}`, kind, { status, retryAfterMs });
}

function tooLarge(url: string, limit: { bytes: number; setting: string }): FetchError {
  return new FetchError(`${url} is larger than ${limit.setting} (${limit.bytes} bytes)`, 'too-large');
}

function networkError(url: string, error: unknown, timedOut: boolean, timeoutMs: number): FetchError {
  if (error instanceof FetchError) return error;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code ?? '';
  if (code === 'ENEWSSTAND_PRIVATE') return privateAddress(url, cause?.message ?? 'a private network address');
  if (timedOut || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new FetchError(`no complete answer from ${url} within ${timeoutMs / 1000}s (fetch.timeout)`, 'timeout');
  }
  const kind: FetchErrorKind = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'dns' : code === 'ECONNREFUSED' ? 'connect' : 'network';
  const detail = cause?.message ?? (error instanceof Error ? error.message : String(error));
  const what = kind === 'dns' ? 'host not found' : kind === 'connect' ? 'connection refused' : detail;
  return new FetchError(`cannot fetch ${url}: ${what}${code && !what.includes(code) ? ` (${code})` : ''}`, kind);
}

function hasProxyEnvironment(): boolean {
  return ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'].some((name) => Boolean(process.env[name]));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * A weak ETag followed by its strong form. Servers that compress (RSSHub, and many behind a proxy) weaken their
 * ETag to `W/"…"` on the way out but compare If-None-Match strictly with the strong one they made, so the weak
 * tag alone never gets a 304. A list of tags is valid HTTP: a server that compares weakly matches either.
 */
function bothForms(etag: string): string {
  return etag.startsWith('W/') ? `${etag}, ${etag.slice(2)}` : etag;
}
