import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import { DEFAULT_EMBED_HOSTS } from '../config/defaults.js';
import { withoutNonXmlCharacters } from '../xml-text.js';
import { escapeAttribute, escapeText, withoutBlankLines } from './escape.js';
import { declaredSize, isTrackingPixel, realImageSource } from './images.js';
import { isLeadImageCandidate } from './lead-image.js';
import {
  ALLOWED_ELEMENTS,
  ATTRIBUTE_VALUES,
  DROPPED_WITH_CONTENT,
  GLOBAL_ATTRIBUTES,
  PREFORMATTED,
  RENAMED_ELEMENTS,
  URL_ATTRIBUTES,
  VOID_ELEMENTS,
} from './policy.js';
import { safeLinkUrl, safeMediaUrl, safeSrcset, widestSrcsetUrl } from './urls.js';

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
  /** Hosts whose players may be embedded (`*.example.com` for any subdomain); default DEFAULT_EMBED_HOSTS. */
  embedHosts?: readonly string[];
  /** Applied to every text node (Chinese conversion); never to attributes or URLs. */
  convertText?: (text: string) => string;
  /** Mirrored images: remote URL → the local copy the post points to instead. */
  localImages?: ReadonlyMap<string, string>;
}

export interface CleanedContent {
  /** Allowlisted HTML, absolute URLs, inert inside a Hexo post (see escape.ts). */
  html: string;
  /** The input had more than MAX_ELEMENTS tags and was cut there. */
  truncated: boolean;
  /** The first image fit to stand for the article (no pixel, icon, avatar, emoji or small image), "" when none. */
  leadImage: string;
  /** Every remote http(s) image the HTML shows (`<img>` sources, video posters), in order, each once. */
  remoteImages: string[];
}

/**
 * Most tags parsed from one item. parse5 spends about 700 bytes per element, so an item of 2 MB of `<p>x</p>`
 * (or 100,000 nested `<div>`s) took 100–200 MB to parse; real articles have a few thousand elements.
 */
export const MAX_ELEMENTS = 20_000;

/** Third-party HTML → HTML safe to publish, in one parse and one walk. */
export function cleanHtml(html: string, options: CleanOptions): CleanedContent {
  const walk = new CleaningWalk(options);
  const cut = elementLimit(html, MAX_ELEMENTS);
  // Parsed as a browser without scripts would: <noscript> then holds markup (its fallback, which readers of a
  // post without scripts should see), not raw text.
  walk.run(parseFragment(cut === -1 ? html : html.slice(0, cut), { scriptingEnabled: false }));
  return { html: withoutBlankLines(walk.output), truncated: cut !== -1, leadImage: walk.leadImage, remoteImages: [...walk.remoteImages] };
}

/** Where the tag after the first `max` starts (the parser closes what is open there), or -1 when there are no more. */
function elementLimit(html: string, max: number): number {
  let count = 0;
  for (let lt = html.indexOf('<'); lt !== -1; lt = html.indexOf('<', lt + 1)) {
    const next = html.charCodeAt(lt + 1);
    const isLetter = (next >= 0x41 && next <= 0x5a) || (next >= 0x61 && next <= 0x7a);
    if (isLetter && ++count > max) return lt;
  }
  return -1;
}

/** A node still to visit, or the work left when an element's children are done (its end tag). */
type Step = Node | (() => void);

class CleaningWalk {
  output = '';
  leadImage = '';
  readonly remoteImages = new Set<string>();
  private preformatted = 0;
  private inNoscript = 0;
  private readonly embedHosts: readonly string[];
  // An explicit stack rather than recursion: parse5 builds a tree as deep as the input nests, and a
  // feed with ~20 000 nested <div>s overflowed the call stack, failing the whole source.
  private readonly steps: Step[] = [];

  constructor(private readonly options: CleanOptions) {
    this.embedHosts = (options.embedHosts ?? DEFAULT_EMBED_HOSTS).map((host) => host.toLowerCase());
  }

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
    const tag = RENAMED_ELEMENTS.get(element.tagName) ?? element.tagName;
    if (DROPPED_WITH_CONTENT.has(tag)) return;

    const allowed = ALLOWED_ELEMENTS.get(tag);
    if (!allowed) {
      // Unknown wrappers (noscript, label, custom elements) give up their tag and keep their content.
      if (tag === 'noscript') {
        this.inNoscript++;
        this.steps.push(() => this.inNoscript--);
      }
      this.pushChildren(element);
      return;
    }
    const attributes = this.attributes(element, tag, allowed);
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
    const text = this.options.convertText ? this.options.convertText(value) : value;
    this.output += escapeText(withoutNonXmlCharacters(text), this.preformatted > 0);
  }

  /** The element's kept attributes as markup, or null when the element itself must go. */
  private attributes(element: Element, tag: string, allowed: ReadonlySet<string>): string | null {
    // Most elements of an article (<p>, <li>, <em>…) have none: no maps for them.
    if (element.attrs.length === 0 && !GIVEN_ATTRIBUTES.has(tag)) return '';
    const source = new Map<string, string>();
    for (const attribute of element.attrs) {
      if (!attribute.namespace && !source.has(attribute.name)) source.set(attribute.name, attribute.value);
    }
    const kept = new Map<string, string>();
    const base = this.options.baseUrl;
    // Local copies of mirrored images are site paths: set after the URL checks, which would resolve them.
    const local = new Map<string, string>();

    if (tag === 'img') {
      const { src, srcset } = realImageSource(source);
      // An image given only as a srcset still needs a src: the widest candidate.
      const safeSrc = safeMediaUrl(src.trim() || widestSrcsetUrl(srcset), base, { allowDataImage: true });
      if (safeSrc === '' || isTrackingPixel(safeSrc, source)) return null;
      // Lazy loaders follow their image with its <noscript> copy: shown once, not twice.
      if (this.inNoscript > 0 && this.remoteImages.has(safeSrc)) return null;
      const remote = /^https?:/i.test(safeSrc);
      if (remote) this.remoteImages.add(safeSrc);
      const localSrc = this.options.localImages?.get(safeSrc);
      source.set('src', safeSrc);
      if (localSrc) local.set('src', localSrc);
      // A mirrored image is shown from its local copy; remote candidates would take precedence over it.
      if (srcset && !localSrc) source.set('srcset', srcset);
      else source.delete('srcset');
      if (this.leadImage === '' && remote && isLeadImageCandidate(safeSrc, source, declaredSize(source)))
        this.leadImage = localSrc ?? safeSrc;
    }
    // See above: the <img> in the <picture> is local.
    if (tag === 'source' && this.options.localImages?.size && source.has('srcset')) return null;
    if (tag === 'iframe' && !this.isAllowedEmbed(source.get('src') ?? '', base)) return null;
    if (tag === 'video' && source.has('poster')) {
      const poster = safeMediaUrl(source.get('poster')!, base);
      if (poster) this.remoteImages.add(poster);
      const localPoster = this.options.localImages?.get(poster);
      if (localPoster) local.set('poster', localPoster);
    }

    for (const [name, value] of source) {
      if (!allowed.has(name) && !GLOBAL_ATTRIBUTES.has(name)) continue;
      if (name === 'srcset') {
        const safe = safeSrcset(value, base);
        if (safe) kept.set(name, safe);
      } else if (URL_ATTRIBUTES.has(name)) {
        const safe = name === 'href' ? safeLinkUrl(value, base) : safeMediaUrl(value, base, { allowDataImage: tag === 'img' });
        if (safe) kept.set(name, name === 'href' ? inPageTarget(safe) : safe);
      } else if (name === 'id' || name === 'name') {
        // Kept for in-page links (footnotes, old-style `<a name>` anchors, image maps), prefixed so that no id of
        // ours can be shadowed by content.
        const id = value.trim();
        if (/^[\w:.-]{1,100}$/u.test(id)) kept.set(name, withContentPrefix(id));
      } else if (name === 'usemap') {
        const map = value.trim();
        if (/^#[\w:.-]{1,100}$/u.test(map)) kept.set(name, inPageTarget(map));
      } else if (ATTRIBUTE_VALUES.has(name)) {
        const form = value.trim();
        if (ATTRIBUTE_VALUES.get(name)!.test(form)) kept.set(name, form);
      } else {
        kept.set(name, value);
      }
    }

    for (const [name, value] of local) kept.set(name, value);
    if ((tag === 'a' || tag === 'area') && kept.has('href')) kept.set('rel', 'noopener noreferrer');
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
    for (const [name, value] of kept) markup += ` ${name}="${escapeAttribute(withoutNonXmlCharacters(value))}"`;
    return markup;
  }

  private isAllowedEmbed(src: string, base: string): boolean {
    const url = safeMediaUrl(src, base);
    if (!url) return false;
    const host = new URL(url).hostname.toLowerCase();
    return this.embedHosts.some((allowed) => (allowed.startsWith('*.') ? host.endsWith(allowed.slice(1)) : host === allowed));
  }
}

/** Elements that are dropped, or given attributes of ours, whatever attributes they come with (see attributes). */
const GIVEN_ATTRIBUTES = new Set(['img', 'iframe', 'video', 'audio']);

/** Content ids carry this prefix (as GitHub does) so they cannot clobber the page's own ids or globals. */
const CONTENT_ID_PREFIX = 'user-content-';

function withContentPrefix(id: string): string {
  return id.startsWith(CONTENT_ID_PREFIX) ? id : `${CONTENT_ID_PREFIX}${id}`;
}

/** An in-page link (`#note-1`) follows its target's prefixed id. */
function inPageTarget(href: string): string {
  return href.startsWith('#') && href.length > 1 ? `#${withContentPrefix(href.slice(1))}` : href;
}
