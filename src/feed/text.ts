import { decodeHTML } from 'entities';
import { withoutNonXmlCharacters } from '../xml-text.js';

// Tags that break a line in HTML. Only these stand for whitespace: an inline tag (`<b>`, `<a>`) is dropped
// without a trace, or `完成 <b>首次</b> 实地` would gain spaces the publisher never wrote. The theme's
// ns_plain_text (themes/newsstand/scripts/helpers.js) copies this list; _scripts.test.ts there checks it.
const LINE_BREAKING_TAG = /^<\/?(?:br|p|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|blockquote|pre|hr|section|article|header|footer)\b/i;
const TAG_START = /^<\/?[A-Za-z]/;
const RAW_TEXT_TAG = /^<(script|style)[\s>/]/i;
const WHITESPACE = /[\s\u00a0\u3000]+/g;
const SPACES_ONLY = /^[ \u3000]+$/;

/** Longest title kept, in UTF-16 code units (about 300 characters; fewer when they are emoji). */
export const MAX_TITLE_LENGTH = 300;
/** Longest author or category name kept. */
export const MAX_NAME_LENGTH = 200;
// Raw text beyond this is never looked at for a title or name: after cleaning it would be cut anyway.
const MAX_RAW_LENGTH = 64 * 1024;

/**
 * A title or name as plain text: markup dropped, entities decoded (feeds often escape twice), line breaks,
 * tabs and other whitespace runs collapsed to one space, ends trimmed. Runs of plain or ideographic spaces
 * are kept: publishers use them as separators (the seed's title joins two headlines with two spaces).
 * With `maxLength`, the result is cut to at most that many code units at a character boundary, ending in "…".
 */
export function plainText(value: string, options: { html?: boolean; maxLength?: number } = {}): string {
  const html = options.html ?? true;
  let result = options.maxLength === undefined ? value : clipRaw(value, MAX_RAW_LENGTH, html);
  if (html) {
    // A line break, not a space: the whitespace pass below folds it, with the spaces around it, into one space.
    result = decodeHTML(stripMarkup(result));
    // A second pass catches `&amp;amp;`-style double escaping, common in RSS titles.
    if (/&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);/i.test(result)) result = decodeHTML(result);
  }
  result = withoutNonXmlCharacters(result)
    .replace(WHITESPACE, (run) => (SPACES_ONLY.test(run) ? run : ' '))
    .replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
  return options.maxLength === undefined ? result : clipText(result, options.maxLength);
}

/**
 * Tags and comments removed in one linear pass (line-breaking tags become '\n'). A `<` that opens no tag
 * (`a <b then` with no `>` after it) and an unterminated comment stay as text. Written as a scanner
 * because the regular expression it replaces rescanned to the end for every such `<`: a title of 100,000
 * `<a` took minutes.
 */
function stripMarkup(value: string): string {
  if (!value.includes('<')) return value;
  let out = '';
  let from = 0;
  // The next '>' / '-->' at or after the current position, or -1 when there is none left: each is
  // searched for again only once the scan has passed it, so the whole pass reads the text a bounded number of times.
  let nextGt = -2;
  let nextCommentEnd = -2;
  for (let lt = value.indexOf('<'); lt !== -1; lt = value.indexOf('<', lt + 1)) {
    if (lt < from) continue;
    if (value.startsWith('<!--', lt)) {
      if (nextCommentEnd !== -1 && nextCommentEnd < lt + 4) nextCommentEnd = value.indexOf('-->', lt + 4);
      if (nextCommentEnd === -1) continue;
      out += value.slice(from, lt);
      from = nextCommentEnd + 3;
      continue;
    }
    if (!TAG_START.test(value.slice(lt, lt + 3))) continue;
    if (nextGt !== -1 && nextGt < lt) nextGt = value.indexOf('>', lt);
    if (nextGt === -1) continue;
    const tag = value.slice(lt, Math.min(nextGt + 1, lt + 20));
    out += value.slice(from, lt) + (LINE_BREAKING_TAG.test(tag) ? '\n' : '');
    from = nextGt + 1;
    // Program text is no text: a <script> or <style> is dropped with its content, up to its end tag (or the
    // end of the value, as a browser would read it).
    const raw = RAW_TEXT_TAG.exec(tag);
    if (raw) {
      const closer = new RegExp(`</${raw[1]}`, 'gi');
      closer.lastIndex = from;
      const close = closer.exec(value);
      if (!close) return out;
      const end = value.indexOf('>', close.index);
      if (end === -1) return out;
      from = end + 1;
    }
  }
  return out + value.slice(from);
}

/** Made when first needed (a value over its limit is rare): ICU's segmenter takes 8–20 ms to make, every run. */
let graphemes: Intl.Segmenter | null = null;

/**
 * `value` cut to at most `max` UTF-16 code units, "…" included, at a grapheme boundary (an emoji, a flag or
 * a letter with its accents is kept whole or dropped whole), trailing whitespace removed before the "…".
 * A single grapheme longer than the limit (a letter under thousands of combining marks) is cut between code
 * points, never inside a surrogate pair.
 */
export function clipText(value: string, max: number): string {
  if (value.length <= max) return value;
  const budget = max - 1; // room for "…"
  let end = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment, index } of graphemes.segment(value)) {
    if (index + segment.length > budget) {
      if (end === 0) end = codePointBoundary(value, budget);
      break;
    }
    end = index + segment.length;
  }
  return `${value.slice(0, end).replace(/[\s\u3000]+$/, '')}…`;
}

/** The first `max` code units of a raw value, not splitting a surrogate pair, nor (in HTML) a tag or entity at the cut. */
function clipRaw(value: string, max: number, html: boolean): string {
  if (value.length <= max) return value;
  const clipped = value.slice(0, codePointBoundary(value, max));
  if (!html) return clipped;
  const lt = clipped.lastIndexOf('<');
  const cut = lt > clipped.lastIndexOf('>') && lt > clipped.length - 1024 ? clipped.slice(0, lt) : clipped;
  return cut.replace(/&[#\w]{0,32}$/, '');
}

/** `at`, or one less when `at` falls between the two halves of a surrogate pair. */
function codePointBoundary(value: string, at: number): number {
  const before = value.charCodeAt(at - 1);
  return before >= 0xd800 && before <= 0xdbff ? at - 1 : at;
}

/** Plain text turned into paragraphs of HTML, for items that carry only text (JSON Feed `content_text`). */
export function textToHtml(value: string): string {
  const escaped = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${paragraph.replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}
