import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { appendSource, insertSource } from './edit.js';

const CONFIG = `# My news site
site:
  root: .          # the Hexo site

sources:
  # Al Jazeera, via RSSHub
  - rsshub: /aljazeera/chinese/news
    categories: [新媒体, Aljazeera 半岛网, 新闻]   # as the seed

  - url: "https://example.com/feed.xml"
    name: 'Example'

# retention for everyone
defaults: { retention: { maxAge: 90d } }
`;

describe('insertSource', () => {
  it('adds the source after the last one and leaves every other line as it was', () => {
    const result = insertSource(CONFIG, { rsshub: '/36kr/newsflashes?limit=20&filter=AI|芯片', categories: ['新媒体', '36氪', '资讯, 快讯'] });
    const added = ['', '  - rsshub: /36kr/newsflashes?limit=20&filter=AI|芯片', '    categories: [新媒体, 36氪, "资讯, 快讯"]'];
    const lines = CONFIG.split('\n');
    const at = lines.indexOf("    name: 'Example'") + 1;
    expect(result.split('\n')).toEqual([...lines.slice(0, at), ...added, ...lines.slice(at)]);
  });

  it('quotes what YAML needs quoted', () => {
    const result = insertSource('sources:\n  - file: a.xml\n', { url: 'https://a.example/feed?x=1#frag', name: '- dash: colon #hash', categories: ['[brackets]', "it's"] });
    expect(result).toContain('  - url: https://a.example/feed?x=1#frag\n');
    expect(result).toContain('    name: "- dash: colon #hash"\n');
    expect(result).toContain(`    categories: ["[brackets]", it's]\n`);
  });

  it('creates the list when there is none, or replaces an empty one', () => {
    expect(insertSource('site: { root: . }\n', { url: 'https://a.example/' })).toBe('site: { root: . }\nsources:\n  - url: https://a.example/\n');
    expect(insertSource('sources: []  # none yet\n', { url: 'https://a.example/' })).toBe('sources:\n  - url: https://a.example/\n');
    expect(insertSource('', { url: 'https://a.example/' })).toBe('sources:\n  - url: https://a.example/\n');
  });

  it('refuses when sources is not a list', () => {
    expect(() => insertSource('sources: 3\n', { url: 'https://a.example/' })).toThrow(ConfigError);
  });
});

describe('appendSource', () => {
  it('validates the result and writes it; a dry run writes nothing; an invalid result writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsstand-edit-'));
    const file = join(dir, 'newsstand.yml');
    await writeFile(file, CONFIG);

    const dry = await appendSource(file, { url: 'https://b.example/feed' }, { dryRun: true });
    expect(dry.sources).toHaveLength(3);
    expect(await readFile(file, 'utf8')).toBe(CONFIG);

    await appendSource(file, { url: 'https://b.example/feed' });
    expect(await readFile(file, 'utf8')).toContain('  - url: https://b.example/feed\n');

    const before = await readFile(file, 'utf8');
    const error = await appendSource(file, { url: 'not a url' }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(file);
    expect(error.message).not.toContain('.tmp');
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});
