import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type SourceConfig } from '../config/load.js';
import {
  BODY_OPTIONS,
  FRONT_MATTER_OPTIONS,
  OTHER_OPTIONS,
  postSettings,
  retentionChanged,
  SELECTION_OPTIONS,
  sourceFingerprint,
} from './fingerprint.js';

async function loadedSources(): Promise<SourceConfig[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newsstand-fingerprint-'));
  const file = path.join(dir, 'newsstand.yml');
  await writeFile(
    file,
    [
      'sources:',
      '  - url: https://a.example/feed',
      '  - rsshub: /36kr/newsflashes',
      '  - file: ./a.xml',
      '    name: A',
      '    fullText: true',
      '    include: { title: "AI" }',
    ].join('\n'),
  );
  return (await loadConfig(file, { env: {} })).sources;
}

describe('what shapes a post: the one list', () => {
  it('places every option of a loaded source in exactly one list', async () => {
    const lists = [FRONT_MATTER_OPTIONS, BODY_OPTIONS, SELECTION_OPTIONS, OTHER_OPTIONS].flat();
    expect(new Set(lists).size).toBe(lists.length);
    for (const source of await loadedSources()) expect(Object.keys(source).sort()).toEqual([...lists].sort());
  });

  it('changes the fingerprint with every option that shapes a post, and with nothing else', async () => {
    const [source] = await loadedSources();
    const base = sourceFingerprint(source!, []);
    const changed: Partial<Record<keyof SourceConfig, unknown>> = {
      name: 'B',
      categories: ['x'],
      comments: true,
      images: { ...source!.images, lazy: false },
      embeds: [],
      convert: 't2s',
      fullText: { selector: 'article' },
      include: { title: 'x' },
      exclude: { title: 'x' },
      timezone: 'Asia/Shanghai',
      retention: { maxAgeMs: 1, maxItems: 1 },
    };
    for (const [key, value] of Object.entries(changed)) expect(sourceFingerprint({ ...source!, [key]: value }, []), key).not.toBe(base);
    for (const key of OTHER_OPTIONS) expect(sourceFingerprint({ ...source!, [key]: key === 'disabled' ? true : 7 }, []), key).toBe(base);
    expect(sourceFingerprint(source!, [['cover', 'image']])).not.toBe(base);
  });

  it("changes a post's settings with what shapes its text, not with what selects the items", async () => {
    const [source] = await loadedSources();
    const resolved = { name: 'A', categories: ['a', 'b', 'c'] };
    const base = postSettings(resolved, source!, []);
    expect(postSettings({ ...resolved, name: 'B' }, source!, [])).not.toBe(base);
    expect(postSettings({ ...resolved, categories: ['a'] }, source!, [])).not.toBe(base);
    expect(postSettings(resolved, { ...source!, comments: true }, [])).not.toBe(base);
    expect(postSettings(resolved, { ...source!, convert: 't2s' }, [])).not.toBe(base);
    expect(postSettings(resolved, source!, [['cover', 'image']])).not.toBe(base);
    expect(postSettings(resolved, { ...source!, timezone: 'Asia/Shanghai', include: { title: 'x' } as SourceConfig['include'] }, [])).toBe(
      base,
    );
  });

  it('tells whether retention changed since the fingerprint was taken', async () => {
    const [source] = await loadedSources();
    const before = sourceFingerprint(source!, []);
    expect(retentionChanged(before, source!)).toBe(false);
    expect(retentionChanged(before, { ...source!, retention: { ...source!.retention, maxItems: 3 } })).toBe(true);
    expect(retentionChanged(undefined, source!)).toBe(false);
    expect(retentionChanged('{"name":"old fingerprint without retention"}', source!)).toBe(false);
  });
});
