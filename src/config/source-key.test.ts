import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { loadConfig } from './load.js';
import { checkSources, sourceIdentity } from './source-key.js';
import { formatPath, position } from './yaml-positions.js';

/** Writes `text` as newsstand.yml in a fresh directory and returns its path. */
async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newsstand-config-'));
  const file = path.join(dir, 'newsstand.yml');
  await writeFile(file, text);
  return file;
}

const lines = (...text: string[]) => `${text.join('\n')}\n`;

const DIR = path.resolve('/sites/news');

/** checkSources on `text`, its file in DIR: the identities by entry index, and the problems as `line:col: key path: message`. */
function checked(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const { bySource, problems } = checkSources(doc, doc.toJS(), DIR, (offset) => lineCounter.linePos(offset));
  return {
    identities: Object.fromEntries(bySource),
    problems: problems.map(
      (problem) => `${position(lineCounter.linePos(problem.offset))}: ${formatPath(problem.path)}: ${problem.message}`,
    ),
  };
}

describe('checkSources', () => {
  it('keys each kind of source', () => {
    const { identities, problems } = checked(
      [
        'sources:',
        '  - url: https://Example.com/feed?a=1',
        '  - rsshub: /bbc/chinese?limit=5',
        '  - file: ./feeds/../feeds/x.xml',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(identities).toEqual({
      0: { kind: 'url', location: 'https://Example.com/feed?a=1', key: 'url:https://example.com/feed?a=1' },
      1: { kind: 'rsshub', location: '/bbc/chinese?limit=5', key: 'rsshub:/bbc/chinese?limit=5' },
      2: { kind: 'file', location: path.join(DIR, 'feeds', 'x.xml'), key: 'file:feeds/x.xml' },
    });
  });

  it('keys a source named outside a file as the same entry in a file in that directory', () => {
    const { identities } = checked(
      ['sources:', '  - url: https://Example.com/feed?a=1', '  - file: ./feeds/../feeds/x.xml', ''].join('\n'),
    );
    expect(sourceIdentity('url', 'https://Example.com/feed?a=1', DIR)).toEqual(identities[0]);
    expect(sourceIdentity('file', './feeds/../feeds/x.xml', DIR)).toEqual(identities[1]);
    expect(sourceIdentity('url', 'feeds/x.xml', DIR)).toBeUndefined();
  });

  it('gives no identity, and leaves the problem to the schema, to an entry it cannot key', () => {
    const { identities, problems } = checked(
      [
        'sources:',
        '  - name: no kind',
        '  - { url: https://a.example/, rsshub: /a }',
        '  - url: 5',
        '  - url: feeds/x.xml',
        '  - rsshub: a/b',
        '  - file: ""',
        '  - [a list]',
        '  -',
        '  - rsshub: /fine',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(Object.keys(identities)).toEqual(['8']);
  });

  it('reports a source that repeats an earlier one, at its location, naming the line of the first', () => {
    const { identities, problems } = checked(
      [
        'sources:',
        '  - url: https://a.example/feed',
        '  - rsshub: /a',
        '  - url: https://A.EXAMPLE:443/feed',
        '  - rsshub: /a',
        '  - rsshub: /a?x',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([
      '4:10: sources[2].url: same source as sources[0] (line 2); remove one',
      '5:13: sources[3].rsshub: same source as sources[1] (line 3); remove one',
    ]);
    expect(Object.keys(identities)).toEqual(['0', '1', '4']);
  });

  it('checks nothing in a file without a list of sources', () => {
    expect(checked('sources: none\n')).toEqual({ identities: {}, problems: [] });
    expect(checked('- a\n')).toEqual({ identities: {}, problems: [] });
  });
});

describe('loadConfig: source keys', () => {
  it('resolves file sources against the yml directory, not the working directory', async () => {
    const file = await configFile('sources:\n  - file: feeds/../feeds/x.xml\n');
    const dir = path.dirname(file);
    await mkdir(path.join(dir, 'feeds'));
    await writeFile(path.join(dir, 'feeds', 'x.xml'), '<rss/>');
    const [source] = (await loadConfig(file, { env: {} })).sources;
    expect(source?.location).toBe(path.join(dir, 'feeds', 'x.xml'));
    expect(source?.key).toBe('file:feeds/x.xml');
  });

  it('keys a URL source by its parsed form', async () => {
    const file = await configFile('sources:\n  - url: HTTPS://Example.COM:443/feed\n');
    const [source] = (await loadConfig(file, { env: {} })).sources;
    expect(source?.location).toBe('HTTPS://Example.COM:443/feed');
    expect(source?.key).toBe('url:https://example.com/feed');
  });

  it('finds duplicate file sources however the path is spelled', async () => {
    const file = await configFile(lines('sources:', '  - file: a.xml', '  - file: ./x/../a.xml'));
    await writeFile(path.join(path.dirname(file), 'a.xml'), '<rss/>');
    await expect(loadConfig(file, { env: {} })).rejects.toThrow(
      new ConfigError(`${file}:3:11: sources[1].file: same source as sources[0] (line 2); remove one`),
    );
  });
});
