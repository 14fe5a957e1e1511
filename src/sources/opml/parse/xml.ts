/**
 * A small, strict-enough XML reader for OPML files: elements, attributes, text, CDATA; comments, processing
 * instructions and the DOCTYPE are skipped. It exists because a subscription list must be read whole or not
 * at all: a truncated export (an unclosed <body>) is an error with a line number here, where a forgiving
 * parser would quietly import the first half.
 *
 * Deliberately not a full XML parser: no namespaces (prefixes stay in names), no DTD — entities declared in a
 * DOCTYPE are never expanded (so no entity bombs) and stay as written. Character references, XML's five named
 * entities and HTML's named ones (sloppy exporters write &nbsp;) are decoded; a bare `&` stays a `&`.
 */
import { decodeHTMLStrict } from 'entities';

export interface XmlElement {
  name: string;
  /** Attributes by lower-cased name (OPML exporters disagree on `xmlUrl`/`xmlURL`/`xmlurl`), values decoded. */
  attributes: Map<string, string>;
  children: XmlElement[];
  /** The element's own text and CDATA, concatenated (not its children's). */
  text: string;
  /** 1-based position of the `<` that opens the element. */
  line: number;
  column: number;
}

/** The input is not well-formed; `line`/`column` are 1-based. */
export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

export interface XmlLimits {
  /** Most elements read before giving up: a bound on memory for hostile or runaway files. */
  maxElements: number;
  /** Deepest nesting allowed. */
  maxDepth: number;
}

const DEFAULT_LIMITS: XmlLimits = { maxElements: 200_000, maxDepth: 100 };

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /[ \t\r\n]*/y;

/** Reads `text` (already decoded to a string) into its root element. */
export function parseXml(text: string, limits: Partial<XmlLimits> = {}): XmlElement {
  return new Reader(text, { ...DEFAULT_LIMITS, ...limits }).document();
}

class Reader {
  private position = 0;
  private elements = 0;
  private lineStarts: number[] | null = null;

  constructor(
    private readonly text: string,
    private readonly limits: XmlLimits,
  ) {}

  document(): XmlElement {
    if (this.text.charCodeAt(0) === 0xfeff) this.position = 1;
    let root: XmlElement | null = null;
    const stack: XmlElement[] = [];
    const { text } = this;
    while (this.position < text.length) {
      const lt = text.indexOf('<', this.position);
      const end = lt === -1 ? text.length : lt;
      if (end > this.position) {
        const chunk = text.slice(this.position, end);
        const parent = stack.at(-1);
        if (parent) parent.text += decodeText(chunk);
        else if (/\S/.test(chunk))
          this.fail(
            root ? 'text after the end of the document' : 'text before the first element (is this an XML file?)',
            this.position + chunk.search(/\S/),
          );
        this.position = end;
      }
      if (lt === -1) break;
      if (text.startsWith('<!--', lt)) this.skipPast('-->', lt, 'comment');
      else if (text.startsWith('<![CDATA[', lt)) {
        const parent = stack.at(-1);
        if (!parent) this.fail('CDATA outside any element', lt);
        const close = text.indexOf(']]>', lt + 9);
        if (close === -1) this.fail('CDATA section is not closed (missing "]]>")', lt);
        parent.text += text.slice(lt + 9, close);
        this.position = close + 3;
      } else if (text.startsWith('<?', lt)) this.skipPast('?>', lt, 'processing instruction');
      else if (text.startsWith('<!DOCTYPE', lt) || text.startsWith('<!doctype', lt)) {
        if (root || stack.length > 0) this.fail('DOCTYPE inside the document', lt);
        this.skipDoctype(lt);
      } else if (text.startsWith('</', lt)) {
        this.position = lt + 2;
        const name = this.name('an element name after "</"');
        this.skip(SPACE);
        if (text[this.position] !== '>') this.fail(`expected ">" to end </${name}>`, this.position);
        this.position++;
        const open = stack.pop();
        if (!open) this.fail(`</${name}> closes nothing`, lt);
        if (open.name !== name) this.fail(`</${name}> does not match <${open.name}> opened at line ${open.line}:${open.column}`, lt);
      } else {
        if (root && stack.length === 0) this.fail('a second top-level element (an XML document has one)', lt);
        const { element, selfClosing } = this.startTag(lt);
        const parent = stack.at(-1);
        if (parent) parent.children.push(element);
        else root = element;
        if (!selfClosing) {
          if (stack.length >= this.limits.maxDepth) this.fail(`elements nested more than ${this.limits.maxDepth} deep`, lt);
          stack.push(element);
        }
      }
    }
    const open = stack.at(-1);
    if (open) {
      const at = this.lineAndColumn(text.length);
      throw new XmlSyntaxError(
        `the file ends before <${open.name}> (line ${open.line}:${open.column}) is closed — is it truncated?`,
        at.line,
        at.column,
      );
    }
    if (!root) this.fail(text.trim() === '' ? 'the file is empty' : 'no XML element in the file', text.length);
    return root;
  }

  private startTag(lt: number): { element: XmlElement; selfClosing: boolean } {
    if (++this.elements > this.limits.maxElements) this.fail(`more than ${this.limits.maxElements} elements`, lt);
    this.position = lt + 1;
    const name = this.name('an element name after "<"');
    const { line, column } = this.lineAndColumn(lt);
    const element: XmlElement = { name, attributes: new Map(), children: [], text: '', line, column };
    const { text } = this;
    for (;;) {
      const before = this.position;
      this.skip(SPACE);
      const char = text[this.position];
      if (char === '>') {
        this.position++;
        return { element, selfClosing: false };
      }
      if (char === '/' && text[this.position + 1] === '>') {
        this.position += 2;
        return { element, selfClosing: true };
      }
      if (char === undefined) this.fail(`<${name}> is not closed (missing ">")`, lt);
      if (this.position === before) this.fail(`expected a space, ">" or "/>" in <${name}>`, this.position);
      const attributeAt = this.position;
      const attribute = this.name(`an attribute name or ">" in <${name}>`);
      this.skip(SPACE);
      if (text[this.position] !== '=')
        this.fail(`attribute ${attribute} of <${name}> has no value (write ${attribute}="…")`, this.position);
      this.position++;
      this.skip(SPACE);
      const quote = text[this.position];
      if (quote !== '"' && quote !== "'") this.fail(`the value of ${attribute} in <${name}> is not quoted`, this.position);
      const close = text.indexOf(quote, this.position + 1);
      if (close === -1) this.fail(`the value of ${attribute} in <${name}> is not closed (missing ${quote})`, this.position);
      const raw = text.slice(this.position + 1, close);
      const stray = raw.indexOf('<');
      if (stray !== -1)
        this.fail(`"<" in the value of ${attribute} in <${name}> (write &lt;, or the quote is missing)`, this.position + 1 + stray);
      const key = attribute.toLowerCase();
      if (element.attributes.has(key)) this.fail(`attribute ${attribute} appears twice in <${name}>`, attributeAt);
      // XML's attribute-value normalization: a literal line break or tab is a space; &#10; stays a line break.
      element.attributes.set(key, decodeHTMLStrict(raw.replace(/[\t\n\r]/g, ' ')));
      this.position = close + 1;
    }
  }

  private skipDoctype(lt: number): void {
    // An internal subset in [ … ] may contain ">" (in its declarations), so it is skipped as a whole.
    const { text } = this;
    let index = lt + 9;
    while (index < text.length && text[index] !== '>' && text[index] !== '[') index++;
    if (text[index] === '[') {
      const close = text.indexOf(']', index);
      if (close === -1) this.fail('DOCTYPE is not closed', lt);
      index = close;
    }
    const end = text.indexOf('>', index);
    if (end === -1) this.fail('DOCTYPE is not closed', lt);
    this.position = end + 1;
  }

  private skipPast(terminator: string, start: number, what: string): void {
    const end = this.text.indexOf(terminator, start + 2);
    if (end === -1) this.fail(`${what} is not closed (missing "${terminator}")`, start);
    this.position = end + terminator.length;
  }

  private name(expected: string): string {
    NAME.lastIndex = this.position;
    const match = NAME.exec(this.text);
    if (!match) this.fail(`expected ${expected}`, this.position);
    this.position += match[0].length;
    return match[0];
  }

  private skip(pattern: RegExp): void {
    pattern.lastIndex = this.position;
    pattern.exec(this.text);
    this.position = pattern.lastIndex;
  }

  private fail(message: string, offset: number): never {
    const { line, column } = this.lineAndColumn(offset);
    throw new XmlSyntaxError(message, line, column);
  }

  /** Line starts are found once, then each position is a binary search. */
  private lineAndColumn(offset: number): { line: number; column: number } {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let index = this.text.indexOf('\n'); index !== -1; index = this.text.indexOf('\n', index + 1)) this.lineStarts.push(index + 1);
    }
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  }
}

function decodeText(chunk: string): string {
  return chunk.includes('&') ? decodeHTMLStrict(chunk) : chunk;
}
