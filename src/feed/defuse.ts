/**
 * Hostile XML made harmless before the XML parser sees it.
 *
 * - The document type declaration is removed. It is where external entities (`<!ENTITY x SYSTEM
 *   "file:///etc/passwd">`), external DTDs and entity bombs live, and the parser refuses a declaration with an
 *   external entity outright, which failed the whole feed. What a feed does need from it — internal entities
 *   with a literal value (`<!ENTITY author "Mark">`, then `&author;`) — is expanded here first, within size
 *   bounds (see withDeclaredEntities); any other reference stays as written.
 * - RSS person elements (`author`, `managingEditor`, `webMaster`) longer than any real name and address are
 *   emptied: feedsmith splits them into name, e-mail and link with a scan that restarts at every bracket,
 *   and 100,000 `<` or `(` in one author took minutes.
 * - Every tag is made to end where the XML parser will look for its end (see withBalancedTags).
 */

const MAX_PERSON_LENGTH = 4096;
const PERSON_START = /<(author|managingeditor|webmaster)(?=[\s/>])/gi;

export function defuseXml(text: string): string {
  return withBalancedTags(withoutOversizedPeople(withoutDoctype(text)));
}

/**
 * The text with the `<!DOCTYPE …>` in its prolog (internal subset included) removed, and the internal
 * entities it declares expanded in the rest of the document.
 */
export function withoutDoctype(text: string): string {
  const start = doctypeStart(text);
  if (start === -1) return text;
  const end = doctypeEnd(text, start + '<!DOCTYPE'.length);
  // An unterminated declaration is left for the parser (and repair) to refuse.
  if (end === -1) return text;
  const entities = declaredEntities(text.slice(start, end));
  const rest = text.slice(end);
  return text.slice(0, start) + (entities.size > 0 ? withDeclaredEntities(rest, entities) : rest);
}

// An entity bomb nests references so that a few hundred bytes expand to gigabytes: every value is bounded,
// and so is what all the expansions together may add. A reference past either bound stays as written.
const MAX_ENTITY_VALUE = 64 * 1024;
const MAX_EXPANSION = 512 * 1024;
const PREDEFINED_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const ENTITY_DECLARATION = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;
const ENTITY_REFERENCE = /&([A-Za-z_][\w.-]*);/g;

/**
 * General entities with a literal value, by name, their values expanded in declaration order. Parameter
 * entities (`%x;`) and external ones (SYSTEM, PUBLIC) do not match the pattern and are never read.
 */
function declaredEntities(doctype: string): Map<string, string> {
  const entities = new Map<string, string>();
  // Too large, or built on one that is: their references stay as written.
  const refused = new Set<string>();
  for (const match of doctype.matchAll(ENTITY_DECLARATION)) {
    const name = match[1]!;
    // XML: the first declaration of a name binds it.
    if (PREDEFINED_ENTITIES.has(name) || entities.has(name) || refused.has(name)) continue;
    let builtOnRefused = false;
    const value = (match[2] ?? match[3] ?? '').replace(ENTITY_REFERENCE, (reference, inner: string) => {
      if (refused.has(inner)) builtOnRefused = true;
      return entities.get(inner) ?? reference;
    });
    if (builtOnRefused || value.length > MAX_ENTITY_VALUE) refused.add(name);
    else entities.set(name, value);
  }
  return entities;
}

/** References to `entities` replaced by their values, outside comments and CDATA sections. */
function withDeclaredEntities(text: string, entities: ReadonlyMap<string, string>): string {
  const markup = /<!--|<!\[CDATA\[|&([A-Za-z_][\w.-]*);/g;
  let out = '';
  let copied = 0;
  let added = 0;
  for (let match = markup.exec(text); match; match = markup.exec(text)) {
    if (match[1] === undefined) {
      const terminator = match[0] === '<!--' ? '-->' : ']]>';
      const end = text.indexOf(terminator, match.index + match[0].length);
      if (end === -1) break;
      markup.lastIndex = end + terminator.length;
      continue;
    }
    const value = entities.get(match[1]);
    if (value === undefined || added + value.length > MAX_EXPANSION) continue;
    out += text.slice(copied, match.index) + value;
    copied = match.index + match[0].length;
    added += value.length;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Where a `<!DOCTYPE` starts, looking only through the prolog (declaration, PIs, comments, whitespace). */
function doctypeStart(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && /[\s\ufeff]/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) return -1;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) return -1;
      i = end + 3;
    } else {
      return text.slice(i, i + 9).toUpperCase() === '<!DOCTYPE' ? i : -1;
    }
  }
}

/**
 * The index after the declaration's closing `>`: the first `>` outside quotes, the internal subset, and the
 * comments and processing instructions inside it. -1 when there is none.
 */
function doctypeEnd(text: string, from: number): number {
  let quote = '';
  let inSubset = false;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (inSubset && text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) return -1;
      i = end + 2;
    } else if (inSubset && text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) return -1;
      i = end + 1;
    } else if (char === '[') {
      inSubset = true;
    } else if (char === ']') {
      inSubset = false;
    } else if (char === '>' && !inSubset) {
      return i + 1;
    }
  }
  return -1;
}

/** Person elements whose content is longer than MAX_PERSON_LENGTH emptied; everything else untouched. One pass. */
export function withoutOversizedPeople(text: string): string {
  PERSON_START.lastIndex = 0;
  let out = '';
  let copied = 0;
  for (let match = PERSON_START.exec(text); match; match = PERSON_START.exec(text)) {
    const name = match[1]!;
    const openEnd = text.indexOf('>', match.index);
    if (openEnd === -1) break;
    if (text[openEnd - 1] === '/') continue; // <author/>
    const close = new RegExp(`</${name}\\s*>`, 'gi');
    close.lastIndex = openEnd + 1;
    const end = close.exec(text);
    if (!end) break;
    PERSON_START.lastIndex = close.lastIndex;
    if (end.index - openEnd - 1 <= MAX_PERSON_LENGTH) continue;
    out += text.slice(copied, openEnd + 1);
    copied = end.index;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const TAG_END_OR_QUOTE = /["'>]/g;

/**
 * fast-xml-parser reads a tag up to the first `>` outside quotes, and inside raw elements (a description of
 * unescaped HTML) it tries every `<` as a tag: a quote that never closes sent each of those reads to the end
 * of the document, so a description with 30,000 `<` after a stray `"` took seconds, and a few megabytes
 * would take hours. Here, in one pass: a `<` whose tag cannot end (its quote is never closed) becomes
 * `&lt;` (text), and `<` and `>` inside quoted values become references (`<` is not allowed there in
 * XML; `&gt;` means `>`), so every tag ends at the first `>` after it, quotes or not. A well-formed
 * document reads exactly as before.
 */
export function withBalancedTags(text: string): string {
  const lastQuote: Record<string, number> = { '"': text.lastIndexOf('"'), "'": text.lastIndexOf("'") };
  const edits: Array<{ start: number; end: number; text: string }> = [];
  let i = text.indexOf('<');
  while (i !== -1) {
    const next = text.charCodeAt(i + 1);
    const skipTo = (terminator: string, from: number) => {
      const end = text.indexOf(terminator, from);
      return end === -1 ? -1 : end + terminator.length;
    };
    let after: number;
    if (text.startsWith('<!--', i)) after = skipTo('-->', i + 4);
    else if (text.startsWith('<![CDATA[', i)) after = skipTo(']]>', i + 9);
    else if (next === 0x3f /* ? */) after = skipTo('?>', i + 2);
    else if (next === 0x2f /* / */ || next === 0x21 /* ! */) after = skipTo('>', i + 2);
    else {
      after = startTagEnd(text, i, lastQuote, edits);
      if (after === -1) {
        // No tag can end after this one (a document cut off inside a tag): every `<` from here on is text,
        // rather than each rescanning the rest. The document is broken either way; repair cuts it back.
        while (edits.length > 0 && edits[edits.length - 1]!.start >= i) edits.pop();
        edits.push({ start: i, end: text.length, text: text.slice(i).replace(/</g, '&lt;') });
        break;
      }
    }
    if (after === -1) break; // an unterminated comment, CDATA section or declaration: the parser refuses it
    i = text.indexOf('<', after);
  }
  if (edits.length === 0) return text;
  let out = '';
  let copied = 0;
  for (const change of edits) {
    out += text.slice(copied, change.start) + change.text;
    copied = change.end;
  }
  return out + text.slice(copied);
}

/** Where the start tag at `lt` ends (after its `>`), noting the edits it needs; -1 when no `>` follows. */
function startTagEnd(
  text: string,
  lt: number,
  lastQuote: Record<string, number>,
  edits: Array<{ start: number; end: number; text: string }>,
): number {
  const scan = new RegExp(TAG_END_OR_QUOTE.source, 'g');
  scan.lastIndex = lt + 1;
  for (let match = scan.exec(text); match; match = scan.exec(text)) {
    const at = match.index;
    const char = match[0];
    if (char === '>') return at + 1;
    // A quote: its value runs to the same quote. One never closed makes this `<` text — and every `<` up to
    // the quote with it, as each of them would run into the same quote (one by one, that was quadratic).
    const close = at < lastQuote[char]! ? text.indexOf(char, at + 1) : -1;
    if (close === -1) {
      while (edits.length > 0 && edits[edits.length - 1]!.start >= lt) edits.pop();
      edits.push({ start: lt, end: at, text: text.slice(lt, at).replace(/</g, '&lt;') });
      return at + 1;
    }
    const value = text.slice(at + 1, close);
    if (/[<>]/.test(value)) edits.push({ start: at + 1, end: close, text: value.replace(/</g, '&lt;').replace(/>/g, '&gt;') });
    scan.lastIndex = close + 1;
  }
  return -1;
}
