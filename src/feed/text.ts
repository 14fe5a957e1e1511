import { decodeHTML } from 'entities';

const TAG = /<\/?[A-Za-z][^>]*>|<!--[\s\S]*?-->/g;
// Tags that break a line in HTML. Only these stand for whitespace: an inline tag (`<b>`, `<a>`) is dropped
// without a trace, or `完成 <b>首次</b> 实地` would gain spaces the publisher never wrote.
const LINE_BREAKING_TAG = /^<\/?(?:br|p|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|blockquote|pre|hr|section|article|header|footer)\b/i;
const WHITESPACE = /[\s\u00a0\u3000]+/g;
const SPACES_ONLY = /^[ \u3000]+$/;
// Characters no title should carry: C0/C1 controls other than whitespace, and noncharacters.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;
// Unpaired surrogates cannot be written as UTF-8 or YAML.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A title or name as plain text: markup dropped, entities decoded (feeds often escape twice), line breaks,
 * tabs and other whitespace runs collapsed to one space, ends trimmed. Runs of plain or ideographic spaces
 * are kept: publishers use them as separators (the seed's title joins two headlines with two spaces).
 */
export function plainText(value: string, options: { html?: boolean } = {}): string {
  let result = value;
  if (options.html ?? true) {
    // A line break, not a space: the whitespace pass below folds it, with the spaces around it, into one space.
    result = decodeHTML(result.replace(TAG, (tag) => (LINE_BREAKING_TAG.test(tag) ? '\n' : '')));
    // A second pass catches `&amp;amp;`-style double escaping, common in RSS titles.
    if (/&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);/i.test(result)) result = decodeHTML(result);
  }
  return result
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(INVISIBLE, '')
    .replace(WHITESPACE, (run) => (SPACES_ONLY.test(run) ? run : ' '))
    .replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
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
