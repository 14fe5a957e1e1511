/**
 * The characters no text newsstand writes may carry. XML 1.0 cannot carry C0 controls other than tab, LF and
 * CR, nor U+FFFE and U+FFFF, not even as references; DEL and the C1 controls it allows, but they are invisible
 * and no page means them. One such character in a post broke every XML reader of the site, its own feed
 * included. Unpaired surrogates cannot be written as UTF-8 at all: they become U+FFFD, as a UTF-8 encoder
 * writes them, and before anything is removed, so two halves that only a removed control kept apart stay
 * two characters instead of meeting as a pair the text never had.
 *
 * The bundled theme's scripts/feeds.js keeps a copy of this rule (it runs in the site's Hexo, which does not
 * load newsstand's modules); themes/newsstand/_scripts.test.ts checks that the two agree.
 */

const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;

/** `text` without the characters above; each unpaired surrogate becomes U+FFFD (toWellFormed, as a regex was slow). */
export function withoutNonXmlCharacters(text: string): string {
  return text.toWellFormed().replace(NOT_XML, '');
}
