/**
 * Broken `newsstand.yml` files through the built CLI: each makes `newsstand sync` exit 2 with a message that
 * names the file, the line and the key — no stack trace — and writes nothing (no state, no posts). Every file
 * also has a valid `file:` source, so a run that went ahead would leave posts behind.
 * (src/config/load-errors.test.ts checks the loader's exact messages; this checks what a user sees.)
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSite, rss, runCli, type TestSite } from './helpers/site.js';

const sites: TestSite[] = [];
afterAll(() => {
  for (const site of sites) site.remove();
});

const FEED = './feeds/a.xml';
const SOURCE = [`  - file: ${FEED}`, '    categories: [新闻, A, 全部]'];

interface BrokenConfig {
  what: string;
  lines: string[];
  /** 1-based line the message must name. */
  line: number;
  /** The key path the message must name. */
  key: string;
  /** More of the message: what is expected. */
  says: string;
}

const BROKEN: BrokenConfig[] = [
  {
    what: 'bad YAML (indentation)',
    lines: ['site:', '  root: .', ' postsDir: x', 'sources:', ...SOURCE],
    line: 3,
    key: 'postsDir',
    says: 'YAML syntax error',
  },
  {
    what: 'bad YAML (unclosed quote)',
    lines: ['sources:', ...SOURCE, '    name: "A 源', '  - url: https://b.example/feed'],
    line: 4,
    key: 'sources[0].name',
    says: 'Missing closing "quote',
  },
  {
    what: 'an unknown key',
    lines: ['fetch:', '  maxItemsPerFeeds: 5', 'sources:', ...SOURCE],
    line: 2,
    key: 'fetch.maxItemsPerFeeds',
    says: 'did you mean "maxItemsPerFeed"',
  },
  {
    what: 'a wrong type',
    lines: ['fetch:', '  concurrency: eight', 'sources:', ...SOURCE],
    line: 2,
    key: 'fetch.concurrency',
    says: 'expected a number',
  },
  {
    what: 'a cap below 1',
    lines: ['fetch:', '  maxItemsPerFeed: 0', 'sources:', ...SOURCE],
    line: 2,
    key: 'fetch.maxItemsPerFeed',
    says: 'must be at least 1',
  },
  {
    what: 'a bad duration',
    lines: ['sources:', ...SOURCE, '    interval: 30 minutes'],
    line: 4,
    key: 'sources[0].interval',
    says: 'is not a duration',
  },
  {
    what: 'a bad regex',
    lines: ['sources:', ...SOURCE, '    include: { title: "(AI|芯片" }'],
    line: 4,
    key: 'sources[0].include.title',
    says: 'is not a valid regular expression',
  },
  {
    what: 'a source of no kind',
    lines: ['sources:', ...SOURCE, '  - name: Nothing', '    categories: [x]'],
    line: 4,
    key: 'sources[1]',
    says: 'needs exactly one of rsshub, url or file',
  },
  {
    what: 'an alias bomb',
    lines: [
      'sources:',
      ...SOURCE,
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((name, i) => `${name}: &${name} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
    ],
    line: 5,
    key: 'b[0]',
    says: 'Excessive alias count',
  },
  {
    what: 'a duplicate source',
    lines: ['sources:', ...SOURCE, `  - file: ./feeds/../feeds/a.xml`],
    line: 4,
    key: 'sources[1].file',
    says: 'same source as sources[0] (line 2)',
  },
];

describe('newsstand sync with a broken newsstand.yml', () => {
  it.each(BROKEN)('$what: exit 2, file:line and key named, nothing written', async ({ lines, line, key, says }) => {
    const site = makeSite();
    sites.push(site);
    site.writeFeed('a.xml', rss([{ title: 'would be published', link: 'https://a.example/1', pubDate: new Date().toUTCString() }]));
    writeFileSync(site.configFile, `${lines.join('\n')}\n`);

    const result = await runCli(['sync', '--config', site.configFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`${escapeRegExp(site.configFile)}:${line}:\\d+: ${escapeRegExp(key)}: .*${escapeRegExp(says)}`),
    );
    expect(result.stderr).not.toMatch(/\n\s+at |internal error|ZodError/);
    expect(result.stdout).toBe('');
    expect(existsSync(join(site.dir, '.newsstand'))).toBe(false);
    expect(existsSync(site.postsDir)).toBe(false);
  });

  it('the same files pass once mended, so the table tests what it says', async () => {
    const site = makeSite();
    sites.push(site);
    site.writeFeed('a.xml', rss([{ title: 'published', link: 'https://a.example/1', pubDate: new Date().toUTCString() }]));
    writeFileSync(site.configFile, `${['fetch:', '  maxItemsPerFeed: 5', 'sources:', ...SOURCE, '    interval: 30m'].join('\n')}\n`);
    const result = await runCli(['sync', '--config', site.configFile]);
    expect(result.code).toBe(0);
    expect(Object.keys(site.posts())).toHaveLength(1);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
