import { parse as parseYaml } from 'yaml';
import { SAFE_KEY } from '../theme-profiles.js';

/**
 * Hexo front matter for generated posts, written and read back.
 *
 * The YAML is written by hand rather than with a YAML library so the output
 * matches the seed posts byte for byte (quoting style, the trailing space after
 * `categories:`, one-space list indentation, RFC 1123 dates). Because every
 * value comes from untrusted feeds, each scalar goes through a writer that
 * guarantees the result is a single-line YAML scalar that reads back as exactly
 * the same string — so a feed can never break the document or inject keys.
 *
 * "Reads back" is judged against both YAML 1.1 and YAML 1.2 readers: Hexo 8
 * parses posts with js-yaml, the standalone hexo-front-matter 5 uses `yaml`,
 * and other tools people point at a Hexo source tree may be 1.1 readers.
 */

export interface PostFrontMatter {
  title: string;
  categories: string[];
  /** Omitted when undefined or "". */
  headimg?: string;
  author: string;
  comments: boolean;
  date: Date;
  /** Omitted when undefined or "". */
  thumbnail?: string;
  /** Omitted when null or undefined. */
  updated?: Date | null;
  /** Omitted when undefined or "". */
  original_url?: string;
  /** Omitted when undefined or "". */
  newsstand_id?: string;
  /** The keys the site's theme reads (theme-profiles.ts), last, in order; "" and [] values are left out. */
  theme?: ReadonlyArray<readonly [key: string, value: string | readonly string[] | boolean]>;
}

/**
 * The front matter block, from the opening `---` line through the closing
 * `---` line and its newline.
 *
 * Dates are written with `toUTCString()`, which has one-second resolution:
 * milliseconds are dropped. Throws if a date is invalid or if its
 * `toUTCString()` text would not be read back as the same instant (Hexo reads
 * it with `new Date(text)`, which maps years 0–99 onto 1950–2049 and cannot
 * read negative years).
 */
export function renderFrontMatter(fm: PostFrontMatter): string {
  const lines: string[] = ['---'];

  lines.push(`title: ${singleQuoted(fm.title)}`);

  if (fm.categories.length === 0) {
    // `categories: ` with no items would read back as null, not an empty list.
    lines.push('categories: []');
  } else {
    // The seed style really does have a trailing space after the colon.
    lines.push('categories: ');
    for (const category of fm.categories) {
      lines.push(` - ${plainOrQuoted(category)}`);
    }
  }

  if (isPresent(fm.headimg)) lines.push(`headimg: ${singleQuoted(fm.headimg)}`);
  lines.push(`author: ${plainOrQuoted(fm.author)}`);
  lines.push(`comments: ${fm.comments ? 'true' : 'false'}`);
  lines.push(`date: ${utcDate(fm.date, 'date')}`);
  if (isPresent(fm.thumbnail)) lines.push(`thumbnail: ${singleQuoted(fm.thumbnail)}`);

  if (fm.updated !== null && fm.updated !== undefined) {
    lines.push(`updated: ${utcDate(fm.updated, 'updated')}`);
  }
  if (isPresent(fm.original_url)) lines.push(`original_url: ${singleQuoted(fm.original_url)}`);
  if (isPresent(fm.newsstand_id)) lines.push(`newsstand_id: ${plainOrQuoted(fm.newsstand_id)}`);
  for (const [key, value] of fm.theme ?? []) {
    if (!SAFE_KEY.test(key)) throw new Error(`front matter: ${JSON.stringify(key)} is not a key newsstand writes`);
    if (typeof value === 'boolean') lines.push(`${key}: ${value}`);
    else if (typeof value === 'string') {
      if (isPresent(value)) lines.push(`${key}: ${singleQuoted(value)}`);
    } else if (value.length > 0) {
      lines.push(`${key}: `);
      for (const entry of value) lines.push(` - ${singleQuoted(entry)}`);
    }
  }

  lines.push('---');
  return `${lines.join('\n')}\n`;
}

/**
 * A single-quoted scalar (`'` doubled), or — when the string holds characters
 * a single-quoted scalar cannot carry faithfully — a double-quoted scalar with
 * escapes. Lone surrogates become U+FFFD first.
 */
export function singleQuoted(value: string): string {
  const text = replaceLoneSurrogates(value);
  if (NEEDS_DOUBLE_QUOTES.test(text)) return doubleQuoted(text);
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The string as a plain (unquoted) scalar when both YAML 1.1 and 1.2 readers
 * would read it back as this same string; otherwise quoted as by
 * {@link singleQuoted}. Deliberately conservative: anything doubtful is quoted,
 * since quoting is always safe and a wrong plain scalar silently changes data.
 */
export function plainOrQuoted(value: string): string {
  const text = replaceLoneSurrogates(value);
  return isSafePlain(text) ? text : singleQuoted(text);
}

function isPresent(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function utcDate(date: Date, key: string): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) {
    throw new Error(`front matter: ${key} is an invalid Date`);
  }
  const text = date.toUTCString();
  // Hexo turns this text back into a Date with `new Date(text)`; make sure that
  // gives the same instant (to the second — toUTCString has no milliseconds)
  // instead of publishing a post silently dated in another century.
  if (new Date(text).getTime() !== Math.floor(ms / 1000) * 1000) {
    throw new Error(`front matter: ${key} ${date.toISOString()} cannot be written as a UTC date string Hexo reads back`);
  }
  return plainOrQuoted(text);
}

/**
 * With the `u` flag a surrogate class only matches surrogates that are not part
 * of a valid pair. Lone surrogates cannot be encoded as UTF-8 at all, so they
 * would be mangled on disk anyway; U+FFFD is what a UTF-8 encoder writes.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;

function replaceLoneSurrogates(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Characters a single-quoted (or plain) scalar cannot carry faithfully:
 * - line breaks (LF, CR, NEL U+0085, and U+2028/U+2029 which YAML 1.1 treats as
 *   line breaks) would be folded into spaces, and a raw newline is also what
 *   Hexo's `---` splitter and its tab rewriting look at;
 * - tabs are trimmed around folds and Hexo rewrites newline+tab sequences;
 * - the remaining C0/C1 controls, DEL, U+FEFF (a BOM), and the noncharacters
 *   U+FFFE/U+FFFF are outside YAML's printable set and make readers reject
 *   the document.
 * Assumes lone surrogates were already replaced.
 */
const NEEDS_DOUBLE_QUOTES = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFEFF\uFFFE\uFFFF]/u;

function doubleQuoted(text: string): string {
  let out = '"';
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (NEEDS_DOUBLE_QUOTES.test(ch)) out += escapeCodePoint(ch.codePointAt(0) ?? 0);
    else out += ch;
  }
  return `${out}"`;
}

function escapeCodePoint(code: number): string {
  // Everything escaped here is in the BMP, so \xHH or \uHHHH is enough.
  const hex = code.toString(16).toUpperCase();
  return code <= 0xff ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`;
}

/** A plain scalar may not start with a YAML indicator character. */
const STARTS_WITH_INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;

/** Leading/trailing whitespace is trimmed from plain scalars (any Unicode space, to be safe). */
const EDGE_WHITESPACE = /^\s|\s$/u;

/** Words YAML 1.1 or 1.2 resolves to null or a boolean (compared case-insensitively). */
const NULL_OR_BOOL = /^(?:~|null|true|false|yes|no|on|off|y|n)$/i;

/**
 * Anything shaped like a number in either YAML version: decimal, octal (010,
 * 0o17), hex (0x1F), binary (0b1), underscores (1_000), exponents (1e5), a
 * leading dot (.5), YAML 1.1 sexagesimal (12:30) — and, incidentally, ISO
 * timestamps. Matching too much only costs a pair of quotes.
 */
const NUMBER_LIKE = /^[-+]?\.?[0-9][0-9a-z_.:,+-]*$/i;

/** .inf / .nan in any case and sign. */
const SPECIAL_FLOAT = /^[-+]?\.(?:inf|nan)$/i;

/** YAML timestamps start with yyyy-m-d and may continue with a space and a time. */
const TIMESTAMP_PREFIX = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9])/;

function isSafePlain(text: string): boolean {
  if (text === '') return false; // an empty plain scalar is null
  if (NEEDS_DOUBLE_QUOTES.test(text)) return false;
  if (EDGE_WHITESPACE.test(text)) return false;
  if (STARTS_WITH_INDICATOR.test(text)) return false;
  // `: ` (or a final `:`) would start a nested mapping; ` #` starts a comment.
  if (text.includes(': ') || text.endsWith(':') || text.includes(' #')) return false;
  // A document end marker; harmless mid-line, but not worth reasoning about.
  if (text.startsWith('...')) return false;
  // `<<` is the YAML 1.1 merge key and `=` the YAML 1.1 "value" key.
  if (text === '<<' || text === '=') return false;
  if (NULL_OR_BOOL.test(text)) return false;
  if (NUMBER_LIKE.test(text) || SPECIAL_FLOAT.test(text)) return false;
  if (TIMESTAMP_PREFIX.test(text)) return false;
  return true;
}

/** Whether a post's text is the one newsstand wrote for this item: its front matter names the id as the writer does. */
export function carriesId(text: string, id: string): boolean {
  return text.includes(`\nnewsstand_id: ${plainOrQuoted(id)}\n`);
}

/** What a post newsstand wrote says of its item, read back from its front matter. */
export interface PostFacts {
  id: string;
  link: string;
  /** ms since epoch; null when the date cannot be read. */
  date: number | null;
}

const FRONT_MATTER_BLOCK = /^\s*---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/;

/** The facts of a post newsstand wrote (it carries a `newsstand_id`); null for any other file. */
export function readPostFacts(text: string): PostFacts | null {
  const block = FRONT_MATTER_BLOCK.exec(text)?.[1];
  if (block === undefined) return null;
  let data: unknown;
  try {
    data = parseYaml(block);
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object') return null;
  const fields = data as Record<string, unknown>;
  const id = fields.newsstand_id === undefined ? '' : String(fields.newsstand_id);
  if (id === '') return null;
  const date = typeof fields.date === 'string' ? Date.parse(fields.date) : NaN;
  return { id, link: typeof fields.original_url === 'string' ? fields.original_url : '', date: Number.isNaN(date) ? null : date };
}

/**
 * A front matter block (the text between its `---` lines) as Hexo's reader, js-yaml, reads it, when every line is
 * in a form {@link renderFrontMatter} writes: `key: scalar`, `key: true|false`, `key: []`, or `key: ` and its
 * ` - scalar` items, each scalar single-quoted, double-quoted with the escapes {@link singleQuoted} writes, or
 * plain as {@link plainOrQuoted} leaves it. Null for anything else (a post of the user's own, a hand edit), which
 * the caller reads with a YAML library. A fast build reads every post: this takes a tenth of js-yaml's time.
 */
export function readWrittenFrontMatter(block: string): Record<string, unknown> | null {
  const data: Record<string, unknown> = {};
  let list: string[] | null = null;
  for (const line of block.split('\n')) {
    if (UNWRITTEN_CHARACTER.test(line)) return null;
    if (line.startsWith(' - ')) {
      const item = list && writtenScalar(line.slice(3));
      if (item == null) return null;
      list!.push(item);
      continue;
    }
    if (list?.length === 0) return null; // js-yaml reads `key: ` without items as null
    list = null;
    const colon = line.indexOf(': ');
    const key = line.slice(0, colon);
    // A key js-yaml would read as null or a boolean, or one it treats as special, is the YAML library's to read.
    if (colon < 0 || !SAFE_KEY.test(key) || NULL_OR_BOOL.test(key) || key === '__proto__' || Object.hasOwn(data, key)) return null;
    const rest = line.slice(colon + 2);
    if (rest === '') data[key] = list = [];
    else if (rest === '[]') data[key] = [];
    else if (rest === 'true' || rest === 'false') data[key] = rest === 'true';
    else {
      const value = writtenScalar(rest);
      if (value === null) return null;
      data[key] = value;
    }
  }
  return list?.length === 0 ? null : data;
}

/**
 * What renderFrontMatter never writes raw: the characters it writes only double-quoted (those js-yaml rejects,
 * folds or trims), and lone surrogates, which it replaces (with the `u` flag the class matches only those).
 */
const UNWRITTEN_CHARACTER = new RegExp(`${NEEDS_DOUBLE_QUOTES.source}|[\\uD800-\\uDFFF]`, 'u');

/** A scalar, whole, in the forms singleQuoted and plainOrQuoted write, as a string; null for any other text. */
function writtenScalar(text: string): string | null {
  if (text.startsWith("'")) {
    const inner = text.slice(1, -1);
    return text.length >= 2 && text.endsWith("'") && SINGLE_QUOTED_INNER.test(inner) ? inner.replaceAll("''", "'") : null;
  }
  if (text.startsWith('"')) return text.length >= 2 && text.endsWith('"') ? doubleQuotedValue(text.slice(1, -1)) : null;
  return isSafePlain(text) ? text : null;
}

const SINGLE_QUOTED_INNER = /^(?:[^']|'')*$/;

/** The inside of a double-quoted scalar doubleQuoted wrote, unescaped; null when it has any other escape or a bare `"`. */
function doubleQuotedValue(inner: string): string | null {
  let out = '';
  let from = 0;
  for (;;) {
    const at = inner.indexOf('\\', from);
    const plain = inner.slice(from, at < 0 ? undefined : at);
    if (plain.includes('"')) return null;
    out += plain;
    if (at < 0) return out;
    const letter = inner[at + 1];
    const hexDigits = letter === 'x' ? 2 : letter === 'u' ? 4 : 0;
    if (hexDigits > 0) {
      const digits = inner.slice(at + 2, at + 2 + hexDigits);
      if (!HEX.test(digits) || digits.length !== hexDigits) return null;
      out += String.fromCharCode(Number.parseInt(digits, 16));
    } else {
      const unescaped = letter === 'n' ? '\n' : letter === 't' ? '\t' : letter === '\\' || letter === '"' ? letter : null;
      if (unescaped === null) return null;
      out += unescaped;
    }
    from = at + 2 + hexDigits;
  }
}

const HEX = /^[0-9A-Fa-f]+$/;
