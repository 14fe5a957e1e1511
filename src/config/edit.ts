/**
 * Edits of `newsstand.yml` made by commands (add, import, remove, disable, enable). Each leaves every other
 * byte of the file as the user wrote it — comments, order, quoting, blank lines — by splicing text at the
 * places the YAML document's nodes give; a splice whose result does not read back as intended falls back to
 * the document API (comments and order kept, layout normalized). The result is validated as a whole by the
 * same loader as every run, and replaces the file atomically, or not at all.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { ConfigError } from '../errors.js';
import { loadConfig, type Config } from './load.js';

export type SourceEntry = Record<string, string | string[] | boolean>;

export interface EditOptions {
  /** Validate and return the would-be configuration; write nothing. */
  dryRun?: boolean;
}

/** Appends a source to `sources:` (see {@link insertSources}); returns the new configuration. */
export async function appendSource(configFile: string, entry: SourceEntry, options: EditOptions = {}): Promise<Config> {
  return appendSources(configFile, [entry], options);
}

/** Appends sources to `sources:` in one validated, atomic write; returns the new configuration. */
export async function appendSources(configFile: string, entries: readonly SourceEntry[], options: EditOptions = {}): Promise<Config> {
  return editConfigFile(configFile, (text) => insertSources(text, entries), options);
}

/**
 * Reads the configuration file, applies `edit` to its text, validates the result and — unless `dryRun` —
 * replaces the file with it atomically (keeping the file's permissions). Returns the new configuration.
 */
export async function editConfigFile(configFile: string, edit: (text: string) => string, options: EditOptions = {}): Promise<Config> {
  const original = await readFile(configFile, 'utf8');
  const updated = edit(original);
  // Validated through the same loader as every run, from a temporary file beside the real one, so that
  // relative paths resolve the same; only a valid file replaces the original.
  const temporary = join(dirname(configFile), `.${basename(configFile)}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temporary, updated);
  try {
    const config = await loadConfig(temporary).catch((error: unknown) => {
      throw error instanceof ConfigError ? new ConfigError(error.message.replaceAll(temporary, configFile)) : error;
    });
    const result = {
      ...config,
      file: config.file.replace(temporary, configFile),
      warnings: config.warnings.map((line) => line.replaceAll(temporary, configFile)),
    };
    if (options.dryRun) return result;
    // The file may hold secrets (cookies, access keys) and be private: the new one keeps its mode.
    await chmod(temporary, (await stat(configFile)).mode & 0o7777);
    await rename(temporary, configFile);
    return result;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** The configuration text with `entry` appended to its sources. */
export function insertSource(text: string, entry: SourceEntry): string {
  return insertSources(text, [entry]);
}

/**
 * The configuration text with `entries` appended to its sources: inserted as text after the last source,
 * indented like the others (and separated by blank lines when the user separates sources so).
 */
export function insertSources(text: string, entries: readonly SourceEntry[]): string {
  if (entries.length === 0) return text;
  const document = parseDocument(text);
  const sources = document.get('sources', true);
  const eol = lineEnding(text);
  const items = entries.map(itemText);
  if (isSeq(sources) && !sources.flow && sources.items.length > 0 && sources.range) {
    const [start, , end] = sources.range;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const indent = ' '.repeat(start - lineStart);
    // After the last item, before any blank lines or comments that follow the list.
    const insertAt = text.slice(0, end).replace(/\s+$/, '').length;
    // Sources the user separated by blank lines get one before each new source too. The last few sources
    // tell: new ones go after them, and looking at every one of thousands would cost a scan of the file each.
    const lines = text.split('\n');
    const spaced = sources.items
      .slice(1)
      .slice(-5)
      .some((node) => {
        const span = itemSpan(text, (node as { range?: number[] } | null)?.range?.[0]);
        return span !== null && span.first > 0 && isBlank(lines[span.first - 1]);
      });
    const separator = spaced ? `${eol}${eol}` : eol;
    const added = items.map((item) => indented(item, indent, eol)).join(separator);
    const spliced = `${text.slice(0, insertAt)}${separator}${added}${text.slice(insertAt)}`;
    return checked(
      spliced,
      expectedWith(document, (sources) => [...sources, ...entries]),
      () => {
        for (const entry of entries) document.addIn(['sources'], entry);
        return document.toString({ lineWidth: 0 });
      },
    );
  }
  if (
    sources === undefined ||
    sources === null ||
    (isScalar(sources) && sources.value === null) ||
    (isSeq(sources) && sources.items.length === 0)
  ) {
    // No sources yet (`sources:`, `sources: []`, or no key): a `sources:` block at the end of the file.
    const withoutEmpty = text.replace(/^sources:[ \t]*(?:\[\s*\])?[ \t]*(#.*)?\r?$/m, '').replace(/\s*$/, '');
    return `${withoutEmpty}${withoutEmpty ? eol : ''}sources:${eol}${items.map((item) => indented(item, '  ', eol)).join(eol)}${eol}`;
  }
  if (isSeq(sources)) {
    // A flow list (`sources: [ … ]`) has no lines to add to: the document API renders it.
    for (const entry of entries) document.addIn(['sources'], entry);
    return document.toString({ lineWidth: 0 });
  }
  throw new ConfigError(`${text ? '' : 'empty file: '}cannot add a source: "sources" in the configuration is not a list of sources`);
}

/** The configuration text without the source at `index` of `sources:` (its comments above it stay). */
export function removeSourceText(text: string, index: number): string {
  const { document, item } = sourceItem(text, index);
  const expected = expectedWith(document, (sources) => sources.filter((_, at) => at !== index));
  const rebuild = () => {
    document.deleteIn(['sources', index]);
    return document.toString({ lineWidth: 0 });
  };
  const span = itemSpan(text, item?.range?.[0]);
  if (!span) return rebuild();
  const lines = text.split('\n');
  let { first, last } = span;
  // Between sources separated by blank lines, one blank line goes with the source (the one after the first
  // source, so the list does not start with a blank line; never the "" after the file's last line break).
  const blankAfter = last + 1 < lines.length - 1 && isBlank(lines[last + 1]);
  if (first > 0 && isBlank(lines[first - 1]) && (blankAfter || last + 1 >= lines.length - 1)) first--;
  else if (index === 0 && blankAfter) last++;
  const spliced = [...lines.slice(0, first), ...lines.slice(last + 1)].join('\n');
  return checked(spliced, expected, rebuild);
}

/** The configuration text with `disabled: true` set on the source at `index`, or the key removed (enabled). */
export function setSourceDisabledText(text: string, index: number, disabled: boolean): string {
  const { document, item } = sourceItem(text, index);
  const expected = expectedWith(document, (sources) =>
    sources.map((source, at) => {
      if (at !== index) return source;
      const { disabled: _previous, ...rest } = source as Record<string, unknown>;
      return disabled ? { ...(source as object), disabled: true } : rest;
    }),
  );
  const rebuild = () => {
    if (disabled) document.setIn(['sources', index, 'disabled'], true);
    else document.deleteIn(['sources', index, 'disabled']);
    return document.toString({ lineWidth: 0 });
  };
  if (!isMap(item)) return rebuild();
  const pairIndex = item.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === 'disabled');
  const pair = item.items[pairIndex];
  const eol = lineEnding(text);
  let spliced: string | null = null;
  if (pair && disabled) {
    // `disabled: false` (or any value) becomes `disabled: true` in place.
    const range = (pair.value as { range?: number[] } | null)?.range;
    if (range) spliced = `${text.slice(0, range[0])}true${text.slice(range[1])}`;
  } else if (pair && !disabled && !item.flow && pairIndex > 0) {
    // The key's own lines go (not the first key's: it shares its line with the list's "- ").
    const keyStart = (pair.key as { range?: number[] }).range?.[0];
    const span = itemSpan(text, keyStart, { dash: false });
    if (span) {
      const lines = text.split('\n');
      spliced = [...lines.slice(0, span.first), ...lines.slice(span.last + 1)].join('\n');
    }
  } else if (!pair && disabled && item.flow && item.range) {
    // `- { url: … }` → `- { url: …, disabled: true }`
    const close = text.lastIndexOf('}', item.range[1] - 1);
    const contentEnd = text.slice(0, close).replace(/\s+$/, '').length;
    if (close > item.range[0]) spliced = `${text.slice(0, contentEnd)}, disabled: true${text.slice(contentEnd)}`;
  } else if (!pair && disabled && item.range) {
    const span = itemSpan(text, item.range[0]);
    const keyColumn = item.range[0] - (text.lastIndexOf('\n', item.range[0] - 1) + 1);
    if (span) {
      const lines = text.split('\n');
      const line = `${' '.repeat(keyColumn)}disabled: true${eol === '\r\n' ? '\r' : ''}`;
      spliced = [...lines.slice(0, span.last + 1), line, ...lines.slice(span.last + 1)].join('\n');
    }
  } else if (!pair && !disabled) {
    return text;
  }
  return spliced === null ? rebuild() : checked(spliced, expected, rebuild);
}

function sourceItem(text: string, index: number): { document: Document; item: YAMLMap | null } {
  const document = parseDocument(text);
  const sources = document.get('sources', true);
  if (!isSeq(sources) || index < 0 || index >= sources.items.length) {
    throw new ConfigError(`the configuration changed while newsstand was reading it: sources[${index}] is gone — run the command again`);
  }
  return { document, item: sources.items[index] as YAMLMap };
}

/**
 * The lines (0-based, inclusive) a list item spans: from the line of its "- " to its last line indented
 * deeper than that dash — comments inside the item included, blank lines and comments after it not. With
 * `dash: false`, the same for a map key: its line and the deeper lines under it. Null when the layout is not
 * the plain block layout this understands (the caller then edits through the document API).
 */
function itemSpan(
  text: string,
  contentStart: number | undefined,
  options: { dash?: boolean } = {},
): { first: number; last: number } | null {
  if (contentStart === undefined) return null;
  let anchor = contentStart;
  if (options.dash !== false) {
    anchor = contentStart - 1;
    while (anchor >= 0 && (text[anchor] === ' ' || text[anchor] === '\n' || text[anchor] === '\r')) anchor--;
    if (text[anchor] !== '-') return null;
  }
  const lineStart = text.lastIndexOf('\n', anchor - 1) + 1;
  if (text.slice(lineStart, anchor).trim() !== '') return null; // `- - x` and other compact forms
  const column = anchor - lineStart;
  const lines = text.split('\n');
  const first = text.slice(0, lineStart).split('\n').length - 1;
  let last = first;
  for (let line = first + 1; line < lines.length; line++) {
    const content = lines[line]!;
    if (isBlank(content)) continue;
    if (/^ */.exec(content)![0].length > column) last = line;
    else break;
  }
  return { first, last };
}

function isBlank(line: string | undefined): boolean {
  return line !== undefined && line.trim() === '';
}

/** The document's data with `change` applied to its sources: what an edit must read back as. */
function expectedWith(document: Document, change: (sources: unknown[]) => unknown[]): string {
  const data = (document.toJS() ?? {}) as Record<string, unknown>;
  const sources = Array.isArray(data.sources) ? data.sources : [];
  return JSON.stringify({ ...data, sources: change(sources) });
}

/** `spliced` when it parses cleanly to `expected`; otherwise the document API's rendering. */
function checked(spliced: string, expected: string, rebuild: () => string): string {
  const document = parseDocument(spliced);
  if (document.errors.length > 0) return rebuild();
  const data = (document.toJS() ?? {}) as Record<string, unknown>;
  // `sources:` left empty by removing the last source reads as null, which the loader takes as no sources.
  if ('sources' in data && data.sources === null) data.sources = [];
  return JSON.stringify(data) === expected ? spliced : rebuild();
}

function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** One source as YAML lines (`key: value`), values quoted only where YAML needs it, lists in flow style. */
function itemText(entry: SourceEntry): string {
  const document = new Document(entry);
  const map = document.contents as unknown as { items: Array<{ value: { flow?: boolean } }> };
  for (const pair of map.items) if (pair.value && 'items' in pair.value) pair.value.flow = true;
  return document.toString({ flowCollectionPadding: false, lineWidth: 0 }).trimEnd();
}

function indented(item: string, indent: string, eol: string): string {
  return item
    .split('\n')
    .map((line, index) => `${indent}${index === 0 ? '- ' : '  '}${line}`)
    .join(eol);
}
