import type { FeedFormat } from '../item.js';
import { itemSpans } from './cap.js';

/**
 * Forms real feeds write that the XML parser (feedsmith) does not read, rewritten on the text into forms it
 * does, before parsing. Each rewrite works outside comments and CDATA sections, and runs only when the
 * document holds what it rewrites, so an ordinary feed is passed through untouched.
 *
 * RSS:
 * - every element written with the root's prefix (`<rss:rss xmlns:rss="…"><rss:channel>`): the prefix goes;
 * - categories in a `<categories>` wrapper: the wrapper goes, its categories are the item's;
 * - content only in `<body>` / `<xhtml:body>` (inline XHTML) or `<fullitem>` (escaped HTML): it becomes the
 *   item's `content:encoded` — feedsmith drops an item with none of the elements it knows;
 * - `dc:author` (not Dublin Core, but common) reads as `dc:creator`.
 * Atom:
 * - `<category>Name</category>` (no `term`, as Atom 0.3 and hand-written feeds put it): the text is the term;
 * - Atom 0.3 text in `mode="base64"`: decoded and written escaped, which is what it means.
 */
export function liftWildForms(text: string, document: { format: FeedFormat; root: string; prefix: string }): string {
  const { format } = document;
  if (format === 'atom1' || format === 'atom03') {
    let lifted = text;
    if (TEXT_CATEGORY_HINT.test(lifted)) lifted = outsideOpaque(lifted, textCategoriesAsTerms);
    if (format === 'atom03' && BASE64_HINT.test(lifted)) lifted = outsideOpaque(lifted, base64Decoded);
    return lifted;
  }
  // RDF (RSS 1.0 and 0.90) is prefixed by design and has no bodies.
  if (document.root !== 'rss') return DC_AUTHOR.test(text) ? outsideOpaque(text, dcAuthorAsCreator) : text;
  let lifted = text;
  if (document.prefix !== '') lifted = withoutPrefix(lifted, document.prefix);
  if (CATEGORIES_WRAPPER.test(lifted)) lifted = outsideOpaque(lifted, (part) => part.replace(CATEGORIES_WRAPPER_ALL, ''));
  if (DC_AUTHOR.test(lifted)) lifted = outsideOpaque(lifted, dcAuthorAsCreator);
  if (BODY_HINT.test(lifted)) lifted = withBodiesAsContent(lifted);
  return lifted;
}

const NAME = '[A-Za-z_][\\w.-]*';
const CONTENT_NAMESPACE = 'http://purl.org/rss/1.0/modules/content/';

/** `fn` applied to the text between comments and CDATA sections; those are copied as they are. */
function outsideOpaque(text: string, fn: (part: string) => string): string {
  const opaque = /<!--|<!\[CDATA\[/g;
  let out = '';
  let copied = 0;
  for (let match = opaque.exec(text); match; match = opaque.exec(text)) {
    const terminator = match[0] === '<!--' ? '-->' : ']]>';
    const end = text.indexOf(terminator, match.index + match[0].length);
    // An unterminated section runs to the end of the document, as the parser (or repair) will take it.
    const stop = end === -1 ? text.length : end + terminator.length;
    out += fn(text.slice(copied, match.index)) + text.slice(match.index, stop);
    copied = stop;
    opaque.lastIndex = stop;
  }
  return out + fn(text.slice(copied));
}

function withoutPrefix(text: string, prefix: string): string {
  const prefixed = new RegExp(`<(/?)${prefix.replace(/[.]/g, '\\.')}:(?=${NAME})`, 'g');
  return outsideOpaque(text, (part) => part.replace(prefixed, '<$1'));
}

const CATEGORIES_WRAPPER = /<\/?categories(?:\s[^>]*)?>/i;
const CATEGORIES_WRAPPER_ALL = new RegExp(CATEGORIES_WRAPPER.source, 'gi');

const DC_AUTHOR = /<\/?dc:author[\s/>]/;
function dcAuthorAsCreator(part: string): string {
  return part.replace(/<(\/?)dc:author(?=[\s/>])/g, '<$1dc:creator');
}

const BODY_HINT = new RegExp(`<(?:${NAME}:)?(?:body|fullitem)[\\s/>]`, 'i');
const BODY_ELEMENT = new RegExp(`<(/?)(?:(${NAME}):)?(body|fullitem)(?=[\\s/>])[^>]*>`, 'gi');

/** Items whose content is in `<body>`, `<xhtml:body>` or `<fullitem>`, and not in `content:encoded`, get it there. */
function withBodiesAsContent(text: string): string {
  let out = '';
  let copied = 0;
  for (const span of itemSpans(text, 'item')) {
    const item = text.slice(span.start, span.end);
    if (!BODY_HINT.test(item) || /<(?:[\w.-]+:)?encoded[\s>]/i.test(item)) continue;
    out += text.slice(copied, span.start) + bodyAsContent(item);
    copied = span.end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function bodyAsContent(item: string): string {
  // Only the first body element is the content: it is renamed from its start tag to its end tag.
  let state: 'before' | 'inside' | 'after' = 'before';
  let xhtmlPrefix = '';
  const lifted = outsideOpaque(item, (part) =>
    part.replace(BODY_ELEMENT, (tag, slash: string, prefix: string | undefined) => {
      if (slash) {
        if (state !== 'inside') return tag;
        state = 'after';
        return '</content:encoded>';
      }
      if (state !== 'before') return tag;
      if (prefix) xhtmlPrefix = prefix;
      if (tag.endsWith('/>')) {
        state = 'after';
        return '';
      }
      state = 'inside';
      return `<content:encoded xmlns:content="${CONTENT_NAMESPACE}">`;
    }),
  );
  // Inline XHTML written with a prefix (`<xhtml:p>`) is HTML once the prefix is gone.
  const html = xhtmlPrefix ? withoutPrefix(lifted, xhtmlPrefix) : lifted;
  const start = html.indexOf('<content:encoded ');
  const end = html.lastIndexOf('</content:encoded>');
  return start === -1 || end < start
    ? html
    : html.slice(0, start) + outsideOpaque(html.slice(start, end), withEmptyElementsClosed) + html.slice(end);
}

// HTML's void elements: the only ones an HTML parser lets close themselves.
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const SELF_CLOSED = /<([A-Za-z][\w.:-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*\/>/g;

/**
 * XHTML's `<p/>` or `<iframe src="…"/>` written as HTML reads it: `<p></p>`. An HTML parser ignores the slash,
 * and an element left open swallows what follows (an `<iframe>` turns the rest of the article into its text).
 */
function withEmptyElementsClosed(xhtml: string): string {
  return xhtml.replace(SELF_CLOSED, (tag, name: string, attributes: string) =>
    VOID.has(name.slice(name.indexOf(':') + 1).toLowerCase()) ? tag : `<${name}${attributes}></${name}>`,
  );
}

const TEXT_CATEGORY_HINT = new RegExp(`<(?:${NAME}:)?category(?:\\s[^>]*)?>[^<]`);
const TEXT_CATEGORY = new RegExp(`<((?:${NAME}:)?category)((?:\\s[^>]*)?)>([^<]*)</\\1\\s*>`, 'g');

function textCategoriesAsTerms(part: string): string {
  return part.replace(TEXT_CATEGORY, (element, name: string, attributes: string, content: string) => {
    const term = content.trim();
    if (term === '' || attributes.endsWith('/') || /\sterm\s*=/.test(attributes)) return element;
    return `<${name} term="${term.replace(/"/g, '&quot;')}"${attributes}/>`;
  });
}

const BASE64_HINT = /\smode\s*=\s*["']base64["']/i;
const BASE64_ELEMENT = new RegExp(`<((?:${NAME}:)?${NAME})(\\s[^>]*?\\smode\\s*=\\s*["']base64["'][^>]*)>([^<]*)</\\1\\s*>`, 'gi');

function base64Decoded(part: string): string {
  return part.replace(BASE64_ELEMENT, (element, name: string, attributes: string, encoded: string) => {
    const compact = encoded.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return element;
    const decoded = new TextDecoder().decode(Buffer.from(compact, 'base64'));
    const escaped = decoded.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return `<${name}${attributes.replace(/(\smode\s*=\s*)["']base64["']/i, '$1"escaped"')}>${escaped}</${name}>`;
  });
}
