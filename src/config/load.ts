/**
 * Reads `newsstand.yml` into a fully resolved {@link Config}: `${VAR}` expanded, validated by the schema,
 * defaults merged into every source, paths absolute, durations and sizes as numbers. Every problem becomes one
 * `ConfigError` line `<file>:<line>:<col>: <key path>: <problem>`, located through the YAML document's nodes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { ConfigError } from '../errors.js';
import { THEME_PROFILES, themeName, type ThemeKey } from '../theme-profiles.js';
import { expandEnv } from './env-expansion.js';
import { readHexoConfig } from './hexo-config.js';
import { describeIssue, issueProblems } from './issue-messages.js';
import { configSchema, type ConfigFile, type FilterEntry, type SourceEntry } from './schema.js';
import { checkSources, type SourceIdentity } from './source-key.js';
import { parseDuration, parseSize } from './units.js';
import { collectKeys, firstAlias, formatPath, locate, position, type KeyPath } from './yaml-positions.js';

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
}

/** Regular expressions (as written; compile with flags `iu`) matched against an item's fields. */
export interface Filter {
  title?: string;
  content?: string;
  author?: string;
  category?: string;
}

export interface RetentionConfig {
  maxAgeMs: number;
  maxItems: number;
}

export interface ImagesConfig {
  referrerPolicy: string;
  lazy: boolean;
  mirror: boolean;
  /** `none`, `origin` (of the article) or a fixed URL: the Referer sent when mirroring. */
  referer: string;
  maxBytes: number;
  default: string;
}

export interface SourceConfig {
  kind: 'url' | 'file' | 'rsshub';
  /** The URL; the absolute file path; the RSSHub route as written, query kept. */
  location: string;
  /** Stable identity: `url:<url>` | `file:<path relative to the yml dir, forward slashes>` | `rsshub:<route>`. */
  key: string;
  name: string;
  categories: string[];
  include: Filter | null;
  exclude: Filter | null;
  /** Fetch the article page: null = no; selector "" = automatic extraction (Readability). */
  fullText: { selector: string } | null;
  /** Hosts whose players may be embedded. */
  embeds: string[];
  /** An OpenCC conversion such as t2s, or "". */
  convert: string;
  comments: boolean;
  timezone: string;
  /** Extra request headers, cookies already folded into `Cookie`. */
  headers: Record<string, string>;
  intervalMs: number;
  retention: RetentionConfig;
  images: ImagesConfig;
  /** 1-based line of this source in the file, for messages. */
  line: number;
  /** `disabled: true`: configured but never fetched. */
  disabled: boolean;
}

export interface Config {
  file: string;
  dir: string;
  site: { root: string; postsDir: string; filename: string };
  rsshub: { instances: string[]; accessKey: string; language: 'zh' | 'en' };
  fetch: {
    concurrency: number;
    perHost: number;
    timeoutMs: number;
    connectTimeoutMs: number;
    retries: number;
    maxBytes: number;
    maxItemsPerFeed: number;
    userAgent: string;
    allowPrivateNetworks: boolean;
  };
  /** The site's theme and the front-matter keys its posts carry for it (theme-profiles.ts). */
  theme: { name: string; keys: ThemeKey[] };
  sources: SourceConfig[];
  warnings: string[];
}

const MAX_PROBLEMS = 20;

export async function loadConfig(file: string, options: LoadOptions = {}): Promise<Config> {
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  const text = await readConfigText(file);

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (doc.errors.length > 0) {
    throw new ConfigError(limit(doc.errors.map((error) => syntaxProblem(doc, text, error, file, at))));
  }

  const warnings = doc.warnings.map((warning) => `${file}:${position(at(warning.pos[0]))}: ${warning.message}`);
  const problems = expandEnv(doc, options.env ?? process.env, (offset, name) =>
    warnings.push(`${file}:${at(offset).line}: \${${name}} is not set`),
  );

  const raw = withoutNulls(toJS(doc, file, at)) ?? {};
  const parsed = configSchema.safeParse(raw, { error: describeIssue });
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((issue) => issueProblems(doc, issue)));
  const identities = checkSources(doc, raw, dir, at);
  problems.push(...identities.problems);

  if (problems.length > 0 || !parsed.success) {
    const lines = problems
      .sort((a, b) => a.offset - b.offset)
      .map((problem) => {
        const keyPath = formatPath(problem.path);
        return `${file}:${position(at(problem.offset))}: ${keyPath === '' ? '' : `${keyPath}: `}${problem.message}`;
      });
    throw new ConfigError(limit([...new Set(lines)]));
  }
  return resolve(parsed.data, { absolute, dir, warnings, identities: identities.bySource, doc, at });
}

async function readConfigText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`${file}: not found — create one with "newsstand init" or pass --config FILE`);
    if (code === 'EISDIR') throw new ConfigError(`${file}: is a directory — pass --config FILE naming the newsstand.yml in it`);
    throw new ConfigError(`${file}: cannot be read (${code ?? String(error)})`);
  }
}

function toJS(doc: Document, file: string, at: (offset: number) => { line: number; col: number }): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    // The yaml library refuses alias bombs ("Excessive alias count …") only while converting: named at the
    // first alias, the place to start looking.
    const alias = firstAlias(doc.contents, []);
    const where = alias ? `:${position(at(alias.offset))}: ${formatPath(alias.path)}` : '';
    throw new ConfigError(`${file}${where}: YAML error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * A YAML syntax error with the key it is at: the last key that starts on or before the error's line (an
 * unclosed quote or bracket is reported where the parser gave up, often the end of the file, so for those it
 * is the last key before the error, and its value's position is reported instead).
 */
function syntaxProblem(
  doc: Document,
  text: string,
  error: YAMLError,
  file: string,
  at: (offset: number) => { line: number; col: number },
): string {
  const offset = error.pos[0];
  const unclosed = error.code === 'MISSING_CHAR' || /^Flow (?:map|sequence)/.test(error.message);
  const lineEnd = text.indexOf('\n', offset) === -1 ? text.length : text.indexOf('\n', offset);
  const keys: Array<{ path: KeyPath; start: number; valueStart: number }> = [];
  collectKeys(doc.contents, [], keys);
  const key = keys.filter((candidate) => (unclosed ? candidate.start < offset : candidate.start <= lineEnd)).at(-1);
  const where = unclosed && key ? key.valueStart : offset;
  return `${file}:${position(at(where))}: ${key ? `${formatPath(key.path)}: ` : ''}YAML syntax error: ${error.message}`;
}

function limit(lines: string[]): string {
  if (lines.length <= MAX_PROBLEMS) return lines.join('\n');
  return [...lines.slice(0, MAX_PROBLEMS), `… and ${lines.length - MAX_PROBLEMS} more problems`].join('\n');
}

/** `key:` with nothing after it means "not given", as it reads; list items stay so indices match the file. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, entry]) => entry !== null)
      .map(([key, entry]) => [key, withoutNulls(entry)]),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Resolution of a valid file.

interface ResolveContext {
  absolute: string;
  dir: string;
  warnings: string[];
  identities: Map<number, SourceIdentity>;
  doc: Document;
  at: (offset: number) => { line: number };
}

function resolve(data: ConfigFile, context: ResolveContext): Config {
  const root = path.resolve(context.dir, data.site.root);
  return {
    file: context.absolute,
    dir: context.dir,
    site: { root, postsDir: path.resolve(root, data.site.postsDir), filename: data.site.filename },
    rsshub: { ...data.rsshub, instances: [...data.rsshub.instances] },
    fetch: resolveFetch(data.fetch),
    theme: resolveTheme(data.theme, root, context),
    sources: data.sources.map((entry, index) => {
      // Present for every entry: the schema accepted it, and checkSources identified it without a problem.
      const identity = context.identities.get(index)!;
      const line = context.at(locate(context.doc, ['sources', index], 'value')).line;
      return resolveSource(entry, identity, data.defaults, line);
    }),
    warnings: context.warnings,
  };
}

function resolveFetch(fetch: ConfigFile['fetch']): Config['fetch'] {
  return {
    concurrency: fetch.concurrency,
    perHost: fetch.perHost,
    timeoutMs: ms(fetch.timeout),
    connectTimeoutMs: ms(fetch.connectTimeout),
    retries: fetch.retries,
    maxBytes: parseSize(fetch.maxBytes)!,
    maxItemsPerFeed: fetch.maxItemsPerFeed,
    userAgent: fetch.userAgent,
    allowPrivateNetworks: fetch.allowPrivateNetworks,
  };
}

/** `fetch` as a newsstand.yml that sets none of it has it: for fetching outside any site (`newsstand parse`). */
export function defaultFetchConfig(): Config['fetch'] {
  return resolveFetch(configSchema.shape.fetch.parse(undefined));
}

/**
 * The keys a post carries for the site's theme: its profile's (the theme named in the site's _config.yml,
 * with `auto`), then `theme.frontMatter`, which also replaces a profile's key of the same name.
 */
function resolveTheme(data: ConfigFile['theme'], root: string, context: ResolveContext): Config['theme'] {
  const named = siteTheme(root);
  const profile = data.profile === 'auto' ? named : data.profile;
  const keys: ThemeKey[] = [...(THEME_PROFILES[profile]?.frontMatter ?? [])];
  for (const [key, value] of Object.entries(data.frontMatter)) {
    const at = keys.findIndex(([existing]) => existing === key);
    if (at >= 0) keys[at] = [key, value];
    else keys.push([key, value]);
  }
  if (data.profile === 'auto' && named && !Object.hasOwn(THEME_PROFILES, named) && Object.keys(data.frontMatter).length === 0) {
    context.warnings.push(
      `${context.absolute}: the theme "${named}" (${path.join(root, '_config.yml')}) has no newsstand profile, so posts carry only the seed's keys ` +
        `(headimg, thumbnail); name the keys it reads for the lead image and the excerpt under theme.frontMatter (see README, "Your theme")`,
    );
  }
  return { name: named, keys };
}

/** The theme named in the site's _config.yml ("" when there is none or the file cannot be read: the build reports that). */
function siteTheme(root: string): string {
  try {
    const theme = readHexoConfig(root).theme;
    return typeof theme === 'string' ? themeName(theme) : '';
  } catch {
    return '';
  }
}

function resolveSource(entry: SourceEntry, identity: SourceIdentity, defaults: ConfigFile['defaults'], line: number): SourceConfig {
  return {
    ...identity,
    name: entry.name ?? '',
    categories: [...(entry.categories ?? [])],
    include: filter(entry.include),
    exclude: filter(entry.exclude),
    fullText: fullTextSetting(entry.fullText ?? defaults.fullText),
    embeds: [...(entry.embeds ?? defaults.embeds)],
    convert: entry.convert ?? '',
    comments: entry.comments ?? defaults.comments,
    timezone: entry.timezone ?? defaults.timezone,
    headers: requestHeaders({ ...defaults.headers, ...entry.headers }, { ...defaults.cookies, ...entry.cookies }),
    intervalMs: ms(entry.interval ?? defaults.interval),
    retention: {
      maxAgeMs: ms(entry.retention?.maxAge ?? defaults.retention.maxAge),
      maxItems: entry.retention?.maxItems ?? defaults.retention.maxItems,
    },
    images: images({ ...defaults.images, ...definedOnly(entry.images ?? {}) }),
    line,
    disabled: entry.disabled ?? false,
  };
}

function fullTextSetting(value: boolean | { selector: string }): SourceConfig['fullText'] {
  if (value === false) return null;
  return { selector: value === true ? '' : value.selector };
}

function images(entry: ConfigFile['defaults']['images']): ImagesConfig {
  return { ...entry, maxBytes: parseSize(entry.maxBytes)! };
}

/** An empty filter filters nothing, so it is the same as none. */
function filter(entry: FilterEntry | undefined): Filter | null {
  const patterns = definedOnly(entry ?? {});
  return Object.keys(patterns).length > 0 ? patterns : null;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

function ms(duration: string): number {
  return parseDuration(duration)!;
}

/** A source's extra request headers, its cookies folded into one `Cookie` header (added to any given). */
function requestHeaders(headers: Record<string, string>, cookies: Record<string, string>): Record<string, string> {
  const pairs = Object.entries(cookies).map(([name, value]) => `${name}=${value}`);
  if (pairs.length === 0) return headers;
  const given = Object.entries(headers).find(([name]) => name.toLowerCase() === 'cookie');
  const rest = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'cookie'));
  return { ...rest, Cookie: [given?.[1], ...pairs].filter(Boolean).join('; ') };
}
