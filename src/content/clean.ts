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
  walk.run(parseFragment(html));
  return { html: withoutBlankLines(walk.output), leadImage: walk.leadImage };
}

/** A node still to visit, or the work left when an element's children are done (its end tag). */
type Step = Node | (() => void);

class CleaningWalk {
  output = '';
  leadImage = '';
  private preformatted = 0;
  // An explicit stack rather than recursion: parse5 builds a tree as deep as the input nests, and a
  // feed with ~20 000 nested <div>s overflowed the call stack, failing the whole source.
  private readonly steps: Step[] = [];

  constructor(private readonly options: CleanOptions) {}

  run(root: { childNodes: Node[] }): void {
    this.pushChildren(root);
    for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop()) {
      if (typeof step === 'function') step();
      else this.node(step);
    }
  }

  /** Children go on the stack last-first, so they come off in document order. */
  private pushChildren(parent: { childNodes: Node[] }): void {
    for (let index = parent.childNodes.length - 1; index >= 0; index--) this.steps.push(parent.childNodes[index]!);
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
      this.pushChildren(element); // unknown wrappers (font, center, …) give up their tag, keep their content
      return;
    }
    const attributes = this.attributes(element, allowed);
    if (attributes === null) return;

    this.output += `<${tag}${attributes}>`;
    if (VOID_ELEMENTS.has(tag)) return;
    const preformatted = PREFORMATTED.has(tag);
    if (preformatted) this.preformatted++;
    const contentStart = this.output.length;
    this.steps.push(() => {
      if (preformatted) {
        this.preformatted--;
        // The parser drops one line break right after <pre>, even one written &#10;. When what we wrote
        // starts with one, it is content (the source's own first break was dropped when we parsed it),
        // so double it. Checked on the output, not the first child: an unwrapped <font> or a dropped
        // comment before the text would otherwise let the break be eaten.
        if (this.output.startsWith('&#10;', contentStart)) {
          this.output = `${this.output.slice(0, contentStart)}&#10;${this.output.slice(contentStart)}`;
        }
      }
      this.output += `</${tag}>`;
    });
    this.pushChildren(element);
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
      // Players check who embeds them (YouTube refuses an embed that sends no referrer): send the origin only.
      kept.set('referrerpolicy', 'strict-origin-when-cross-origin');
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
