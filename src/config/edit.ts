import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Document, isSeq, parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { loadConfig, type Config } from './load.js';

export type SourceEntry = Record<string, string | string[]>;

/**
 * Appends a source to `sources:` in the configuration file, leaving every other byte of the file as the
 * user wrote it (comments, order, quoting, blank lines): the new entry is inserted as text after the last
 * source, indented like the others. The result is validated as a whole before it replaces the file, and
 * replaces it atomically. Returns the new configuration (and writes nothing when `dryRun`).
 */
export async function appendSource(configFile: string, entry: SourceEntry, options: { dryRun?: boolean } = {}): Promise<Config> {
  const original = await readFile(configFile, 'utf8');
  const updated = insertSource(original, entry);
  // Validated through the same loader as every run, from a temporary file beside the real one, so that
  // relative paths resolve the same; only a valid file replaces the original.
  const temporary = join(dirname(configFile), `.${basename(configFile)}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temporary, updated);
  try {
    const config = await loadConfig(temporary).catch((error: unknown) => {
      throw error instanceof ConfigError ? new ConfigError(error.message.replaceAll(temporary, configFile)) : error;
    });
    if (options.dryRun) return { ...config, file: configFile };
    await rename(temporary, configFile);
    return { ...config, file: configFile };
  } finally {
    await rm(temporary, { force: true });
  }
}

/** The configuration text with `entry` appended to its sources. */
export function insertSource(text: string, entry: SourceEntry): string {
  const document = parseDocument(text);
  const sources = document.get('sources', true);
  const item = itemText(entry);
  if (isSeq(sources) && !sources.flow && sources.items.length > 0 && sources.range) {
    const [start, , end] = sources.range;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const indent = ' '.repeat(start - lineStart);
    // After the last item, before any blank lines or comments that follow the list.
    const insertAt = text.slice(0, end).replace(/\s+$/, '').length;
    // Sources the user separated by blank lines get one before the new source too.
    const spaced = sources.items.slice(1).some((node) => node && typeof node === 'object' && 'range' in node && /\n[ \t]*\n/.test(text.slice(0, (node.range as number[])[0]).slice(-200)));
    return `${text.slice(0, insertAt)}\n${spaced ? '\n' : ''}${indented(item, indent)}${text.slice(insertAt)}`;
  }
  if (sources === undefined || sources === null || (isSeq(sources) && sources.items.length === 0)) {
    // No sources yet (or `sources: []`): a `sources:` block at the end of the file.
    const withoutEmpty = text.replace(/^sources:[ \t]*(?:\[\s*\])?[ \t]*(#.*)?$/m, '').replace(/\s*$/, '');
    return `${withoutEmpty}${withoutEmpty ? '\n' : ''}sources:\n${indented(item, '  ')}\n`;
  }
  throw new ConfigError(`${text ? '' : 'empty file: '}cannot add a source: "sources" in the configuration is not a list of sources`);
}

/** One source as YAML lines (`key: value`), values quoted only where YAML needs it, lists in flow style. */
function itemText(entry: SourceEntry): string {
  const document = new Document(entry);
  const map = document.contents as unknown as { items: Array<{ value: { flow?: boolean } }> };
  for (const pair of map.items) if (pair.value && 'items' in pair.value) pair.value.flow = true;
  return document.toString({ flowCollectionPadding: false, lineWidth: 0 }).trimEnd();
}

function indented(item: string, indent: string): string {
  return item
    .split('\n')
    .map((line, index) => `${indent}${index === 0 ? '- ' : '  '}${line}`)
    .join('\n');
}
