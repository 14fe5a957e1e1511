/**
 * Mends the two kinds of damage real feeds arrive with, so that the items before the damage survive:
 * characters that should have been escaped (a bare `&`, a `<` in text), and a document cut off part-way
 * (a dropped connection, a size limit). Only used after a strict parse has failed. Also flattens hostile
 * nesting: the XML parser refuses elements nested more than 100 deep, so tags deeper than MAX_DEPTH are
 * dropped (their text is kept).
 */

const ITEM_NAMES = new Set(['item', 'entry']);
const ENTITY_AFTER_AMP = /^(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9A-Fa-f]+);/;
const NAME_START = /[A-Za-z_:]/;
const START_TAG = /<[A-Za-z_][\w:.-]*(?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*\s*\/?>/y;
const END_TAG = /<\/[A-Za-z_][\w:.-]*\s*>/y;
// Deep enough for any real feed (rss > channel > item > media:group > media:content, plus HTML in a description).
const MAX_DEPTH = 64;

export function repairXml(text: string): string {
  let out = '';
  const open: string[] = [];
  // How many elements of each name are open: an end tag that closes nothing is recognized without searching
  // the stack, which is as deep as the nesting (100,000 stray end tags under 100,000 open elements).
  const openCount = new Map<string, number>();
  /** Pops the elements from index `at` up; returns end tags for those that were written. Allocates nothing
   * for elements past MAX_DEPTH: a hostile document has 100,000 of them. */
  const closeFrom = (at: number): string => {
    let markup = '';
    for (let index = open.length - 1; index >= at; index--) {
      const name = open[index]!;
      openCount.set(name, openCount.get(name)! - 1);
      if (index < MAX_DEPTH) markup += `</${name}>`;
    }
    open.length = at;
    return markup;
  };
  let cutAt = -1;
  let cutStack: string[] = [];
  let i = 0;
  const lastGt = text.lastIndexOf('>');

  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const segmentEnd = lt === -1 ? text.length : lt;
    out += escapeText(text.slice(i, segmentEnd));
    if (lt === -1) break;
    i = lt;

    const special = skipSpecial(text, i);
    if (special !== null) {
      if (special === -1) break; // an unterminated comment or CDATA: the document was cut inside it
      out += text.slice(i, special);
      i = special;
      continue;
    }

    // test() and slices rather than exec(): a match array per tag was most of the garbage (tens of MB) that
    // repairing a document of 100,000 nested elements left for the garbage collector.
    END_TAG.lastIndex = i;
    if (END_TAG.test(text)) {
      const name = text.slice(i + 2, nameEnd(text, i + 2));
      const tagEnd = END_TAG.lastIndex;
      if (!openCount.get(name)) {
        // An end tag that closes nothing (`a </b> b` in a description) is text; kept as markup it stays an error.
        out += escapeMarkup(text.slice(i, tagEnd));
        i = tagEnd;
        continue;
      }
      // Searched from the top: what lies above it is popped, so the search costs no more than the pushes did.
      const at = open.lastIndexOf(name);
      // Elements left open inside it (`<br>` in unescaped HTML) are closed here, so the output nests.
      out += closeFrom(at + 1);
      if (at < MAX_DEPTH) out += text.slice(i, tagEnd);
      closeFrom(at);
      i = tagEnd;
      if (at < MAX_DEPTH && ITEM_NAMES.has(localName(name))) {
        cutAt = out.length;
        cutStack = open.slice(0, MAX_DEPTH);
      }
      continue;
    }

    START_TAG.lastIndex = i;
    if (START_TAG.test(text)) {
      const tagEnd = START_TAG.lastIndex;
      if (open.length < MAX_DEPTH) out += escapeAttributes(text.slice(i, tagEnd));
      if (text[tagEnd - 2] !== '/') {
        const name = text.slice(i + 1, nameEnd(text, i + 1));
        open.push(name);
        openCount.set(name, (openCount.get(name) ?? 0) + 1);
      }
      i = tagEnd;
      continue;
    }

    // A '<' that starts no markup is text that should have been escaped — unless the document ends in the
    // middle of a tag, which the truncation handling below deals with. Only a '<' with no '>' after it can be
    // that: breaking on any '<' before a letter (`if a <b then`) threw away every item after it.
    if ((NAME_START.test(text[i + 1] ?? '') || text[i + 1] === '/') && i > lastGt) break;
    out += '&lt;';
    i += 1;
  }

  if (open.length === 0) return out;
  // Truncated: keep everything up to the last complete item, then close what was open there.
  const keep = cutAt === -1 ? out : out.slice(0, cutAt);
  const stillOpen = cutAt === -1 ? open : cutStack;
  return keep + closeTags(stillOpen.slice(0, MAX_DEPTH));
}

/** End tags for elements still open, innermost first (only those written: the first MAX_DEPTH). */
function closeTags(open: readonly string[]): string {
  return [...open]
    .reverse()
    .map((name) => `</${name}>`)
    .join('');
}

/** A bare `&` or `<` inside attribute values (`url="?a=1&b=2"`) escaped; the tag's own `<` kept. */
function escapeAttributes(tag: string): string {
  return '<' + escapeText(tag.slice(1)).replace(/</g, '&lt;');
}

function escapeMarkup(markup: string): string {
  return escapeText(markup).replace(/</g, '&lt;');
}

/**
 * Comments, CDATA, processing instructions and doctypes pass through untouched. Returns the index after one, -1 if
 * unterminated, null if none starts here.
 */
function skipSpecial(text: string, i: number): number | null {
  const terminator = text.startsWith('<!--', i) ? '-->' : text.startsWith('<![CDATA[', i) ? ']]>' : text.startsWith('<?', i) ? '?>' : null;
  if (terminator) {
    const end = text.indexOf(terminator, i);
    return end === -1 ? -1 : end + terminator.length;
  }
  if (/^<!DOCTYPE/i.test(text.slice(i, i + 9))) {
    const subset = text.indexOf('[', i);
    const close = text.indexOf('>', i);
    if (subset !== -1 && subset < close) {
      const subsetEnd = text.indexOf(']>', subset);
      return subsetEnd === -1 ? -1 : subsetEnd + 2;
    }
    return close === -1 ? -1 : close + 1;
  }
  return null;
}

function escapeText(segment: string): string {
  if (!segment.includes('&')) return segment;
  return segment.replace(/&/g, (amp, offset: number) => (ENTITY_AFTER_AMP.test(segment.slice(offset + 1, offset + 34)) ? amp : '&amp;'));
}

/** The index after the XML name that starts at `from`. */
function nameEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length && /[\w:.-]/.test(text[end]!)) end++;
  return end;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return (colon === -1 ? name : name.slice(colon + 1)).toLowerCase();
}
