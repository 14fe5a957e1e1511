/**
 * RSSHub route patterns (Hono's syntax): `/:param`, `/:param?` (optional), `/:param{regex}` (e.g. `{.+}`
 * for the rest of the path, optionally `?`), and `*`. Used to find which route of a namespace a configured
 * path is, and to fill radar targets from a page's path.
 */

export interface RouteMatch {
  params: Record<string, string>;
  /** Literal characters in the pattern: the most specific of several matching patterns wins. */
  score: number;
}

interface CompiledPattern {
  /** One regex per form of the path the pattern accepts (see optionalForms), longest first. */
  forms: Array<{ regex: RegExp; names: string[] }>;
  score: number;
}

const compiled = new Map<string, CompiledPattern | null>();

export function matchRoute(pattern: string, path: string): RouteMatch | null {
  const [patternPath, patternQuery] = splitQuery(pattern);
  const compiledPattern = compile(patternPath);
  if (!compiledPattern) return null;
  const [pagePath, pageQuery] = splitQuery(path);
  // Compared without trailing slashes on either side (see canonical): `/appleinsider/` is `/appleinsider`, and the
  // bare namespace is the empty path, which `/` and an all-optional `/:listId?` both match.
  const trimmed = pagePath.replace(/\/+$/, '');
  for (const form of compiledPattern.forms) {
    const match = form.regex.exec(trimmed);
    if (!match) continue;
    const params: Record<string, string> = {};
    form.names.forEach((name, index) => {
      const value = match[index + 1];
      if (value !== undefined) params[name] = safeDecode(value);
    });
    return patternQuery === '' || matchQuery(patternQuery, pageQuery, params) ? { params, score: compiledPattern.score } : null;
  }
  return null;
}

/**
 * A pattern's or a page's path and query. In a pattern, `?` starts a query only before `name=` (radar rules such
 * as `/news/?classid=24` or `/details?id=:id`); elsewhere it marks an optional parameter.
 */
function splitQuery(text: string): [string, string] {
  const start = text.search(/\?(?=[\w.%-]+=)/);
  return start === -1 ? [text, ''] : [text.slice(0, start), text.slice(start + 1)];
}

/**
 * Every `name=value` of the pattern's query is in the page's (which may hold more); `name=:param` takes its value,
 * `name=*` takes any.
 */
function matchQuery(patternQuery: string, pageQuery: string, params: Record<string, string>): boolean {
  const page = new URLSearchParams(pageQuery);
  for (const [name, expected] of new URLSearchParams(patternQuery)) {
    const value = page.get(name);
    if (value === null) return false;
    const param = /^:(\w+)$/.exec(expected);
    if (param) params[param[1]!] = value;
    else if (expected !== '*' && value !== expected) return false;
  }
  return true;
}

/** A target such as `/example/news/:category` with its parameters filled; unfilled optional ones dropped. */
export function fillRoute(target: string, params: Record<string, string>): string | null {
  let missing = false;
  const filled = target.replace(
    /\/:(\w+)(\{[^}]*\})?(\?)?/g,
    (_whole, name: string, _regex: string | undefined, optional: string | undefined) => {
      const value = params[name];
      if (value !== undefined && value !== '') return `/${value}`;
      if (!optional) missing = true;
      return '';
    },
  );
  // Without a trailing slash (RSSHub's router answers `/dailypush/` with 404, `/dailypush` with the feed), and `/` at least.
  return missing ? null : filled.replace(/(.)\/+$/, '$1');
}

/**
 * A parameter starts a segment or follows punctuation inside one (`/:id`, `/@:user`, `/:slug.:id`); a colon after a
 * letter or digit is text (`/wiki/Portal:Current_events`).
 */
const TOKEN = /(?<=^|[^\p{L}\p{N}]):(\w+)(\{((?:[^{}]|\{[^{}]*\})*)\})?(\?)?|\/\*|\*|\/|(?:[^/*:]|(?<=[\p{L}\p{N}]):)+/uy;

type Token = { kind: 'param'; name: string; regex: string | undefined; optional: boolean } | { kind: 'text'; text: string };

/**
 * Patterns as RSSHub's tables write them, in one form: a leading `/` (radar rules often leave it out, and
 * Hono adds it) and no trailing one (704 of 718 real radar rules that failed to match ended in `/`, such as
 * 4chan's `/:board/`; RSSHub's router ignores it).
 */
function canonical(pattern: string): string {
  const rooted = pattern.startsWith('/') || pattern.startsWith('*') ? pattern : `/${pattern}`;
  return rooted.replace(/\/+$/, '');
}

function compile(rawPattern: string): CompiledPattern | null {
  if (compiled.has(rawPattern)) return compiled.get(rawPattern)!;
  const tokens = tokenize(canonical(rawPattern));
  let result: CompiledPattern | null = null;
  if (tokens) {
    const score = tokens.reduce(
      (sum, token) => sum + (token.kind === 'text' && token.text !== '/*' && token.text !== '*' ? token.text.length : 0),
      0,
    );
    try {
      result = { forms: optionalForms(tokens).map(toRegex), score };
    } catch {
      result = null; // a regex RSSHub accepts but JavaScript does not: that route cannot be matched
    }
  }
  compiled.set(rawPattern, result);
  return result;
}

function tokenize(pattern: string): Token[] | null {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < pattern.length) {
    const token = TOKEN.exec(pattern);
    if (!token) return null;
    const [whole, name, , regex, optional] = token;
    tokens.push(name ? { kind: 'param', name, regex, optional: optional === '?' } : { kind: 'text', text: whole });
  }
  return tokens;
}

/**
 * The forms of the path a pattern accepts, as RSSHub's router (Hono) reads optional parameters: when the
 * pattern ends with one, the path may stop before any optional parameter or after it (so in
 * `/search/:site?/:word/:page?` even `:word` may go); otherwise `?` makes nothing optional. Longest first.
 */
function optionalForms(tokens: Token[]): Token[][] {
  const last = tokens[tokens.length - 1];
  const required = (token: Token): Token => (token.kind === 'param' ? { ...token, optional: false } : token);
  if (last?.kind !== 'param' || !last.optional) return [tokens.map(required)];
  const forms: Token[][] = [];
  tokens.forEach((token, index) => {
    if (token.kind !== 'param' || !token.optional) return;
    // The path stops before the parameter (and the `/` that leads to it), or right after it.
    const start = tokens[index - 1]?.kind === 'text' && (tokens[index - 1] as { text: string }).text === '/' ? index - 1 : index;
    forms.push(tokens.slice(0, start).map(required), tokens.slice(0, index + 1).map(required));
  });
  const unique = new Map(forms.map((form) => [JSON.stringify(form), form]));
  return [...unique.values()].sort((a, b) => b.length - a.length);
}

function toRegex(tokens: Token[]): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  let source = '';
  for (const token of tokens) {
    if (token.kind === 'param') {
      names.push(token.name);
      source += token.regex ? `(${token.regex})` : '([^/]+)';
    } else if (token.text === '/*') {
      source += '(?:/.*)?';
    } else if (token.text === '*') {
      source += '.*';
    } else {
      source += token.text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return { regex: new RegExp(`^${source}$`), names };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
