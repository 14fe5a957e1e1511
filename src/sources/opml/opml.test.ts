import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../feed/decode.js';
import { categoriesFromPath, categoryPath } from './category.js';
import { OpmlError, opmlFeeds, parseOpml } from './parse/opml.js';
import { parseXml, XmlSyntaxError } from './parse/xml.js';
import { writeOpml } from './write.js';

const testdata = join(import.meta.dirname, 'testdata');
const fixture = (name: string) => decodeFeedBytes(readFileSync(join(testdata, name))).text;
const feedsOf = (name: string) => opmlFeeds(parseOpml(fixture(name)));

function opmlError(text: string): OpmlError {
  try {
    parseOpml(text);
  } catch (error) {
    if (error instanceof OpmlError) return error;
    throw error;
  }
  throw new Error('expected an OpmlError');
}

describe('parseOpml and opmlFeeds on the shapes readers export', () => {
  it('flat (Miniflux): feeds at the top level, title and text, empty names', () => {
    const { feeds, problems } = feedsOf('miniflux-flat.opml');
    expect(problems).toEqual([]);
    expect(feeds.map(({ name, xmlUrl, folders }) => ({ name, xmlUrl, folders }))).toEqual([
      { name: 'Hacker News', xmlUrl: 'https://news.ycombinator.com/rss', folders: [] },
      { name: '阮一峰的网络日志', xmlUrl: 'https://www.ruanyifeng.com/blog/atom.xml', folders: [] },
      { name: '', xmlUrl: 'https://lwn.net/headlines/rss', folders: [] },
    ]);
    expect(feeds[0]).toMatchObject({ htmlUrl: 'https://news.ycombinator.com/', commented: false, line: 8 });
  });

  it('one folder level (Feedly, OPML 1.0), with htmlUrl and non-ASCII names', () => {
    const { feeds } = feedsOf('feedly-folders.opml');
    expect(feeds.map(({ name, folders }) => [...folders, name])).toEqual([
      ['Tech', 'Hacker News'],
      ['Tech', 'LWN.net'],
      ['新闻', 'BBC News 中文'],
      ['新闻', '联合早报 - 中国'],
    ]);
    expect(parseOpml(fixture('feedly-folders.opml')).title).toBe('Ada subscriptions in feedly Cloud');
  });

  it('text without title (FreshRSS), entities decoded', () => {
    const { feeds } = feedsOf('freshrss-text-only.opml');
    expect(feeds[0]).toMatchObject({ name: 'Solidot', folders: ['Blogs & Essays'] });
    expect(feeds[2]).toMatchObject({ name: 'https://example.org/feed.xml', folders: ['Uncategorized'] });
  });

  it('two and three levels of folders (Inoreader-like), query strings decoded', () => {
    const { feeds } = feedsOf('two-levels.opml');
    expect(feeds.map(({ folders }) => folders)).toEqual([
      ['新媒体', 'Aljazeera 半岛网'],
      ['新媒体', 'Aljazeera 半岛网'],
      ['Science', 'Journals', 'Nature'],
    ]);
    expect(feeds[1]!.xmlUrl).toBe('https://rsshub.app/aljazeera/chinese/economy?limit=20&key=SECRET');
  });

  it('NetNewsWire: OPML 1.1, character references, isComment, feed:// URLs', () => {
    const { feeds } = feedsOf('netnewswire.opml');
    expect(feeds.at(-1)).toMatchObject({ name: 'Mac-only 🍎 <notes>', xmlUrl: 'feed://www.macstories.net/feed/', commented: true });
    expect(feeds.filter((feed) => feed.commented)).toHaveLength(1);
  });

  it('a GBK file, once decoded as its declaration says', () => {
    expect(feedsOf('gbk.opml').feeds).toMatchObject([{ name: '爱范儿', folders: ['科技'] }]);
  });

  it('reads attribute names in any case, a BOM, and leaves DOCTYPE entities unexpanded', () => {
    const text =
      '\uFEFF<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>\n<opml><body><outline TEXT="&b;" XMLURL="https://a.example/?x=1&y=2" IsComment="TRUE"/></body></opml>';
    expect(opmlFeeds(parseOpml(text)).feeds).toMatchObject([{ name: '&b;', xmlUrl: 'https://a.example/?x=1&y=2', commented: true }]);
  });

  it('reports outlines that are not feeds, saying why', () => {
    const { feeds, problems } = feedsOf('malformed-no-urls.opml');
    expect(feeds).toEqual([]);
    expect(problems).toEqual([
      { line: 5, name: 'Empty folder', reason: expect.stringContaining('no xmlUrl') },
      { line: 7, name: 'A page', reason: expect.stringContaining('not a feed') },
      { line: 8, name: 'More', reason: expect.stringContaining('type="include"') },
    ]);
  });
});

describe('malformed OPML', () => {
  it('not XML at all', () => {
    const error = opmlError(fixture('malformed-not-xml.opml'));
    expect(error.message).toMatch(/not well-formed XML: text before the first element/);
    expect([error.line, error.column]).toEqual([1, 1]);
  });

  it('truncated: names the element left open', () => {
    const error = opmlError(fixture('malformed-truncated.opml'));
    expect(error.message).toContain('<outline> (line 5:5) is closed — is it truncated?');
    expect(error.line).toBe(8);
  });

  it('no body, unquoted attribute, a feed instead of OPML, empty, two roots, mismatched tags', () => {
    expect(opmlError(fixture('malformed-no-body.opml')).message).toContain('no <body>');
    expect(opmlError(fixture('malformed-unquoted.opml'))).toMatchObject({
      line: 3,
      column: 30,
      message: expect.stringContaining('not quoted'),
    });
    expect(opmlError('<rss version="2.0"><channel/></rss>').message).toContain('this is a feed (<rss>)');
    expect(opmlError('<html><body/></html>').message).toContain('HTML page');
    expect(opmlError('').message).toContain('empty');
    expect(opmlError('<opml><body/></opml><opml/>').message).toContain('second top-level element');
    expect(opmlError('<opml><body></opml>')).toMatchObject({
      line: 1,
      column: 13,
      message: expect.stringContaining('</opml> does not match <body> opened at line 1:7'),
    });
    expect(opmlError('<opml><body><outline text="a<b"/></body></opml>').message).toContain('"<" in the value of text');
    expect(opmlError('<opml><body><outline text="a" text="b"/></body></opml>').message).toContain('appears twice');
  });

  it('thousands of outlines beyond the limit: refused with a count, not read on', () => {
    const outlines = Array.from({ length: 30 }, (_, i) => `<outline text="${i}" xmlUrl="https://f.example/${i}"/>`).join('\n');
    const text = `<opml><body>\n${outlines}\n</body></opml>`;
    expect(opmlFeeds(parseOpml(text, { maxOutlines: 30 })).feeds).toHaveLength(30);
    const error = (() => {
      try {
        parseOpml(text, { maxOutlines: 29 });
      } catch (caught) {
        return caught as OpmlError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(OpmlError);
    expect(error.message).toContain('more than 29 outlines');
    expect(error.line).toBe(31);
  });

  it('ten thousand outlines are read within the default limit', () => {
    const outlines = Array.from({ length: 9_999 }, (_, i) => `<outline text="Feed ${i}" xmlUrl="https://f.example/${i}"/>`).join('\n');
    expect(opmlFeeds(parseOpml(`<opml><body><outline text="All">${outlines}</outline></body></opml>`)).feeds).toHaveLength(9_999);
  });

  it('the XML reader bounds nesting depth', () => {
    expect(() => parseXml('<a>'.repeat(200) + '</a>'.repeat(200))).toThrow(XmlSyntaxError);
  });
});

describe('writeOpml', () => {
  it('writes OPML 2.0 whose feeds read back exactly, folders gathered where they first appear', () => {
    const feeds = [
      { name: 'Plain', xmlUrl: 'https://a.example/feed?x=1&y=2', folders: [], category: '', commented: false },
      {
        name: 'Quotes "&" <tags>\tand\nlines',
        xmlUrl: 'https://b.example/',
        folders: ['Tech', 'Sub'],
        category: categoryPath(['Tech', 'Sub', 'a/b, c']),
        commented: true,
      },
      { name: '中文 🍎', xmlUrl: 'https://c.example/', folders: ['新闻'], category: '', commented: false },
      { name: 'Back in Tech', xmlUrl: 'https://d.example/', folders: ['Tech'], category: '', commented: false },
      { name: 'control\u0001char', xmlUrl: 'https://e.example/', folders: [], category: '', commented: false },
    ];
    const text = writeOpml({ title: 'newsstand & co', dateCreated: new Date('2022-01-08T12:00:00Z'), feeds });
    expect(text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">\n {2}<head>\n {4}<title>newsstand &amp; co<\/title>\n {4}<dateCreated>Sat, 08 Jan 2022 12:00:00 GMT<\/dateCreated>/,
    );
    const document = parseOpml(text);
    expect(document.title).toBe('newsstand & co');
    // The outline tree: Tech holds its sub-folder and, after it, the feed that came later.
    expect(document.outlines.map((outline) => outline.text)).toEqual(['Plain', 'Tech', '新闻', 'controlchar']);
    expect(document.outlines[1]!.children.map((outline) => outline.text)).toEqual(['Sub', 'Back in Tech']);
    const read = opmlFeeds(document).feeds;
    expect(read.map(({ name, xmlUrl, folders, commented }) => ({ name, xmlUrl, folders, commented }))).toEqual([
      { name: 'Plain', xmlUrl: 'https://a.example/feed?x=1&y=2', folders: [], commented: false },
      // Names are read with whitespace collapsed; the attribute itself keeps the line break and tab.
      { name: 'Quotes "&" <tags> and lines', xmlUrl: 'https://b.example/', folders: ['Tech', 'Sub'], commented: true },
      { name: 'Back in Tech', xmlUrl: 'https://d.example/', folders: ['Tech'], commented: false },
      { name: '中文 🍎', xmlUrl: 'https://c.example/', folders: ['新闻'], commented: false },
      { name: 'controlchar', xmlUrl: 'https://e.example/', folders: [], commented: false },
    ]);
    expect(document.outlines[1]!.children[0]!.children[0]!.text).toBe('Quotes "&" <tags>\tand\nlines');
    expect(categoriesFromPath(read[1]!.category)).toEqual(['Tech', 'Sub', 'a/b, c']);
  });
});

describe('the category attribute', () => {
  it('round-trips any categories, "/", "," and "%" included', () => {
    for (const categories of [['a'], ['新闻', 'BBC 中文'], ['a/b', 'c,d', '50%']])
      expect(categoriesFromPath(categoryPath(categories))).toEqual(categories);
  });

  it('takes the first path of a list, and ignores tags, empty levels and more than three', () => {
    expect(categoriesFromPath('tech, /News/World,/Later')).toEqual(['News', 'World']);
    expect(categoriesFromPath('tech,news')).toBeNull();
    expect(categoriesFromPath('/a//b')).toBeNull();
    expect(categoriesFromPath('/a/b/c/d')).toBeNull();
    expect(categoriesFromPath('')).toBeNull();
  });
});
