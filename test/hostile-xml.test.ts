/**
 * Hostile input (ISSUE 8): external entities, entity bombs, 100,000-level nesting, invalid UTF-8 and NULs,
 * 100,000 items, megabyte fields, and ids built to escape the posts directory. First each through the real
 * parse → clean → post functions in process; then all of them at once through `newsstand sync` on `file:`
 * sources, with the child's peak memory measured.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidFeedError, NotAFeedError } from '../src/errors.js';
import { parseFeedBytes } from '../src/feed/parse.js';
import { postBaseName } from '../src/post/file-name.js';
import { parseWithHexo } from './helpers/hexo-front-matter.js';
import { makeSite, runCli, type TestSite } from './helpers/site.js';
import * as hostile from './hostile/feeds.js';
import { expectSanePost, publishInProcess } from './hostile/pipeline.js';
import { runCliMeasured } from './hostile/run.js';

const MARKER = `NEWSSTAND-SECRET-${randomBytes(8).toString('hex')}`;
const MB = 1024 * 1024;

let secretDir: string;
let secretFile: string;
let server: Server;
let origin: string;
const requests: string[] = [];

beforeAll(async () => {
  secretDir = mkdtempSync(join(tmpdir(), 'newsstand-secret-'));
  secretFile = join(secretDir, 'secret.txt');
  writeFileSync(secretFile, `${MARKER}\n`);
  // Anything that follows an entity or DTD to the network ends up here, and is counted.
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.end(`<!ENTITY leak "${MARKER}">${MARKER}`);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(secretDir, { recursive: true, force: true });
});

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('hostile XML, in process', () => {
  it('never reads a file or opens a connection for external entities, DTDs or parameter entities', async () => {
    for (const [document, items] of [
      [hostile.externalEntities(secretFile, origin), 2],
      [hostile.externalEntitiesAtom(secretFile, origin), 1],
    ] as const) {
      const { parsed, posts } = await publishInProcess(utf8(document));
      expect(parsed.items).toHaveLength(items);
      expect(JSON.stringify(parsed)).not.toContain(MARKER);
      for (const post of posts) {
        expect(post.text).not.toContain(MARKER);
        expectSanePost(post);
      }
      // The entity stays as written: visible, harmless, never expanded.
      expect(parsed.items[0]!.title).toContain('&secret;');
    }
    // Give a stray request time to arrive before counting.
    await new Promise((wait) => setTimeout(wait, 100));
    expect(requests).toEqual([]);
  });

  it('does not expand entity bombs', async () => {
    const { parsed, posts } = await publishInProcess(utf8(hostile.entityExpansion()));
    expect(parsed.items).toHaveLength(1);
    expect(parsed.items[0]!.title).toBe('laughs &lol9;');
    expect(JSON.stringify(parsed).length).toBeLessThan(MB);
    expect(posts[0]!.text.length).toBeLessThan(MB);
    expectSanePost(posts[0]!);
  });

  it('reads 100,000 levels of nesting without overflowing the stack, keeping every item', async () => {
    const { parsed, posts } = await publishInProcess(utf8(hostile.deepNesting()));
    expect(parsed.items.map((entry) => entry.title)).toEqual(['deep element', 'deep HTML', 'deep unclosed HTML']);
    // HTML deeper than the cleaner's element budget is cut there (and the post says so in the source's status).
    expect(posts[0]!.article.problems).toEqual([]);
    for (const post of posts.slice(1)) {
      expect(post.article.problems).toEqual(['content: more than 20,000 HTML elements, cut there']);
      expect(post.article.html).toMatch(/^<(div|b)>/);
    }
    posts.forEach(expectSanePost);

    const json = await publishInProcess(utf8(hostile.deepJson()));
    expect(json.parsed.items).toHaveLength(1);
    expect(json.posts[0]!.article.html).toMatch(/^<div>/);
    expectSanePost(json.posts[0]!);
  });

  it('reads invalid UTF-8 and NUL bytes as replacement characters, never as controls in a post', async () => {
    const { parsed, posts } = await publishInProcess(hostile.invalidUtf8());
    expect(parsed.items).toHaveLength(2);
    const [first] = parsed.items;
    expect(first!.title).toContain('\ufffd');
    expect(first!.title).not.toContain('\u0000');
    expect(posts[0]!.article.html).not.toContain('\u0000');
    posts.forEach(expectSanePost);

    const garbage = await publishInProcess(hostile.undeclaredGarbage());
    expect(garbage.parsed.items).toHaveLength(1);
    garbage.posts.forEach(expectSanePost);
  });

  it('caps a 100,000-item feed at the newest 1,000, whatever order it lists them in', () => {
    const now = Date.parse('2025-06-01T12:00:00Z');
    const oldestFirst = parseFeedBytes(utf8(hostile.manyItems(100_000, now)));
    expect(oldestFirst.items).toHaveLength(1000);
    expect(oldestFirst.skippedItems).toBe(99_000);
    // The newest, in document order.
    expect(oldestFirst.items.map((entry) => entry.title)).toEqual(Array.from({ length: 1000 }, (_, i) => `Item ${99_000 + i}`));

    const small = parseFeedBytes(utf8(hostile.manyItems(100_000, now)), { maxItems: 3 });
    expect(small.items.map((entry) => entry.title)).toEqual(['Item 99997', 'Item 99998', 'Item 99999']);

    const json = parseFeedBytes(utf8(hostile.manyItemsJson(100_000, now)), { maxItems: 2 });
    expect(json.items.map((entry) => entry.title)).toEqual(['Item 99998', 'Item 99999']);
    expect(json.skippedItems).toBe(99_998);
  });

  it('cuts a 1 MB title at a character boundary with "…", and drops megabyte links and names', async () => {
    const { parsed, posts } = await publishInProcess(utf8(hostile.hugeFields()));
    expect(parsed.items).toHaveLength(3);
    const [huge, fields, markup] = posts;
    const title = huge!.frontMatter.title;
    expect(title.length).toBeLessThanOrEqual(300);
    expect(title.endsWith('…')).toBe(true);
    // 'x' × 299 then an emoji: cut before the emoji, never inside it.
    expect(title).toBe(`${'x'.repeat(299)}…`);
    expect(fields!.article.item.link).toBe('');
    expect(fields!.article.item.author.length).toBeLessThanOrEqual(200);
    expect(fields!.article.item.categories.every((category) => category.length <= 200)).toBe(true);
    expect(markup!.frontMatter.title.length).toBeLessThanOrEqual(300);
    expect(markup!.frontMatter.author.length).toBeLessThanOrEqual(200);
    posts.forEach(expectSanePost);
  });

  it('names every post inside the posts directory, whatever the guid, title or link', async () => {
    const postsDir = resolve('/site/source/_posts');
    for (const pattern of [':year-:month-:day-:id', ':title-:id', ':title.:id', ':id.:title', ':source-:title-:id']) {
      const { posts } = await publishInProcess(utf8(hostile.escapingNames()), { filename: pattern });
      expect(posts).toHaveLength(hostile.ESCAPING_NAMES.length);
      const names = new Set<string>();
      for (const post of posts) {
        expectSanePost(post);
        const file = resolve(postsDir, `${post.fileName}.md`);
        expect(relative(postsDir, file).includes(sep)).toBe(false);
        expect(post.fileName.split('.')[0]).not.toMatch(/^(?:con|prn|aux|nul|com\d|lpt\d)$/i);
        names.add(post.fileName);
      }
      expect(names.size).toBe(posts.length);
    }
    // The pattern's own fallback when every placeholder comes out empty is still a safe name.
    expect(postBaseName(':title', { date: new Date(), id: '', title: 'NUL', source: '' })).toBe('post-nul');
  });

  it('reports a document that is not a feed, or broken beyond repair, as such', () => {
    expect(() => parseFeedBytes(utf8('<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html>&x;</html>'))).toThrow(NotAFeedError);
    expect(() => parseFeedBytes(utf8(`<rss version="2.0"><channel>${'<'.repeat(1000)}`))).not.toThrow(/Maximum|stack/);
    expect(() => parseFeedBytes(utf8('{"version":"https://jsonfeed.org/version/1.1","items":[' + '['.repeat(50_000)))).toThrow(
      InvalidFeedError,
    );
  });
});

interface Summary {
  sources: { ok: number; failed: number };
  failures: Array<{ source: string; kind: string; message: string }>;
  warnings: Array<{ source: string; message: string }>;
}

describe('hostile XML through newsstand sync', () => {
  let site: TestSite;
  afterAll(() => site?.remove());

  it('publishes what can be published, reports the rest per source, leaks nothing, and stays under 300 MB', async () => {
    site = makeSite();
    const sources: Array<{ name: string; file: string }> = [
      { name: 'xxe', file: site.writeFeed('xxe.xml', hostile.externalEntities(secretFile, origin)) },
      { name: 'xxe-atom', file: site.writeFeed('xxe-atom.xml', hostile.externalEntitiesAtom(secretFile, origin)) },
      { name: 'laughs', file: site.writeFeed('laughs.xml', hostile.entityExpansion()) },
      { name: 'deep', file: site.writeFeed('deep.xml', hostile.deepNesting()) },
      { name: 'deep-json', file: site.writeFeed('deep.json', hostile.deepJson()) },
      { name: 'utf8', file: site.writeFeed('utf8.xml', hostile.invalidUtf8()) },
      { name: 'garbage', file: site.writeFeed('garbage.xml', hostile.undeclaredGarbage()) },
      { name: 'many', file: site.writeFeed('many.xml', hostile.manyItems(100_000)) },
      { name: 'huge', file: site.writeFeed('huge.xml', hostile.hugeFields()) },
      { name: 'names', file: site.writeFeed('names.xml', hostile.escapingNames()) },
      { name: 'not-a-feed', file: site.writeFeed('page.xml', '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html>&x;</html>') },
      { name: 'broken', file: site.writeFeed('broken.json', '{"version":"https://jsonfeed.org/version/1.1","items":[') },
    ];
    site.writeConfig({
      site: { filename: ':title.:id' },
      defaults: { retention: { maxAge: '3650d', maxItems: 5000 } },
      sources: sources.map((source) => ({ ...source, categories: ['Hostile', source.name] })),
    });

    // Two runs over the same site: sync reads sources ahead of publishing them, so one run holds several of
    // these documents at once, and each run is bounded with room to spare rather than all of them together.
    const heavy = ['deep', 'deep-json', 'huge'];
    const summaries: Summary[] = [];
    for (const names of [sources.map((source) => source.name).filter((name) => !heavy.includes(name)), heavy]) {
      const run = await runCliMeasured(['sync', '--json', '--config', site.configFile, '--source', ...names]);
      expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
      expect(run.code).toBe(0);
      expect(run.peakRss).not.toBeNull();
      expect(run.peakRss!).toBeLessThan(300 * MB);
      summaries.push(JSON.parse(run.stdout) as Summary);
    }
    const failures = summaries.flatMap((summary) => summary.failures);
    expect(failures.map((failure) => [failure.source, failure.kind])).toEqual([
      ['not-a-feed', 'not-a-feed'],
      ['broken', 'parse'],
    ]);
    expect(failures[0]!.message).toContain('HTML page');
    expect(failures[1]!.message).toContain('JSON Feed is broken');
    expect(summaries[0]!.sources.ok + summaries[1]!.sources.ok).toBe(sources.length - 2);
    const warnings = summaries.flatMap((summary) => summary.warnings);
    expect(warnings.map((warning) => warning.source).sort()).toEqual(['deep', 'deep-json', 'many']);
    expect(warnings.find((warning) => warning.source === 'many')!.message).toBe(
      '99000 older items beyond fetch.maxItemsPerFeed (1000) not read',
    );

    const status = await runCli(['status', '--json', '--config', site.configFile]);
    const rows = JSON.parse(status.stdout) as Array<{ source: string; posts: number; errorKind: string; lastError: string }>;
    const posts = Object.fromEntries(rows.map((row) => [row.source, row.posts]));
    expect(posts).toMatchObject({
      xxe: 2,
      'xxe-atom': 1,
      laughs: 1,
      deep: 3,
      'deep-json': 1,
      utf8: 2,
      garbage: 1,
      many: 1000,
      huge: 3,
      names: hostile.ESCAPING_NAMES.length,
      'not-a-feed': 0,
      broken: 0,
    });
    for (const row of rows) expect(row.errorKind).not.toBe('internal');

    // Every file written is a post, directly in the posts directory, named [a-z0-9.-], read back by Hexo.
    const written = site.posts();
    expect(Object.keys(written)).toHaveLength(2 + 1 + 1 + 3 + 1 + 2 + 1 + 1000 + 3 + hostile.ESCAPING_NAMES.length);
    for (const [name, text] of Object.entries(written)) {
      expect(name).toMatch(/^[a-z0-9][a-z0-9.-]*\.md$/);
      expect(name.split('.')[0]).not.toMatch(/^(?:con|prn|aux|nul|com\d|lpt\d)$/i);
      expect(text).not.toContain(MARKER);
      const post = parseWithHexo(text);
      expect(typeof post.title).toBe('string');
      expect((post.title as string).length).toBeLessThanOrEqual(300);
    }
    expect(readdirSync(site.dir).sort()).toEqual(['.newsstand', '_config.yml', 'feeds', 'newsstand.yml', 'source']);
    expect(readdirSync(join(site.dir, 'source'))).toEqual(['_posts']);
    expect(readFileSync(join(site.dir, '.newsstand/state.db')).includes(MARKER)).toBe(false);

    // The newest 1,000 of the oldest-first feed.
    const titles = Object.values(written)
      .map((text) => parseWithHexo(text).title as string)
      .filter((title) => title.startsWith('Item '));
    expect(titles.map((title) => Number(title.slice(5))).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => 99_000 + i));

    // parse prints nothing secret either.
    const parsed = await runCli(['parse', join(site.dir, sources[0]!.file)]);
    expect(parsed.code).toBe(0);
    expect(parsed.stdout).not.toContain(MARKER);
    expect(requests).toEqual([]);
  });
});
