import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import {
  appendSource,
  appendSources,
  editConfigFile,
  insertSource,
  insertSources,
  removeSourceText,
  setSourceDisabledText,
} from './edit.js';

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
    const result = insertSource(CONFIG, {
      rsshub: '/36kr/newsflashes?limit=20&filter=AI|芯片',
      categories: ['新媒体', '36氪', '资讯, 快讯'],
    });
    const added = ['', '  - rsshub: /36kr/newsflashes?limit=20&filter=AI|芯片', '    categories: [新媒体, 36氪, "资讯, 快讯"]'];
    const lines = CONFIG.split('\n');
    const at = lines.indexOf("    name: 'Example'") + 1;
    expect(result.split('\n')).toEqual([...lines.slice(0, at), ...added, ...lines.slice(at)]);
  });

  it('quotes what YAML needs quoted', () => {
    const result = insertSource('sources:\n  - file: a.xml\n', {
      url: 'https://a.example/feed?x=1#frag',
      name: '- dash: colon #hash',
      categories: ['[brackets]', "it's"],
    });
    expect(result).toContain('  - url: https://a.example/feed?x=1#frag\n');
    expect(result).toContain('    name: "- dash: colon #hash"\n');
    expect(result).toContain(`    categories: ["[brackets]", it's]\n`);
  });

  it('creates the list when there is none, or replaces an empty one', () => {
    expect(insertSource('site: { root: . }\n', { url: 'https://a.example/' })).toBe(
      'site: { root: . }\nsources:\n  - url: https://a.example/\n',
    );
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

describe('insertSources', () => {
  it('adds many sources in one edit, spaced like the others', () => {
    const result = insertSources(CONFIG, [
      { url: 'https://b.example/feed' },
      { rsshub: '/x/y', name: 'X', categories: ['a', 'b', '全部'], disabled: true },
    ]);
    const lines = CONFIG.split('\n');
    const at = lines.indexOf("    name: 'Example'") + 1;
    const added = [
      '',
      '  - url: https://b.example/feed',
      '',
      '  - rsshub: /x/y',
      '    name: X',
      '    categories: [a, b, 全部]',
      '    disabled: true',
    ];
    expect(result.split('\n')).toEqual([...lines.slice(0, at), ...added, ...lines.slice(at)]);
  });

  it('adds no blank lines to a list whose sources are not separated by them (a blank line above "sources:" aside)', () => {
    const text = 'site: {}\n\nsources:\n  - url: https://a.example/\n  - url: https://b.example/\n';
    expect(insertSources(text, [{ url: 'https://c.example/' }, { url: 'https://d.example/' }])).toBe(
      `${text}  - url: https://c.example/\n  - url: https://d.example/\n`,
    );
  });

  it('keeps a file\'s CRLF line endings, and fills an empty "sources:"', () => {
    expect(insertSources('sources:\r\n  - url: https://a.example/\r\n', [{ url: 'https://b.example/' }])).toBe(
      'sources:\r\n  - url: https://a.example/\r\n  - url: https://b.example/\r\n',
    );
    expect(insertSources('site: {}\nsources:\n', [{ url: 'https://b.example/' }])).toBe(
      'site: {}\nsources:\n  - url: https://b.example/\n',
    );
  });

  it('edits a flow list through the document API', () => {
    expect(insertSources('sources: [{ url: "https://a.example/" }]\n', [{ url: 'https://b.example/' }])).toContain('https://b.example/');
  });
});

describe('removeSourceText', () => {
  it("removes the item's own lines and one of the blank lines around it; every other byte stays", () => {
    const text = `${CONFIG.replace("    name: 'Example'\n", "    name: 'Example'\n    # about Example\n\n  - file: ./c.xml   # C\n")}`;
    expect(removeSourceText(text, 1)).toBe(
      text.replace(`  - url: "https://example.com/feed.xml"\n    name: 'Example'\n    # about Example\n\n`, ''),
    );
    expect(removeSourceText(text, 2)).toBe(text.replace('\n\n  - file: ./c.xml   # C\n', '\n'));
  });

  it('removes the first source without leaving a blank line at the top of the list; comments above it stay', () => {
    expect(removeSourceText(CONFIG, 0)).toBe(
      CONFIG.replace('  - rsshub: /aljazeera/chinese/news\n    categories: [新媒体, Aljazeera 半岛网, 新闻]   # as the seed\n\n', ''),
    );
  });

  it('removes the only source, and sources in a flow list', () => {
    expect(removeSourceText('sources:\n  - url: https://a.example/\nsite: {}\n', 0)).toBe('sources:\nsite: {}\n');
    expect(removeSourceText('sources: [{ url: "https://a.example/" }, { url: "https://b.example/" }]\n', 0)).toBe(
      'sources: [ { url: "https://b.example/" } ]\n',
    );
  });
});

describe('setSourceDisabledText', () => {
  it('adds "disabled: true" as the item\'s last key, at its indentation', () => {
    expect(setSourceDisabledText(CONFIG, 0, true)).toBe(CONFIG.replace('# as the seed\n', '# as the seed\n    disabled: true\n'));
    expect(setSourceDisabledText('sources:\n- url: https://a.example/\n  name: A\nsite: {}\n', 0, true)).toBe(
      'sources:\n- url: https://a.example/\n  name: A\n  disabled: true\nsite: {}\n',
    );
  });

  it('adds it inside a flow map, and turns "disabled: false" into true in place', () => {
    expect(setSourceDisabledText('sources:\n  - { url: "https://a.example/", name: A }  # A\n', 0, true)).toBe(
      'sources:\n  - { url: "https://a.example/", name: A, disabled: true }  # A\n',
    );
    expect(setSourceDisabledText('sources:\n  - url: https://a.example/\n    disabled: false  # for now\n', 0, true)).toBe(
      'sources:\n  - url: https://a.example/\n    disabled: true  # for now\n',
    );
  });

  it("enabling removes the key's line, and changes nothing when there is none", () => {
    const disabled = setSourceDisabledText(CONFIG, 1, true);
    expect(disabled).not.toBe(CONFIG);
    expect(setSourceDisabledText(disabled, 1, false)).toBe(CONFIG);
    expect(setSourceDisabledText(CONFIG, 1, false)).toBe(CONFIG);
  });

  it('enabling a source whose first key is "disabled" goes through the document API and keeps the rest', () => {
    const result = setSourceDisabledText('sources:\n  # mine\n  - disabled: true\n    url: https://a.example/  # A\n', 0, false);
    expect(result).toBe('sources:\n  # mine\n  - url: https://a.example/ # A\n');
  });
});

describe('editConfigFile', () => {
  it("keeps the file's permissions, and writes nothing when the result is invalid", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsstand-edit-'));
    const file = join(dir, 'newsstand.yml');
    await writeFile(file, CONFIG);
    await chmod(file, 0o600);
    await appendSources(file, [{ url: 'https://c.example/' }, { url: 'https://d.example/' }]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const before = await readFile(file, 'utf8');
    expect(before).toContain('  - url: https://d.example/\n');
    const error = await editConfigFile(file, (text) =>
      setSourceDisabledText(text, 0, true).replace('disabled: true', 'disabled: maybe'),
    ).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`${file}:`);
    expect(error.message).toContain('disabled');
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});
