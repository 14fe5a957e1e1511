/** Local copies of a post's images: downloaded once, checked to be images, stored in the Hexo site by content. */
import { isHttpUrl } from '../../config/units.js';
import { FetchError } from '../../errors.js';
import type { HttpClient } from '../../fetch/http-client.js';
import { hasStoredImage, storeImage } from './image-store.js';
import { sniffImageType } from './image-type.js';

/** The Referer sent with image requests: none, the article's origin, or a fixed http(s) URL. */
export type RefererSetting = 'none' | 'origin' | string;

/** What the site's state remembers between runs: which URL was saved as which file. */
export interface ImageCache {
  fileFor(url: string): string | undefined;
  remember(url: string, file: string): void;
}

export interface ImageMirrorOptions {
  client: HttpClient;
  /** Absolute, e.g. `<site>/source/images`. */
  imagesDir: string;
  /** What a stored file is published as: `urlPrefix + file`, e.g. `/images/` + `ab/ab12….jpg`. */
  urlPrefix: string;
  /** Largest image accepted, in bytes. */
  maxBytes: number;
  cache: ImageCache;
  /** Refuse images on private, loopback and link-local addresses (they are named by the feed, not the user). */
  publicOnly: boolean;
  signal?: AbortSignal;
}

export interface MirroredImage {
  /** The local URL the post points at. */
  url: string;
  /** The stored file, relative to `imagesDir`. */
  file: string;
}

const ACCEPT = 'image/avif,image/webp,image/png,image/jpeg,image/gif,image/*;q=0.8';
// Servers that do not know what they hold; the bytes decide.
const UNTYPED = new Set(['application/octet-stream', 'binary/octet-stream']);

export class ImageMirror {
  /** In flight, and failed for the rest of this run; a finished success is dropped so the cache answers next time. */
  private readonly pending = new Map<string, Promise<MirroredImage | null>>();
  private failureCount = 0;
  private lastFailure = '';

  constructor(private readonly options: ImageMirrorOptions) {}

  /** Why the last failures happened, for a status line: count and the last message. */
  get failures(): { count: number; last: string } {
    return { count: this.failureCount, last: this.lastFailure };
  }

  /**
   * The local copy of `url`, downloading it if needed; null when it cannot be mirrored (the caller keeps the remote
   * URL). Never rejects.
   */
  mirror(url: string, context: { referer: RefererSetting; articleUrl: string }): Promise<MirroredImage | null> {
    if (!isHttpUrl(url)) return Promise.resolve(null);
    const known = this.pending.get(url);
    if (known) return known;
    // A FetchError already names the URL; anything else (a full disk, a broken cache) does not.
    const outcome = this.fetchAndStore(url, context).catch((error: unknown) =>
      this.fail(
        error instanceof FetchError ? error.message : `cannot mirror ${url}: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
    this.pending.set(url, outcome);
    void outcome.then((image) => {
      if (image) this.pending.delete(url);
    });
    return outcome;
  }

  private async fetchAndStore(url: string, context: { referer: RefererSetting; articleUrl: string }): Promise<MirroredImage | null> {
    const { client, imagesDir, cache, maxBytes, publicOnly, signal } = this.options;
    const cached = cache.fileFor(url);
    if (cached !== undefined && (await hasStoredImage(imagesDir, cached))) return this.published(cached);

    const referer = refererFor(context.referer, context.articleUrl);
    const response = await client.get(url, {
      headers: referer ? { referer } : {},
      accept: ACCEPT,
      maxBytes: { bytes: maxBytes, setting: 'images.maxBytes' },
      signal,
      retries: 1,
      publicOnly,
    });
    const mediaType = (response.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType === 'image/svg+xml') return this.fail(`${url} is an SVG, which is not mirrored (it could run script on the site)`);
    if (mediaType !== '' && !UNTYPED.has(mediaType) && !mediaType.startsWith('image/'))
      return this.fail(`${url} is ${mediaType}, not an image`);
    const type = sniffImageType(response.bytes);
    if (!type) return this.fail(`${url} is not an image: its content is none of JPEG, PNG, GIF, WebP, AVIF, BMP, ICO`);

    const file = await storeImage(imagesDir, response.bytes, type.ext);
    cache.remember(url, file);
    return this.published(file);
  }

  private published(file: string): MirroredImage {
    return { url: this.options.urlPrefix + file, file };
  }

  private fail(message: string): null {
    this.failureCount++;
    this.lastFailure = message;
    return null;
  }
}

function refererFor(setting: RefererSetting, articleUrl: string): string | null {
  if (setting === 'none') return null;
  if (setting === 'origin') return isHttpUrl(articleUrl) ? `${new URL(articleUrl).origin}/` : null;
  return isHttpUrl(setting) ? new URL(setting).href : null;
}
