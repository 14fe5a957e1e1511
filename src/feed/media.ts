import type { Enclosure } from '../item.js';
import { resolveUrl } from './links.js';
import { list, record, text } from './read.js';

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif|bmp)(?:[?#]|$)/i;

/**
 * The picture a feed attaches to an item outside its content, in order of intent:
 * media:thumbnail, an image media:content (also inside media:group), an image enclosure, itunes:image.
 */
export function attachedImage(item: Record<string, unknown>, enclosures: Enclosure[], bases: string[]): string {
  const media = record(item.media);
  const groups = list(media.groups).map(record);
  const thumbnails = [media, ...groups].flatMap((m) => list(m.thumbnails).map(record));
  const contents = [media, ...groups].flatMap((m) => list(m.contents).map(record));

  const candidates = [
    ...thumbnails.map((t) => text(t.url)),
    ...contents.filter(isImageContent).map((c) => text(c.url)),
    ...enclosures.filter((e) => e.type.startsWith('image/') || (e.type === '' && IMAGE_EXTENSION.test(e.url))).map((e) => e.url),
    text(record(item.itunes).image),
  ];
  for (const candidate of candidates) {
    const url = resolveUrl(candidate, ...bases);
    if (/^https?:/i.test(url)) return url;
  }
  return '';
}

function isImageContent(content: Record<string, unknown>): boolean {
  const medium = text(content.medium).toLowerCase();
  const type = text(content.type).toLowerCase();
  if (medium) return medium === 'image';
  if (type) return type.startsWith('image/');
  return IMAGE_EXTENSION.test(text(content.url));
}

export function enclosure(url: string, type: unknown, length: unknown): Enclosure {
  const size = Number(length);
  return { url, type: text(type).trim().toLowerCase(), length: Number.isFinite(size) && size > 0 ? Math.floor(size) : 0 };
}
