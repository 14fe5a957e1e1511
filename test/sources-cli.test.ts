import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opmlFeeds, parseOpml } from '../src/sources/opml/parse/opml.js';
import { StateStore } from '../src/store/state.js';
import { makeSite, REPO, rss, runCli, type TestSite } from './helpers/site.js';

const TESTDATA = join(REPO, 'src/sources/opml/testdata');
const sites: TestSite[] = [];
afterAll(() => {
  for (const site of sites) site.remove();
});

function site(): TestSite {
  const created = makeSite();
  sites.push(created);
  return created;
}

const CONFIG = `# my news site
rsshub:
  instances: [https://rsshub.app]   # public

sources:
  # Hacker News, by hand
  - url: https://news.ycombinator.com/rss   # front page
    name: HN
`;

describe('newsstand import and export', () => {
  it("import --dry-run shows and writes nothing; import adds, keeping the file's comments; --json reports", async () => {
    const s = site();
    writeFileSync(s.configFile, CONFIG);
    const dry = await runCli(['import', '--dry-run', join(TESTDATA, 'feedly-folders.opml'), '-c', s.configFile]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Would add to ${s.configFile}:`);
    expect(dry.stdout).toContain('  + 联合早报 - 中国 — rsshub:/zaobao/realtime/china — 新闻 › 联合早报 - 中国\n');
    expect(dry.stdout).not.toContain('全部');
    expect(dry.stdout).toContain('  = line 9: Hacker News — same as HN — url:https://news.ycombinator.com/rss (newsstand.yml line 7)');
    expect(dry.stdout).toContain('3 sources would be added, 1 already there, 0 outlines skipped — dry run: nothing was written.');
    expect(readFileSync(s.configFile, 'utf8')).toBe(CONFIG);

    const real = await runCli(['import', '--json', join(TESTDATA, 'feedly-folders.opml'), '-c', s.configFile]);
    expect(real.code).toBe(0);
    const result = JSON.parse(real.stdout);
    expect(result.added.map((source: { name: string }) => source.name)).toEqual(['LWN.net', 'BBC News 中文', '联合早报 - 中国']);
    expect(result.duplicates).toHaveLength(1);
    const text = readFileSync(s.configFile, 'utf8');
    expect(text.startsWith(CONFIG)).toBe(true);
    expect(text.slice(CONFIG.length)).toBe(`  - url: https://lwn.net/headlines/rss
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

  it('malformed OPML: exit 1, the file and line named, no stack trace, newsstand.yml untouched', async () => {
    const s = site();
    writeFileSync(s.configFile, CONFIG);
    for (const [name, message] of [
      [
        'malformed-truncated.opml',
        'malformed-truncated.opml:8:1: not well-formed XML: the file ends before <outline> (line 5:5) is closed',
      ],
      ['malformed-not-xml.opml', 'malformed-not-xml.opml:1:1: not well-formed XML'],
      ['malformed-no-body.opml', 'no <body> in <opml>'],
      ['malformed-no-urls.opml', 'no feeds in it (3 outlines, none with an xmlUrl)'],
    ] as const) {
      const result = await runCli(['import', join(TESTDATA, name), '-c', s.configFile]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain(`nothing was imported, ${s.configFile} is unchanged`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const missing = await runCli(['import', join(TESTDATA, 'nope.opml'), '-c', s.configFile]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.opml: not found');
    expect(readFileSync(s.configFile, 'utf8')).toBe(CONFIG);
  });

  it('skipped outlines are warnings naming their lines; the rest is imported', async () => {
    const s = site();
    const result = await runCli(['import', join(TESTDATA, 'malformed-mixed.opml'), '-c', s.configFile]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('malformed-mixed.opml:5: "Relative" skipped — xmlUrl "/feed.xml" is not an http(s) URL');
    expect(result.stderr).toContain('malformed-mixed.opml:6: "Script" skipped');
    expect(result.stdout).toContain('1 source added, 0 already there, 4 outlines skipped.');
    expect((await s.config()).sources.map((source) => source.location)).toEqual(['https://good.example/feed']);
  });

  it('export writes OPML 2.0 (stdout or -o), and import of it into another site changes nothing', async () => {
    const s = site();
    writeFileSync(s.configFile, CONFIG);
    for (const name of ['feedly-folders.opml', 'two-levels.opml', 'netnewswire.opml']) {
      expect((await runCli(['import', '-q', join(TESTDATA, name), '-c', s.configFile])).code).toBe(0);
    }
    const stdout = await runCli(['export', '-c', s.configFile]);
    expect(stdout.code).toBe(0);
    expect(stdout.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">/);
    const feeds = opmlFeeds(parseOpml(stdout.stdout)).feeds;
    expect(feeds).toHaveLength((await s.config()).sources.length);
    // One folder level, the top category: where Feedly, Inoreader or Miniflux file the feed; the rest in the category attribute.
    expect(feeds.find((feed) => feed.name === '新闻')).toMatchObject({
      xmlUrl: 'https://rsshub.app/aljazeera/chinese/news',
      folders: ['新媒体'],
      category: '/新媒体/Aljazeera 半岛网/新闻',
    });
    expect(feeds.every((feed) => feed.folders.length <= 1)).toBe(true);
    const nested = await runCli(['export', '--folders', 'nested', '-c', s.configFile]);
    expect(nested.code).toBe(0);
    expect(opmlFeeds(parseOpml(nested.stdout)).feeds.find((feed) => feed.name === '新闻')).toMatchObject({
      folders: ['新媒体', 'Aljazeera 半岛网'],
    });
    const wrong = await runCli(['export', '--folders', 'deep', '-c', s.configFile]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('flat, nested');

    const file = join(s.dir, 'out.opml');
    const written = await runCli(['export', '-o', file, '-c', s.configFile]);
    expect(written.stdout).toContain(`Exported ${feeds.length} sources to ${file}`);

    const other = site();
    writeFileSync(other.configFile, 'rsshub:\n  instances: [https://rsshub.app]   # public\n\nsources:\n  # Hacker News, by hand\n');
    const back = await runCli(['import', file, '-c', other.configFile]);
    expect(back.code).toBe(0);
    const twice = await runCli(['export', '-c', other.configFile]);
    expect(twice.stdout.replace(/<dateCreated>.*<\/dateCreated>/, '')).toBe(stdout.stdout.replace(/<dateCreated>.*<\/dateCreated>/, ''));
    // The same sources in the same order, with the same names and categories.
    const shape = async (t: TestSite) =>
      (await t.config()).sources.map(({ key, name, categories, disabled }) => ({ key, name, categories, disabled }));
    expect(await shape(other)).toEqual(await shape(s));

    const json = await runCli(['export', '--json', '-c', s.configFile]);
    expect(JSON.parse(json.stdout)[0]).toEqual({
      name: 'HN',
      xmlUrl: 'https://news.ycombinator.com/rss',
      kind: 'url',
      categories: [],
      folders: [],
      disabled: false,
    });
  });
});

describe('newsstand sources, disable, enable, remove', () => {
  function syncedSite(): TestSite {
    const s = site();
    const now = new Date().toUTCString();
    const a = s.writeFeed(
      'a.xml',
      rss([
        { title: 'A one', link: 'https://a.example/1', pubDate: now },
        { title: 'A two', link: 'https://a.example/2', pubDate: now },
      ]),
    );
    const b = s.writeFeed('b.xml', rss([{ title: 'B one', link: 'https://b.example/1', pubDate: now }]));
    writeFileSync(
      s.configFile,
      `# two local feeds
sources:
  # the first
  - file: ${a}   # A's file
    name: Feed A
    categories: [Local, Feed A, 全部]

  - file: ${b}
    name: Feed B
`,
    );
    return s;
  }

  it('lists sources with their kind, categories and state', async () => {
    const s = syncedSite();
    expect((await runCli(['sync', '-c', s.configFile])).code).toBe(0);
    const json = await runCli(['sources', '--json', '-c', s.configFile]);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        name: 'Feed A',
        kind: 'file',
        location: 'feeds/a.xml',
        key: 'file:feeds/a.xml',
        categories: ['Local', 'Feed A', '全部'],
        state: 'ok',
        posts: 2,
        line: 4,
      },
      { name: 'Feed B', kind: 'file', location: 'feeds/b.xml', key: 'file:feeds/b.xml', categories: [], state: 'ok', posts: 1, line: 8 },
    ]);
    const table = await runCli(['sources', '-c', s.configFile]);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+KIND\s+STATE\s+POSTS\s+CATEGORIES\s+LOCATION$/);
    expect(table.stdout).toMatch(/Feed A\s+file\s+ok\s+2\s+Local › Feed A › 全部\s+feeds\/a\.xml/);
  });

  it('disable keeps the source out of every sync and says so; enable restores the file byte for byte', async () => {
    const s = syncedSite();
    const before = readFileSync(s.configFile, 'utf8');
    const disabled = await runCli(['disable', 'Feed A', '-c', s.configFile]);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toContain('Disabled Feed A — file:feeds/a.xml (line 4).');
    expect(readFileSync(s.configFile, 'utf8')).toBe(
      before.replace('    categories: [Local, Feed A, 全部]\n', '    categories: [Local, Feed A, 全部]\n    disabled: true\n'),
    );
    expect((await runCli(['disable', './feeds/a.xml', '-c', s.configFile])).stdout).toContain('is disabled already; nothing changed.');

    const sync = await runCli(['sync', '--all', '-c', s.configFile]);
    expect(sync.code).toBe(0);
    expect(Object.values(s.posts()).filter((post) => post.includes('A one'))).toHaveLength(0);
    expect(Object.values(s.posts()).filter((post) => post.includes('B one'))).toHaveLength(1);

    const named = await runCli(['sync', '--source', 'Feed A', '-c', s.configFile]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('source "Feed A" is disabled; enable it with: newsstand enable "Feed A"');

    const status = JSON.parse((await runCli(['status', '--json', '-c', s.configFile])).stdout);
    expect(status[0]).toMatchObject({ source: 'Feed A', state: 'disabled', nextDue: null });
    expect((await runCli(['status', '-c', s.configFile])).stdout).toMatch(/Feed A\s+disabled/);

    const enabled = await runCli(['enable', 'feed a', '-c', s.configFile]);
    expect(enabled.stdout).toContain('Enabled Feed A');
    expect(readFileSync(s.configFile, 'utf8')).toBe(before);
    await runCli(['sync', '-c', s.configFile]);
    expect(Object.values(s.posts()).filter((post) => post.includes('A one'))).toHaveLength(1);
  });

  it('remove keeps the posts and says so; remove --purge deletes them and the state forgets the source', async () => {
    const s = syncedSite();
    expect((await runCli(['sync', '-c', s.configFile])).code).toBe(0);
    expect(Object.keys(s.posts())).toHaveLength(3);

    const removed = await runCli(['remove', 'Feed B', '-c', s.configFile]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed Feed B — file:feeds/b.xml (line 8).');
    expect(removed.stdout).toContain(
      'Its 1 post stay in source/_posts (retention no longer prunes them); "newsstand remove --purge file:feeds/b.xml" deletes them.',
    );
    expect(readFileSync(s.configFile, 'utf8')).not.toContain('Feed B');
    expect(readFileSync(s.configFile, 'utf8')).toContain("# A's file");
    expect(Object.keys(s.posts())).toHaveLength(3);

    // What a removed source left behind can still be purged.
    const orphan = await runCli(['remove', '--purge', 'file:feeds/b.xml', '-c', s.configFile]);
    expect(orphan.code).toBe(0);
    expect(orphan.stdout).toContain('Deleted its 1 post from source/_posts; the state forgot it.');
    expect(Object.values(s.posts()).filter((post) => post.includes('B one'))).toHaveLength(0);

    const dry = await runCli(['remove', '--purge', '--dry-run', 'feeds/a.xml', '-c', s.configFile]);
    expect(dry.stdout).toContain('Would remove Feed A — file:feeds/a.xml (line 4).');
    expect(dry.stdout).toContain('Would delete its 2 posts from source/_posts and forget it in the state.');
    expect(Object.keys(s.posts())).toHaveLength(2);

    const purged = await runCli(['remove', '--purge', '--json', 'Feed A', '-c', s.configFile]);
    expect(JSON.parse(purged.stdout)).toMatchObject({ key: 'file:feeds/a.xml', posts: 2, purged: 2, line: 4 });
    expect(s.posts()).toEqual({});
    expect(readFileSync(s.configFile, 'utf8')).toBe('# two local feeds\nsources:\n  # the first\n');
    // Forgotten whole, so that added again the source starts afresh (no "not modified" from old validators).
    const store = StateStore.open(join(s.dir, '.newsstand/state.db'), { readonly: true });
    try {
      expect(store.sources.all()).toEqual([]);
      expect(store.items.livePosts('file:feeds/a.xml')).toEqual([]);
    } finally {
      store.close();
    }
    writeFileSync(s.configFile, '# two local feeds\nsources:\n  # the first\n  - file: ./feeds/a.xml\n');
    expect((await runCli(['sync', '-c', s.configFile])).stdout).toMatch(/Posts: 2 new/);
    expect(existsSync(join(s.dir, '.newsstand/lock'))).toBe(false);
  });

  it('an unknown or ambiguous name exits 2 and changes nothing', async () => {
    const s = site();
    const text = 'sources:\n  - url: https://a.example/feed\n    name: Same\n  - url: https://b.example/feed\n    name: Same\n';
    writeFileSync(s.configFile, text);
    const ambiguous = await runCli(['remove', 'Same', '-c', s.configFile]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('"Same" names 2 sources — give its URL, route or file instead:');
    expect(ambiguous.stderr).toContain('Same — url:https://b.example/feed (line 4)');
    const unknown = await runCli(['disable', 'Other', '-c', s.configFile]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no source matches "Other"');
    expect(readFileSync(s.configFile, 'utf8')).toBe(text);
    expect((await runCli(['remove', 'http://b.example/feed/', '-c', s.configFile])).code).toBe(0);
    expect(readFileSync(s.configFile, 'utf8')).toBe('sources:\n  - url: https://a.example/feed\n    name: Same\n');
  });
});

describe('newsstand add: local files, names, pages without feeds, RSSHub out of reach', () => {
  /** Reached directly, never through a proxy the environment may name. */
  const DIRECT = { NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
  const html = (head: string) =>
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>The &amp; page</title>${head}</head><body><p>hi</p></body></html>`;
  const now = new Date().toUTCString();
  const bodies: Record<string, [string, string]> = {
    '/feed.xml': [
      rss([{ title: 'One', link: 'https://loop.example/1', pubDate: now }], { title: 'Loop ${HOME} 博客' }),
      'application/rss+xml',
    ],
    '/untitled.xml': [rss([{ title: 'Two', link: 'https://loop.example/2', pubDate: now }], { title: '' }), 'application/rss+xml'],
    '/page': [html('<link rel="alternate" type="application/rss+xml" href="/untitled.xml">'), 'text/html; charset=utf-8'],
    '/dead-link': [html('<link rel="alternate" type="application/rss+xml" href="/missing.xml">'), 'text/html; charset=utf-8'],
    '/nofeed': [html(''), 'text/html; charset=utf-8'],
  };
  let server: Server;
  let base = '';
  let dead: Server;
  let deadUrl = '';
  const radarAsked: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0]!;
      if (path.startsWith('/api/radar/rules/')) {
        // An RSSHub instance without rules for the domain answers an empty body.
        radarAsked.push(path);
        response.writeHead(200, { 'content-type': 'application/json' }).end('');
        return;
      }
      const body = bodies[path];
      if (!body) response.writeHead(404).end('not here');
      else response.writeHead(200, { 'content-type': body[1] }).end(body[0]);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Accepts connections and drops them at once: an RSSHub instance (or page) that cannot be reached.
    dead = createNetServer((socket) => socket.destroy()) as unknown as Server;
    await new Promise<void>((done) => dead.listen(0, '127.0.0.1', done));
    deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
    await new Promise((done) => dead.close(done));
  });

  function siteWith(instance: string): TestSite {
    const s = site();
    writeFileSync(
      s.configFile,
      `# mine\nrsshub:\n  instances: [${instance}]\nfetch: { retries: 0, timeout: 10s }\n\nsources:\n  - url: https://news.ycombinator.com/rss   # keep\n`,
    );
    return s;
  }
  const add = (s: TestSite, args: string[], cwd?: string) => runCli(['add', ...args, '-c', s.configFile], { env: DIRECT, cwd });

  it('adds a local feed file — a path as typed, or file:PATH as sources are written — named by its title, and it syncs', async () => {
    const s = siteWith(base);
    s.writeFeed('local.xml', rss([{ title: 'Local one', link: 'https://local.example/1', pubDate: now }], { title: '本地 <b>feed</b>' }));
    s.writeFeed('other.xml', rss([{ title: 'Other one', link: 'https://local.example/2', pubDate: now }], { title: 'Other' }));
    const before = readFileSync(s.configFile, 'utf8');
    const typed = await add(s, ['feeds/local.xml'], s.dir);
    expect(typed.code, typed.stderr).toBe(0);
    expect(typed.stdout).toContain('Added file:./feeds/local.xml (name: 本地 feed) — categories: (none: filed under its name)');
    // From elsewhere, file:PATH is relative to newsstand.yml, as in the file itself.
    const written = await add(s, ['file:feeds/other.xml', '--categories', '本地, 其他'], REPO);
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(s.configFile, 'utf8')).toBe(
      `${before}  - file: ./feeds/local.xml\n    name: 本地 feed\n  - file: ./feeds/other.xml\n    name: Other\n    categories: [本地, 其他]\n`,
    );
    const again = await add(s, [`file://${join(s.dir, 'feeds/local.xml')}`]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('本地 feed — file:feeds/local.xml is already configured — nothing was added');
    const synced = await runCli(['sync', '--source', '本地 feed', '-c', s.configFile]);
    expect(synced.code, synced.stderr).toBe(0);
    expect(Object.values(s.posts()).filter((post) => post.includes('Local one'))).toHaveLength(1);
  });

  it('refuses a local file that is missing or not a feed, saying why, and writes nothing', async () => {
    const s = siteWith(base);
    const before = readFileSync(s.configFile, 'utf8');
    s.writeFeed('page.html', html('<link rel="alternate" type="application/rss+xml" href="/feed.xml">'));
    const page = await add(s, ['./feeds/page.html'], s.dir);
    expect(page.code).toBe(1);
    expect(page.stderr).toContain(
      './feeds/page.html: an HTML page, not a feed — newsstand reads RSS, Atom and JSON Feed files; nothing was added',
    );
    expect(page.stderr).not.toContain('the page links to');
    const missing = await add(s, ['feeds/nope.xml'], s.dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`feeds/nope.xml: no such file (looked for ${join(s.dir, 'feeds/nope.xml')})`);
    const schemeless = await add(s, ['example.com/feed.xml'], s.dir);
    expect(schemeless.stderr).toContain('did you mean https://example.com/feed.xml?');
    expect(readFileSync(s.configFile, 'utf8')).toBe(before);
  });

  it("names a feed URL by the feed's title (written literally), and a page's feed by the page's title when the feed has none", async () => {
    const s = siteWith(base);
    const feed = await add(s, [`${base}/feed.xml`]);
    expect(feed.code, feed.stderr).toBe(0);
    expect(feed.stdout).toContain(`Added url:${base}/feed.xml (name: Loop \${HOME} 博客)`);
    expect(readFileSync(s.configFile, 'utf8')).toContain('    name: Loop $${HOME} 博客\n');
    const page = await add(s, [`${base}/page`, '--json']);
    expect(page.code, page.stderr).toBe(0);
    expect(JSON.parse(page.stdout)).toEqual({
      added: { kind: 'url', location: `${base}/untitled.xml`, categories: [], name: 'The & page', foundOn: `${base}/page` },
      suggestions: [],
    });
    const given = await add(s, [`${base}/feed.xml?x=1`, '--name', 'Mine']);
    expect(given.code, given.stderr).toBe(0);
    expect((await s.config()).sources.map((source) => source.name)).toEqual(['', 'Loop ${HOME} 博客', 'The & page', 'Mine']);
  });

  it('a page whose feed link is broken: says which link failed, adds nothing', async () => {
    const s = siteWith(base);
    const before = readFileSync(s.configFile, 'utf8');
    const result = await add(s, [`${base}/dead-link`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${base}/dead-link: the feed it links to could not be read:`);
    expect(result.stderr).toContain(`${base}/missing.xml: HTTP 404`);
    expect(readFileSync(s.configFile, 'utf8')).toBe(before);
  });

  it('a page that links no feed, RSSHub reached: "knows no route", and the advice is to give the feed URL — not to use a link the page lacks', async () => {
    const s = siteWith(base);
    const before = readFileSync(s.configFile, 'utf8');
    const asked = radarAsked.length;
    const result = await add(s, [`${base}/nofeed`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`No feed found on ${base}/nofeed, and RSSHub knows no route for it.`);
    expect(result.stdout).toContain(
      'The page links no feed (no <link rel="alternate"> in its head). If the site publishes one, add the feed\'s URL itself',
    );
    expect(result.stdout + result.stderr).not.toContain('use the feed URL the page links to');
    expect(radarAsked.length).toBeGreaterThan(asked);
    expect(readFileSync(s.configFile, 'utf8')).toBe(before);
  });

  it('RSSHub out of reach is not "no route"; a page out of reach is not "no feed found"', async () => {
    const s = siteWith(deadUrl);
    const before = readFileSync(s.configFile, 'utf8');
    const offline = await add(s, [`${base}/nofeed`]);
    expect(offline.code).toBe(1);
    const said = offline.stdout + offline.stderr;
    expect(said).toContain(`${base}/nofeed: the page links no feed, and RSSHub could not be asked for routes for it:`);
    expect(said).toContain(`RSSHub unreachable (instance ${deadUrl}): cannot fetch ${deadUrl}/api/radar/rules/`);
    expect(said).toContain('try again (check rsshub.instances and your connection), or add the feed URL itself');
    expect(said).not.toContain('knows no route');

    const page = await add(s, [`${deadUrl}/news`]);
    expect(page.code).toBe(1);
    expect(page.stderr).toContain(`${deadUrl}/news could not be fetched (cannot fetch ${deadUrl}/news: `);
    expect(page.stderr).toContain('nothing was added; check the URL (or your connection) and try again');
    expect(page.stdout + page.stderr).not.toContain('No feed found');
    expect(readFileSync(s.configFile, 'utf8')).toBe(before);
  });
});
