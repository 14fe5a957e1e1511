import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { UserError } from '../errors.js';
import { realImageSource } from './images.js';
import { safeMediaUrl, safeSrcset } from './urls.js';

/** The full text of an item could not be had from its page: not a page, no article, a bad selector. */
export class ExtractError extends UserError {}

export interface ExtractedArticle {
  /** The article's HTML, not yet cleaned; its URLs are absolute. */
  html: string;
  title: string;
  /** The page's og:image or twitter:image, absolute http(s), "" when none. */
  image: string;
  /** What relative URLs on the page resolve against: its `<base href>`, else its URL. */
  baseUrl: string;
}

// The few DOM members used here: the project compiles without the DOM library, so linkedom's types say `any`.
interface PageNode {
  readonly nodeType: number;
  readonly nodeValue: string | null;
  readonly childNodes: ArrayLike<PageNode>;
}

interface PageElement extends PageNode {
  readonly localName: string;
  readonly innerHTML: string;
  readonly textContent: string | null;
  readonly parentElement: PageElement | null;
  readonly attributes: ArrayLike<{ name: string; value: string }>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}

interface PageDocument {
  readonly documentElement: PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}

// Readability's 500 suits English; a Chinese article says as much in far fewer characters, and one shorter
// than the threshold sends Readability to looser passes that take in the comments and ads around it.
const ARTICLE_MIN_CHARS = 200;
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
// Text and images inside these are no article: a login form, a script's source.
const NOT_CONTENT = new Set(['form', 'script', 'style', 'noscript', 'template']);
const MEDIA = new Set(['img', 'picture', 'video', 'audio', 'iframe']);
const URL_ATTRIBUTES = ['src', 'href', 'poster'];
// A value that names its own scheme (https:, mailto:, data:, javascript:) is left for the cleaner to judge.
const HAS_SCHEME = /^[a-z][a-z\d+.-]*:/i;

/** null when the page holds no article (or the selector matches nothing). */
export function extractArticle(html: string, options: { url: string; selector?: string }): ExtractedArticle | null {
  const document = parsePage(html);
  const baseUrl = baseUrlOf(document, options.url);
  // Read before Readability, which rewrites the document as it goes.
  const image = metaImage(document, options.url);
  // Not `document.title`: linkedom reads it from <head> only, which a page that omits its tags has not.
  const pageTitle = metaContent(document, 'og:title') || (document.querySelector('title')?.textContent?.trim() ?? '');
  for (const img of Array.from(document.querySelectorAll('img'))) promoteLazySource(img);

  let roots: PageElement[];
  let title: string;
  if (options.selector === undefined) {
    const article = new Readability(document, { charThreshold: ARTICLE_MIN_CHARS, serializer: (node) => node as PageElement }).parse();
    // Readability wraps what it found in a page <div> of its own: the article is inside it.
    roots = article?.content ? [article.content.querySelectorAll('#readability-page-1')[0] ?? article.content] : [];
    title = article?.title?.trim() || pageTitle;
  } else {
    roots = outermost(selectAll(document, options.selector));
    title = pageTitle;
  }
  if (!roots.some(hasContent)) return null;
  for (const root of roots) makeUrlsAbsolute(root, baseUrl);
  return { html: roots.map((root) => root.innerHTML).join('\n'), title, image, baseUrl };
}

/** The page's DOM, with the `<html>` and `<body>` that HTML lets a page omit (linkedom does not imply them). */
function parsePage(html: string): PageDocument {
  const { document } = parseHTML(html) as { document: PageDocument };
  if (document.documentElement?.localName === 'html') return document;
  const content = html.replace(/^\s*<!doctype[^>]*>/i, '');
  const page = /<body[\s>]/i.test(content) ? content : `<body>${content}</body>`;
  return (parseHTML(`<!DOCTYPE html><html>${page}</html>`) as { document: PageDocument }).document;
}

function baseUrlOf(document: PageDocument, url: string): string {
  const href = document.querySelector('base[href]')?.getAttribute('href')?.trim();
  if (!href) return url;
  try {
    const base = new URL(href, url);
    return base.protocol === 'http:' || base.protocol === 'https:' ? base.href : url;
  } catch {
    return url;
  }
}

function metaImage(document: PageDocument, url: string): string {
  for (const key of ['og:image', 'twitter:image']) {
    const image = safeMediaUrl(metaContent(document, key), url);
    if (image) return image;
  }
  return '';
}

/** A `<meta>` value; Open Graph names go in `property`, but many pages put them in `name`. */
function metaContent(document: PageDocument, key: string): string {
  const meta = document.querySelector(`meta[property="${key}"][content], meta[name="${key}"][content]`);
  return meta?.getAttribute('content')?.trim() ?? '';
}

/** Readability drops images a lazy-loading script would have filled in; the real source goes in `src` first. */
function promoteLazySource(img: PageElement): void {
  const attributes = new Map(Array.from(img.attributes, (attribute) => [attribute.name, attribute.value] as const));
  const { src, srcset } = realImageSource(attributes);
  if (src !== (attributes.get('src') ?? '')) img.setAttribute('src', src);
  if (srcset && srcset !== attributes.get('srcset')) img.setAttribute('srcset', srcset);
}

function selectAll(document: PageDocument, selector: string): PageElement[] {
  try {
    return Array.from(document.querySelectorAll(selector));
  } catch (error) {
    const reason = error instanceof Error && error.message ? ` (${error.message.trim()})` : '';
    throw new ExtractError(`fullText.selector "${selector}" is not a valid CSS selector${reason}: fix it in newsstand.yml`);
  }
}

/** Matches not inside another match: a selector such as `.content, .content p` must not repeat text. */
function outermost(elements: PageElement[]): PageElement[] {
  const matched = new Set(elements);
  return elements.filter((element) => {
    for (let ancestor = element.parentElement; ancestor; ancestor = ancestor.parentElement) {
      if (matched.has(ancestor)) return false;
    }
    return true;
  });
}

/** Any text or media outside forms and scripts. */
function hasContent(root: PageElement): boolean {
  const pending: PageNode[] = Array.from(root.childNodes);
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.nodeType === TEXT_NODE && node.nodeValue?.trim()) return true;
    if (node.nodeType !== ELEMENT_NODE) continue;
    const name = (node as PageElement).localName.toLowerCase();
    if (MEDIA.has(name)) return true;
    if (!NOT_CONTENT.has(name)) pending.push(...Array.from(node.childNodes));
  }
  return false;
}

/** Relative URLs resolved while the base is known: the extracted HTML leaves the page behind. */
function makeUrlsAbsolute(root: PageElement, baseUrl: string): void {
  for (const element of Array.from(root.querySelectorAll('[src], [href], [poster], [srcset]'))) {
    for (const name of URL_ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value !== null) element.setAttribute(name, absoluteUrl(value, baseUrl));
    }
    const srcset = element.getAttribute('srcset');
    if (srcset === null) continue;
    const absolute = safeSrcset(srcset, baseUrl);
    if (absolute) element.setAttribute('srcset', absolute);
    else element.removeAttribute('srcset');
  }
}

function absoluteUrl(value: string, baseUrl: string): string {
  const trimmed = value.trim();
  // In-page anchors stay as they are, as the cleaner keeps them.
  if (trimmed === '' || trimmed.startsWith('#') || HAS_SCHEME.test(trimmed)) return value;
  try {
    return new URL(trimmed, baseUrl).href;
  } catch {
    return value;
  }
}
