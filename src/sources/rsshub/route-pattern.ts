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

const compiled = new Map<string, { regex: RegExp; names: string[]; score: number } | null>();

export function matchRoute(pattern: string, path: string): RouteMatch | null {
  const compiledPattern = compile(pattern);
  if (!compiledPattern) return null;
  const match = compiledPattern.regex.exec(path.replace(/\/+$/, '') || '/');
  if (!match) return null;
  const params: Record<string, string> = {};
  compiledPattern.names.forEach((name, index) => {
    const value = match[index + 1];
    if (value !== undefined) params[name] = safeDecode(value);
  });
  return { params, score: compiledPattern.score };
}

/** A target such as `/example/news/:category` with its parameters filled; unfilled optional ones dropped. */
export function fillRoute(target: string, params: Record<string, string>): string | null {
  let missing = false;
  const filled = target.replace(/\/:(\w+)(\{[^}]*\})?(\?)?/g, (_whole, name: string, _regex: string | undefined, optional: string | undefined) => {
    const value = params[name];
    if (value !== undefined && value !== '') return `/${value}`;
    if (!optional) missing = true;
    return '';
  });
  return missing ? null : filled;
}

const SEGMENT = /\/:(\w+)(\{((?:[^{}]|\{[^{}]*\})*)\})?(\?)?|\/\*|\*|[^/:*]+|\//gy;

function compile(pattern: string): { regex: RegExp; names: string[]; score: number } | null {
  if (compiled.has(pattern)) return compiled.get(pattern)!;
  const names: string[] = [];
  let source = '';
  let score = 0;
  SEGMENT.lastIndex = 0;
  let token: RegExpExecArray | null;
  while (SEGMENT.lastIndex < pattern.length && (token = SEGMENT.exec(pattern))) {
    const [whole, name, , regex, optional] = token;
    if (name) {
      names.push(name);
      const body = regex ? `(${regex})` : '([^/]+)';
      source += optional ? `(?:/${body})?` : `/${body}`;
    } else if (whole === '/*' || whole === '*') {
      source += whole === '/*' ? '(?:/.*)?' : '.*';
    } else {
      source += whole.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      score += whole.length;
    }
  }
  let result: { regex: RegExp; names: string[]; score: number } | null = null;
  if (SEGMENT.lastIndex >= pattern.length || pattern === '') {
    try {
      result = { regex: new RegExp(`^${source || '/'}$`), names, score };
    } catch {
      result = null; // a regex RSSHub accepts but JavaScript does not: that route cannot be matched
    }
  }
  compiled.set(pattern, result);
  return result;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
