import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config/load.js';
import { UserError } from '../errors.js';
import { opmlFeeds, parseOpml } from '../sources/opml/parse/opml.js';
import { routeOnInstance } from '../sources/rsshub/routes.js';
import { INSTANCES, removeSites, site } from '../sources/testdata/site.js';
import { exportOpml, foldersFor } from './export.js';
import { categoriesFromFolders, importOpml, type ImportResult } from './import.js';

const testdata = join(import.meta.dirname, '../sources/opml/testdata');
afterAll(removeSites);

function opmlFile(config: Config, text: string): string {
  const file = join(config.dir, 'subscriptions.opml');
  writeFileSync(file, text);
  return file;
}

async function imported(yml: string, opml: string, dryRun = false): Promise<{ config: Config; result: ImportResult; text: string }> {
  const config = await site(yml);
  const result = await importOpml({ config, file: opml.startsWith('<') ? opmlFile(config, opml) : join(testdata, opml), dryRun });
  return { config, result, text: readFileSync(config.file, 'utf8') };
}

describe('import: categories', () => {
  it('folder › feed gives [folder, feed title] and no made-up channel; a feed at the top level gets none', async () => {
    const { result } = await imported(INSTANCES, 'netnewswire.opml');
    expect(result.added.map(({ name, categories }) => [name, categories])).toEqual([
      ['Daring Fireball', []],
      ['Six Colors', ['Apple', 'Six Colors']],
      ['Mac-only 🍎 <notes>', []],
    ]);
    for (const language of ['zh', 'en']) {
      const { result: feedly } = await imported(`${INSTANCES}  language: ${language}\n`, 'feedly-folders.opml');
      expect(feedly.added.map((source) => source.categories)).toEqual([
        ['Tech', 'Hacker News'],
        ['Tech', 'LWN.net'],
        ['新闻', 'BBC News 中文'],
        ['新闻', '联合早报 - 中国'],
      ]);
    }
  });

  it('two folders give [folder, folder, feed title]; three give the three; deeper, the outermost three and a note', () => {
    expect(categoriesFromFolders(['A'], 'T')).toEqual(['A', 'T']);
    expect(categoriesFromFolders(['A', 'B'], 'T')).toEqual(['A', 'B', 'T']);
    expect(categoriesFromFolders(['A', 'B', 'C'], 'T')).toEqual(['A', 'B', 'C']);
    expect(categoriesFromFolders(['A'], '')).toEqual(['A']);
    expect(categoriesFromFolders([], 'T')).toEqual([]);
    return imported(
      INSTANCES,
      '<opml><body><outline text="A"><outline text="B"><outline text="C"><outline text="D"><outline text="T" xmlUrl="https://t.example/"/></outline></outline></outline></outline></body></opml>',
    ).then(({ result }) => {
      expect(result.added[0]!.categories).toEqual(['A', 'B', 'C']);
      expect(result.notes.join('\n')).toContain('more than three deep');
    });
  });

  it('the category attribute, when it holds a path, wins over the folders', async () => {
    const { result } = await imported(
      INSTANCES,
      '<opml><body><outline text="Folder"><outline text="T" xmlUrl="https://t.example/" category="/News/World"/></outline></body></opml>',
    );
    expect(result.added[0]!.categories).toEqual(['News', 'World']);
  });
});

describe('import: what each feed becomes', () => {
  it('writes names, categories and disabled in one edit after the existing sources, comments kept', async () => {
    const yml = `${INSTANCES}\nsources:\n  # mine\n  - url: https://mine.example/feed   # keep\n`;
    const { text } = await imported(yml, 'feedly-folders.opml');
    expect(text).toBe(`${yml}  - url: https://news.ycombinator.com/rss
    name: Hacker News
    categories: [Tech, Hacker News]
  - url: https://lwn.net/headlines/rss
    name: LWN.net
    categories: [Tech, LWN.net]
  - url: https://feeds.bbci.co.uk/zhongwen/simp/rss.xml
    name: BBC News 中文
    categories: [新闻, BBC News 中文]
  - rsshub: /zaobao/realtime/china
    name: 联合早报 - 中国
    categories: [新闻, 联合早报 - 中国]
`);
  });

  it('RSSHub URLs on a configured instance become routes, without key or code; others stay URLs with a note', async () => {
    const { result } = await imported(INSTANCES, 'rsshub-instance.opml');
    expect(result.added.map(({ kind, location }) => `${kind}:${location}`)).toEqual([
      'rsshub:/36kr/newsflashes',
      'rsshub:/sspai/index/',
      'rsshub:/zaobao/realtime/world',
    ]);
    const { result: other } = await imported(
      'sources: []\n',
      '<opml><body><outline text="x" xmlUrl="https://rsshub.example.org/x/y?key=1"/></body></opml>',
    );
    expect(other.added[0]).toMatchObject({ kind: 'url', location: 'https://rsshub.example.org/x/y?key=1' });
    expect(other.notes[0]).toContain('https://rsshub.example.org looks like RSSHub but is not in rsshub.instances');
    expect(routeOnInstance('https://rsshub.app/a/b?limit=5&code=abc&filter=x', ['https://rsshub.app/'])).toBe('/a/b?limit=5&filter=x');
    expect(routeOnInstance('https://rsshub.app/', ['https://rsshub.app'])).toBeNull();
    expect(routeOnInstance('https://example.net/rsshubx/a', ['https://example.net/rsshub'])).toBeNull();
  });

  it('a URL that is only the name is no name; feed:// is http://; ${ stays literal', async () => {
    const { result, config, text } = await imported(
      INSTANCES,
      '<opml><body><outline text="https://u.example/feed" xmlUrl="https://u.example/feed"/><outline text="Price ${X}" xmlUrl="feed://p.example/rss"/></body></opml>',
    );
    expect(result.added.map(({ name, location }) => [name, location])).toEqual([
      ['', 'https://u.example/feed'],
      ['Price ${X}', 'http://p.example/rss'],
    ]);
    expect(text).toContain('name: Price $${X}');
    expect((await loadConfig(config.file)).sources.map((source) => source.name)).toEqual(['', 'Price ${X}']);
  });

  it('file: URLs of files that exist become file: sources relative to newsstand.yml; others are skipped', async () => {
    const config = await site('sources: []\n');
    const opml = `<opml><body><outline text="Local" xmlUrl="file://${join(config.dir, 'feeds/local.xml')}"/><outline text="Gone" xmlUrl="file:///nonexistent/x.xml"/></body></opml>`;
    const result = await importOpml({ config, file: opmlFile(config, opml) });
    expect(result.added).toMatchObject([{ kind: 'file', location: './feeds/local.xml' }]);
    expect(result.skipped).toMatchObject([{ name: 'Gone', reason: expect.stringContaining('no such file') }]);
  });

  it('skips duplicates of configured sources, under any spelling of their URL, and twice in the file', async () => {
    const yml = `${INSTANCES}sources:\n  - url: https://news.ycombinator.com/rss\n  - url: https://rsshub.app/zaobao/realtime/china\n  - rsshub: /aljazeera/chinese/news/\n`;
    const opml = `<opml><body>
      <outline text="HN" xmlUrl="http://NEWS.ycombinator.com/rss/?utm_source=reader#top"/>
      <outline text="早报" xmlUrl="https://hub.example.net/rsshub/zaobao/realtime/china"/>
      <outline text="AJ" xmlUrl="https://rsshub.app/aljazeera/chinese/news"/>
      <outline text="New" xmlUrl="https://new.example/feed"/>
      <outline text="New again" xmlUrl="https://new.example/feed/"/>
    </body></opml>`;
    const { result } = await imported(yml, opml);
    expect(result.added.map((source) => source.name)).toEqual(['New']);
    expect(result.duplicates.map(({ name, sameAs }) => [name, sameAs])).toEqual([
      ['HN', 'url:https://news.ycombinator.com/rss (newsstand.yml line 4)'],
      ['早报', 'url:https://rsshub.app/zaobao/realtime/china (newsstand.yml line 5)'],
      ['AJ', 'rsshub:/aljazeera/chinese/news/ (newsstand.yml line 6)'],
      ['New again', 'line 5 of subscriptions.opml'],
    ]);
  });

  it('a dry run reports and writes nothing', async () => {
    const { result, text } = await imported('sources: []\n', 'feedly-folders.opml', true);
    expect(result.added).toHaveLength(4);
    expect(text).toBe('sources: []\n');
  });

  it('malformed files and files of thousands of feeds over the limit change nothing, with a clear message', async () => {
    const config = await site('sources: []\n');
    for (const name of ['malformed-not-xml.opml', 'malformed-truncated.opml', 'malformed-no-body.opml', 'malformed-no-urls.opml']) {
      const error = await importOpml({ config, file: join(testdata, name) }).catch((caught: unknown) => caught as Error);
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toContain(name);
      expect(error.message).toContain('nothing was imported');
    }
    const many = Array.from({ length: 10_001 }, (_, i) => `<outline text="F${i}" xmlUrl="https://f.example/${i}"/>`).join('');
    const error = await importOpml({ config, file: opmlFile(config, `<opml><body>${many}</body></opml>`) }).catch(
      (caught: unknown) => caught as Error,
    );
    expect(error.message).toContain('more than 10000 outlines');
    expect(readFileSync(config.file, 'utf8')).toBe('sources: []\n');
  });

  it('imports thousands of feeds in one write', async () => {
    const many = Array.from({ length: 2_000 }, (_, i) => `<outline text="F${i}" xmlUrl="https://f${i}.example/feed"/>`).join('\n');
    const { config, result } = await imported('sources: []\n', `<opml><body><outline text="Bulk">${many}</outline></body></opml>`);
    expect(result.added).toHaveLength(2_000);
    expect((await loadConfig(config.file)).sources).toHaveLength(2_000);
  });
});

describe('export, and import of what was exported', () => {
  it('import → export → import changes nothing', async () => {
    const combined = [
      'feedly-folders.opml',
      'two-levels.opml',
      'netnewswire.opml',
      'rsshub-instance.opml',
      'miniflux-flat.opml',
      'freshrss-text-only.opml',
    ];
    const first = await site(`${INSTANCES}sources: []\n`);
    for (const name of combined) await importOpml({ config: await loadConfig(first.file), file: join(testdata, name) });
    const firstText = readFileSync(first.file, 'utf8');
    const exported = exportOpml(await loadConfig(first.file), { now: new Date(0) }).opml;

    const second = await site(`${INSTANCES}sources: []\n`);
    const result = await importOpml({ config: second, file: opmlFile(second, exported) });
    expect(result.skipped).toEqual([]);
    expect(result.duplicates).toEqual([]);
    expect(readFileSync(second.file, 'utf8')).toBe(firstText);
    expect(exportOpml(await loadConfig(second.file), { now: new Date(0) }).opml).toBe(exported);
  });

  const EVERY_SHAPE = `${INSTANCES}sources:
  - url: https://a.example/feed
  - url: https://b.example/feed
    name: B
    categories: [One]
  - url: https://c.example/feed
    categories: [One, Two]
  - rsshub: /aljazeera/chinese/news?limit=20
    categories: [新媒体, Aljazeera 半岛网, 新闻]
  - url: https://d.example/feed
    name: D
    categories: [Tech, D, 全部]
    disabled: true
  - url: https://e.example/feed
    name: E
    categories: [Science, Journals, E]
  - file: ./feeds/local.xml
    name: Local
`;
  const shape = (config: Config) => config.sources.map(({ kind, key, categories, disabled }) => ({ kind, key, categories, disabled }));

  for (const folders of ['flat', 'nested'] as const) {
    it(`${folders}: keeps every source exactly — any categories, routes, files, disabled — through the category attribute`, async () => {
      const source = await site(EVERY_SHAPE);
      const { opml, notes } = exportOpml(source, { folders });
      expect(notes).toEqual(['1 file: source was exported as file: URLs, which only newsstand on this machine can read']);
      expect(opml).not.toContain('code=');
      expect(opml).toContain('category="/新媒体/Aljazeera 半岛网/新闻"');
      // Read back by a second configuration in the same directory, so the file source resolves to the same file.
      writeFileSync(join(source.dir, 'other.yml'), `${INSTANCES}sources: []\n`);
      const target = await loadConfig(join(source.dir, 'other.yml'));
      await importOpml({ config: target, file: opmlFile(target, opml) });
      expect(shape(await loadConfig(target.file))).toEqual(shape(source));
    });
  }

  it('flat (the default): each feed in one folder, its top category — where a one-level reader files it', async () => {
    const source = await site(EVERY_SHAPE);
    const { opml, feeds } = exportOpml(source);
    const read = opmlFeeds(parseOpml(opml)).feeds;
    // A one-level reader (Feedly, Inoreader, Miniflux) files a feed under the folder just around it.
    expect(read.map((feed) => [feed.xmlUrl.replace(/^file:.*/, 'file'), feed.folders])).toEqual([
      ['https://a.example/feed', []],
      ['https://b.example/feed', ['One']],
      ['https://c.example/feed', ['One']],
      ['https://rsshub.app/aljazeera/chinese/news?limit=20', ['新媒体']],
      ['https://d.example/feed', ['Tech']],
      ['https://e.example/feed', ['Science']],
      ['file', []],
    ]);
    expect(feeds.map((feed) => feed.folders)).toEqual(read.map((feed) => feed.folders));
    // Feeds of one category gathered in its folder, in the order of the sources.
    expect(opml).toMatch(
      /<outline text="One" title="One">\n {6}<outline type="rss" text="B"[^\n]*\/>\n {6}<outline type="rss" text="Two"[^\n]*xmlUrl="https:\/\/c\.example\/feed"[^\n]*\/>\n {4}<\/outline>/,
    );

    // A reader that keeps the folder but drops the attribute: the folder is the category, the feed the site.
    const withoutAttribute = await site(`${INSTANCES}sources: []\n`);
    await importOpml({ config: withoutAttribute, file: opmlFile(withoutAttribute, opml.replace(/ category="[^"]*"/g, '')) });
    const byKey = new Map(shape(await loadConfig(withoutAttribute.file)).map((entry) => [entry.key, entry.categories]));
    expect(byKey.get('url:https://a.example/feed')).toEqual([]);
    expect(byKey.get('url:https://b.example/feed')).toEqual(['One', 'B']);
    expect(byKey.get('url:https://d.example/feed')).toEqual(['Tech', 'D']);
    expect(byKey.get('url:https://e.example/feed')).toEqual(['Science', 'E']);
    expect(byKey.get('rsshub:/aljazeera/chinese/news?limit=20')).toEqual(['新媒体', 'Aljazeera 半岛网']);
  });

  it('nested: a folder per level but a last one that is the feed itself; without the attribute those shapes come back whole', async () => {
    const source = await site(EVERY_SHAPE);
    const { opml } = exportOpml(source, { folders: 'nested' });
    const withoutAttribute = await site(`${INSTANCES}sources: []\n`);
    await importOpml({ config: withoutAttribute, file: opmlFile(withoutAttribute, opml.replace(/ category="[^"]*"/g, '')) });
    const byKey = new Map(shape(await loadConfig(withoutAttribute.file)).map((entry) => [entry.key, entry.categories]));
    expect(byKey.get('url:https://a.example/feed')).toEqual([]);
    expect(byKey.get('url:https://d.example/feed')).toEqual(['Tech', 'D', '全部']);
    expect(byKey.get('url:https://e.example/feed')).toEqual(['Science', 'Journals', 'E']);
    expect(byKey.get('rsshub:/aljazeera/chinese/news?limit=20')).toEqual(['新媒体', 'Aljazeera 半岛网', '新闻']);
  });

  it('folders for each style', () => {
    expect(foldersFor(['A', 'B', 'C'], 'HN', 'flat')).toEqual(['A']);
    expect(foldersFor(['A'], 'HN', 'flat')).toEqual(['A']);
    expect(foldersFor([], 'HN', 'flat')).toEqual([]);
    expect(foldersFor(['Tech', 'HN'], 'HN', 'nested')).toEqual(['Tech']);
    expect(foldersFor(['A', 'B', 'HN'], 'HN', 'nested')).toEqual(['A', 'B']);
    expect(foldersFor(['A', 'B', 'C'], 'HN', 'nested')).toEqual(['A', 'B', 'C']);
    expect(foldersFor(['HN'], 'HN', 'nested')).toEqual(['HN']);
    expect(foldersFor([], 'HN', 'nested')).toEqual([]);
  });
});
