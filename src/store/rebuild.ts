import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { linkKey } from '../identity.js';
import type { ItemRow, StateStore } from './state.js';

const FRONT_MATTER = /^\s*---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/;

/**
 * Refills a new state database from the posts on disk (their `newsstand_id` and `original_url`, and the
 * mirrored images they show), so that deleting the database never makes the next run publish anything
 * twice nor delete an image a post still shows. Posts newsstand did not write are left alone. Returns how
 * many posts were recognised.
 */
export async function rebuildStateFromPosts(store: StateStore, postsDir: string, now: number, imagesUrlPrefix = '/images/'): Promise<number> {
  const mirrored = new RegExp(`["']${escapeRegExp(imagesUrlPrefix)}([0-9a-f]{2}/[0-9a-f]{20}\\.[a-z]{3,4})["']`, 'g');
  const images: Array<[string, string[]]> = [];
  let names: string[];
  try {
    names = (await readdir(postsDir)).filter((name) => name.endsWith('.md') && !name.startsWith('.'));
  } catch {
    return 0;
  }
  const rows: ItemRow[] = [];
  for (const name of names) {
    // Something that is not a readable file (a directory named x.md) is not a post.
    const text = await readFile(join(postsDir, name), 'utf8').catch(() => null);
    if (text === null) continue;
    const facts = readPostFacts(text);
    if (!facts) continue;
    rows.push({
      id: facts.id,
      source_key: '',
      link_key: linkKey(facts.link),
      file: name.slice(0, -'.md'.length),
      date: facts.date ?? now,
      first_seen: facts.date ?? now,
      item_hash: '',
      post_hash: postHash(text),
    });
    images.push([facts.id, [...new Set(Array.from(text.matchAll(mirrored), (match) => match[1]!))]]);
  }
  store.transaction(() => {
    for (const row of rows) store.saveItem(row);
    for (const [id, files] of images) store.setItemImages(id, files);
  });
  return rows.length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function postHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function readPostFacts(text: string): { id: string; link: string; date: number | null } | null {
  const block = FRONT_MATTER.exec(text)?.[1];
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
