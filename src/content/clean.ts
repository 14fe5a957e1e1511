import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import { escapeAttribute, escapeText, withoutBlankLines } from './escape.js';
import { isTrackingPixel, realImageSource } from './images.js';
import {
  ALLOWED_ELEMENTS,
  DROPPED_WITH_CONTENT,
  EMBED_HOSTS,
  GLOBAL_ATTRIBUTES,
  PREFORMATTED,
  URL_ATTRIBUTES,
  VOID_ELEMENTS,
} from './policy.js';
import { safeLinkUrl, safeMediaUrl, safeSrcset } from './urls.js';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const HTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

export interface ImageOptions {
  /** Written on every `<img>` (and embeds); "" writes none. */
  referrerPolicy: string;
  /** `loading="lazy"` on every `<img>`. */
  lazy: boolean;
}

export interface CleanOptions {
  /** What relative URLs resolve against: xml:base, else the item link, else the feed URL. */
  baseUrl: string;
  images: ImageOptions;
}

export interface CleanedContent {
  /** Allowlisted HTML, absolute URLs, inert inside a Hexo post (see escape.ts). */
  html: string;
  /** The first image that is not a tracking pixel, "" when none. */
  leadImage: string;
}

/** Third-party HTML → HTML safe to publish, in one parse and one walk. */
export function cleanHtml(html: string, options: CleanOptions): CleanedContent {
  const walk = new CleaningWalk(options);
  walk.children(parseFragment(html));
  return { html: withoutBlankLines(walk.output), leadImage: walk.leadImage };
}

class CleaningWalk {
  output = '';
  leadImage = '';
  private preformatted = 0;

  constructor(private readonly options: CleanOptions) {}

  children(parent: { childNodes: Node[] }): void {
    for (const child of parent.childNodes) this.node(child);
  }

  private node(node: Node): void {
    if (node.nodeName === '#text') {
      this.text((node as DefaultTreeAdapterTypes.TextNode).value);
      return;
    }
    if (!('tagName' in node)) return; // comments, doctypes
    const element = node as Element;
    // SVG and MathML are where parser-confusion attacks live; none of it is kept.
    if (element.namespaceURI !== HTML_NAMESPACE) return;
    const tag = element.tagName;
    if (DROPPED_WITH_CONTENT.has(tag)) return;

    const allowed = ALLOWED_ELEMENTS.get(tag);
    if (!allowed) {
      this.children(element); // unknown wrappers (font, center, …) give up their tag, keep their content
      return;
    }
    const attributes = this.attributes(element, allowed);
    if (attributes === null) return;

    this.output += `<${tag}${attributes}>`;
    if (VOID_ELEMENTS.has(tag)) return;
    const preformatted = PREFORMATTED.has(tag);
    if (preformatted) {
      this.preformatted++;
      // The parser drops one line break right after <pre>; keep a leading one that belongs to the text.
      const first = element.childNodes[0];
      if (first?.nodeName === '#text' && /^\r?\n/.test((first as DefaultTreeAdapterTypes.TextNode).value)) this.output += '&#10;';
    }
    this.children(element);
    if (preformatted) this.preformatted--;
    this.output += `</${tag}>`;
  }

  private text(value: string): void {
    this.output += escapeText(value, this.preformatted > 0);
  }

  /** The element's kept attributes as markup, or null when the element itself must go. */
  private attributes(element: Element, allowed: ReadonlySet<string>): string | null {
    const tag = element.tagName;
    const source = new Map<string, string>();
    for (const attribute of element.attrs) {
      if (!attribute.namespace && !source.has(attribute.name)) source.set(attribute.name, attribute.value);
    }
    const kept = new Map<string, string>();
    const base = this.options.baseUrl;

    if (tag === 'img') {
      const { src, srcset } = realImageSource(source);
      const safeSrc = safeMediaUrl(src, base, { allowDataImage: true });
      if (safeSrc === '' || isTrackingPixel(safeSrc, source)) return null;
      source.set('src', safeSrc);
      if (srcset) source.set('srcset', srcset);
      else source.delete('srcset');
      if (this.leadImage === '' && /^https?:/i.test(safeSrc)) this.leadImage = safeSrc;
    }
    if (tag === 'iframe' && !isAllowedEmbed(source.get('src') ?? '', base)) return null;

    for (const [name, value] of source) {
      if (!allowed.has(name) && !GLOBAL_ATTRIBUTES.has(name)) continue;
      if (name === 'srcset') {
        const safe = safeSrcset(value, base);
        if (safe) kept.set(name, safe);
      } else if (URL_ATTRIBUTES.has(name)) {
        const safe = name === 'href' ? safeLinkUrl(value, base) : safeMediaUrl(value, base, { allowDataImage: tag === 'img' });
        if (safe) kept.set(name, safe);
      } else {
        kept.set(name, value);
      }
    }

    if (tag === 'a' && kept.has('href')) kept.set('rel', 'noopener noreferrer');
    if (tag === 'img') {
      if (this.options.images.lazy) kept.set('loading', 'lazy');
      if (this.options.images.referrerPolicy) kept.set('referrerpolicy', this.options.images.referrerPolicy);
    }
    if (tag === 'iframe') {
      kept.set('sandbox', 'allow-scripts allow-same-origin allow-presentation');
      if (this.options.images.referrerPolicy) kept.set('referrerpolicy', this.options.images.referrerPolicy);
    }
    if ((tag === 'video' || tag === 'audio') && !kept.has('controls')) kept.set('controls', '');

    let markup = '';
    for (const [name, value] of kept) markup += ` ${name}="${escapeAttribute(value)}"`;
    return markup;
  }
}

function isAllowedEmbed(src: string, base: string): boolean {
  const url = safeMediaUrl(src, base);
  if (!url) return false;
  return EMBED_HOSTS.has(new URL(url).hostname.toLowerCase());
}
