/**
 * Escaping that makes cleaned HTML inert inside a Hexo post. Hexo runs post bodies through its code-fence
 * filter, Nunjucks and Markdown: braces become character references so no `{{ }}`, `{% %}` or `{# #}`
 * survives, and line breaks are arranged so that no blank line ends the Markdown HTML block the body sits
 * in. A browser reads the result exactly as the original text.
 */

// Backticks and tildes too: Hexo's backtick_code_block filter runs before Markdown and turns a line that
// starts with ``` or ~~~ (even inside our HTML block) into a highlighted code block. Carriage returns too:
// the HTML parser keeps one written `&#13;` in the text, and Markdown reads it as a line end, so two of
// them made a blank line that ended the HTML block and let the rest be rendered as Markdown.
const TEXT_SPECIALS = /[&<>{}`~\r\u00a0]/g;
const ATTRIBUTE_SPECIALS = /[&"<>{}\n\r\t\u00a0]/g;
const REFERENCES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '{': '&#123;',
  '}': '&#125;',
  '`': '&#96;',
  '~': '&#126;',
  '\u00a0': '&nbsp;',
  '\n': '&#10;',
  '\r': '&#13;',
  '\t': '&#9;',
};

const replaceSpecial = (character: string) => REFERENCES[character] ?? character;

export function escapeAttribute(value: string): string {
  return value.replace(ATTRIBUTE_SPECIALS, replaceSpecial);
}

/** Text between tags; inside `<pre>` line breaks become references so they survive as typed. */
export function escapeText(value: string, preformatted: boolean): string {
  if (!preformatted) return value.replace(TEXT_SPECIALS, replaceSpecial);
  return value.replace(/\r\n?/g, '\n').replace(TEXT_SPECIALS, replaceSpecial).replace(/\n/g, '&#10;');
}

/**
 * Folds every run of blank lines to one line break. Only raw line breaks between tags remain at this
 * point (those in `<pre>` and attributes are references), and HTML renders the folded form alike.
 */
export function withoutBlankLines(html: string): string {
  return html.replace(/\n(?:[ \t\f\r]*\n)+/g, '\n').replace(/^[ \t\f\r]*\n|\n[ \t\f\r]*$/g, '');
}
