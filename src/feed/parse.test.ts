import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidFeedError, NotAFeedError } from '../errors.js';
import type { FeedFormat, FeedItem, ParsedFeed } from '../item.js';
import { parseFeedBytes, parseFeedText, type ParseOptions } from './parse.js';

// What each fixture must yield is written down in testdata/README.md; this file checks every row and note there.

const TESTDATA = new URL('./testdata/', import.meta.url);

function fixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, TESTDATA)));
}

function parse(file: string, options: ParseOptions = {}): ParsedFeed {
  return parseFeedBytes(fixtureBytes(file), options);
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function item(feed: ParsedFeed, index: number): FeedItem {
  const found = feed.items[index];
  if (!found) throw new Error(`expected an item #${index + 1}, the feed has ${feed.items.length}`);
  return found;
}

/** `src`/`href` values in raw HTML, resolved the way src/content/ will: against the item's baseUrl. */
function resolvedUrls(entry: FeedItem, attribute: 'src' | 'href'): string[] {
  const found = [...entry.contentHtml.matchAll(new RegExp(`\\s${attribute}="([^"]*)"`, 'g'))].map((m) => m[1] ?? '');
  return found.map((url) => new URL(url, entry.baseUrl).href);
}

const GBK_HEADER = 'application/rss+xml; charset=gbk';
const RELATIVE_FEED_URL = 'https://relative.example.com/feeds/rss.xml';

interface FixtureCase {
  file: string;
  format: FeedFormat;
  /** Exact count, or the smallest acceptable one for recovered (truncated) documents. */
  items: number;
  atLeast?: boolean;
  title: string;
  link: string;
  published: string | null;
  options?: ParseOptions;
}

const FEEDS: FixtureCase[] = [
  // Formats
  {
    file: 'rss2-basic.xml',
    format: 'rss2',
    items: 3,
    title: '市图书馆新馆正式开放 首日接待读者逾万人次',
    link: 'https://news.example.com/2025/05/12/library-opening.html',
    published: '2025-05-12T01:30:00.000Z',
  },
  {
    file: 'rss091.xml',
    format: 'rss09',
    items: 2,
    title: '老城区菜市场完成改造 摊位统一安装电子秤',
    link: 'http://old.example.com/news/0001.html',
    published: null,
  },
  {
    file: 'rss092.xml',
    format: 'rss09',
    items: 2,
    title: '早间新闻：河滨步道夜间照明工程完工',
    link: 'http://radio.example.com/programs/2025-03-03-morning.html',
    published: null,
  },
  {
    file: 'rss1-rdf.xml',
    format: 'rss1',
    items: 2,
    title: '山间步道重新开放，沿途新增三处观景台',
    link: 'https://blog.example.jp/2025/06/mountain-trail.html',
    published: '2025-06-03T01:15:00.000Z',
  },
  {
    file: 'rss090-rdf.xml',
    format: 'rss09',
    items: 3,
    title: '门户网站改版上线 首页加载速度提升一倍',
    link: 'http://portal.example.com/news/redesign.html',
    published: null,
  },
  {
    file: 'atom1-basic.xml',
    format: 'atom1',
    items: 3,
    title: '滨海新区首个智算中心投入使用',
    link: 'https://atom.example.com/2025/04/compute-center.html',
    published: '2025-04-01T00:00:00.000Z',
  },
  {
    file: 'atom03.xml',
    format: 'atom03',
    items: 2,
    title: '元宵节灯会攻略：三条不排队的观灯路线',
    link: 'https://atom03.example.com/2025/02/lantern-festival.html',
    published: '2025-02-14T12:00:00.000Z',
  },
  {
    file: 'jsonfeed-1.0.json',
    format: 'json1',
    items: 2,
    title: '南湖荷花节开幕 观赏期持续至八月中旬',
    link: 'https://json10.example.com/2025/07/20/lake-festival.html',
    published: '2025-07-20T10:00:00.000Z',
  },
  {
    file: 'jsonfeed-1.1.json',
    format: 'json1',
    items: 2,
    title: '北岸轮渡恢复夜航 单程票价不变',
    link: 'https://json11.example.com/p/2025-08-01-ferry',
    published: '2025-08-01T07:00:00.000Z',
  },
  // Charsets
  {
    file: 'gbk-decl.xml',
    format: 'rss2',
    items: 2,
    title: '政务中心推出“周末不打烊” 市民张喆首日办好营业执照',
    link: 'http://gov.chengdong.example.cn/news/20250308/1.htm',
    published: '2025-03-08T02:00:00.000Z',
  },
  {
    file: 'gb18030-4byte.xml',
    format: 'rss2',
    items: 2,
    title: '生僻字“𠀀”“𠮷”纳入户籍系统 姓名用字不必再改',
    link: 'http://hj.example.cn/news/2025/04/rare-chars.htm',
    published: '2025-04-16T01:00:00.000Z',
  },
  {
    file: 'big5.xml',
    format: 'rss2',
    items: 2,
    title: '臺北捷運環狀線北環段今日動工 預計六年後通車',
    link: 'http://news.example.tw/2025/09/ring-line-north.html',
    published: '2025-09-01T02:00:00.000Z',
  },
  {
    file: 'shift_jis.xml',
    format: 'rss2',
    items: 2,
    title: '東京都、ソフトウェア開発者向けの補助金制度を発表',
    link: 'http://news.example.jp/2025/10/software-grant.html',
    published: '2025-10-02T02:00:00.000Z',
  },
  {
    file: 'windows-1252.xml',
    format: 'rss2',
    items: 2,
    title: 'Café owners say “€3 espresso” is here to stay',
    link: 'http://gazette.example.com/2025/11/espresso.html',
    published: '2025-11-14T08:00:00.000Z',
  },
  {
    file: 'utf8-bom.xml',
    format: 'rss2',
    items: 2,
    title: '开头带字节顺序标记的订阅源：秋季运动会开幕',
    link: 'https://bom.example.com/2025/10/sports-meet.html',
    published: '2025-10-18T01:00:00.000Z',
  },
  {
    file: 'utf16le-bom.xml',
    format: 'rss2',
    items: 2,
    title: 'UTF-16 编码的订阅源：新建体育馆封顶',
    link: 'https://utf16.example.com/2025/08/stadium.html',
    published: '2025-08-12T08:00:00.000Z',
  },
  {
    file: 'gbk-no-decl.xml',
    format: 'rss2',
    items: 2,
    title: '西城区启动老旧小区加装电梯第三批申报',
    link: 'http://xc.example.cn/news/2025/06/elevator.htm',
    published: '2025-06-05T01:00:00.000Z',
    options: { contentType: GBK_HEADER },
  },
  {
    file: 'decl-wrong-header.xml',
    format: 'rss2',
    items: 2,
    title: '南城区新建三座城市书房 年底前全部开放',
    link: 'http://nc.example.cn/news/2025/07/study-rooms.htm',
    published: '2025-07-01T02:30:00.000Z',
  },
  // Dates
  {
    file: 'dates-mixed.xml',
    format: 'rss2',
    items: 8,
    title: '日期样式 1：RFC 822，带星期，+0800',
    link: 'https://dates.example.com/items/1',
    published: '2022-01-08T11:58:24.000Z',
  },
  // Links
  {
    file: 'atom-xml-base.xml',
    format: 'atom1',
    items: 3,
    title: '嵌套 xml:base：栏目下的文章',
    link: 'https://news.example.org/base/section/article-1.html',
    published: '2025-09-10T08:00:00.000Z',
  },
  {
    file: 'rss-relative-links.xml',
    format: 'rss2',
    items: 3,
    title: '以斜杠开头的相对链接',
    link: 'https://relative.example.com/news/2025/05/relative-1.html',
    published: '2025-05-15T02:00:00.000Z',
    options: { url: RELATIVE_FEED_URL },
  },
  // Broken input that is recovered
  {
    file: 'truncated.xml',
    format: 'rss2',
    items: 2,
    atLeast: true,
    title: '第一条：完整的条目',
    link: 'https://cut.example.com/2025/10/01/first.html',
    published: '2025-10-01T00:00:00.000Z',
  },
  {
    file: 'truncated-atom.xml',
    format: 'atom1',
    items: 1,
    atLeast: true,
    title: '完整的第一篇',
    link: 'https://cut-atom.example.com/2025/10/02/first.html',
    published: '2025-10-02T09:00:00.000Z',
  },
  {
    file: 'bare-ampersand.xml',
    format: 'rss2',
    items: 2,
    title: 'AT&T 与本地运营商达成漫游合作 & 资费下调',
    link: 'https://amp.example.com/news?id=1&lang=zh',
    published: '2025-10-20T01:00:00.000Z',
  },
];

const NOT_FEEDS: ReadonlyArray<{ file: string; message: RegExp }> = [
  { file: 'html-page.html', message: /HTML page/ },
  { file: 'garbage.bin', message: /neither XML nor JSON/ },
  { file: 'empty.xml', message: /empty/ },
  { file: 'not-feed.xml', message: /root <urlset>/ },
];

describe('fixture coverage', () => {
  const covered = new Set([...FEEDS.map((c) => c.file), ...NOT_FEEDS.map((c) => c.file)]);

  it('has a case for every fixture the README lists', () => {
    const readme = readFileSync(new URL('README.md', TESTDATA), 'utf8');
    const listed = [...readme.matchAll(/^\| `([^`]+\.[a-z0-9]+)` \|/gm)].map((m) => m[1] ?? '');
    expect(listed.length).toBeGreaterThanOrEqual(25);
    expect(listed.filter((file) => !covered.has(file))).toEqual([]);
  });

  it('has a case for every file in testdata/', () => {
    // wild/ holds golden pairs that check themselves (wild.test.ts).
    const files = readdirSync(TESTDATA).filter((file) => file !== 'README.md' && file !== 'wild');
    expect(files.filter((file) => !covered.has(file))).toEqual([]);
  });
});

describe('parseFeedBytes: every feed fixture', () => {
  it.each(FEEDS)('$file → $format, $items items', (c) => {
    const feed = parse(c.file, c.options);
    expect(feed.feed.format).toBe(c.format);
    if (c.atLeast) expect(feed.items.length).toBeGreaterThanOrEqual(c.items);
    else expect(feed.items).toHaveLength(c.items);
    const first = item(feed, 0);
    expect(first.title).toBe(c.title);
    expect(first.link).toBe(c.link);
    expect(iso(first.published)).toBe(c.published);
  });

  it.each(FEEDS)('$file: no replacement characters or C1 controls in titles and text', (c) => {
    const feed = parse(c.file, c.options);
    const texts = [feed.feed.title, feed.feed.description, ...feed.items.flatMap((i) => [i.title, i.contentHtml, i.author])];
    for (const text of texts) expect(text).not.toMatch(/[\ufffd\u0080-\u009f]/);
  });
});

describe('formats', () => {
  it('rss2-basic.xml: author, categories, enclosure image, escaped HTML description', () => {
    const feed = parse('rss2-basic.xml');
    const first = item(feed, 0);
    expect(first.author).toBe('王编辑');
    expect(first.categories).toEqual(['文化', '民生']);
    expect(first.enclosures).toEqual([{ url: 'https://news.example.com/img/2025/05/library.jpg', type: 'image/jpeg', length: 182044 }]);
    expect(first.image).toBe('https://news.example.com/img/2025/05/library.jpg');
    expect(first.contentHtml).toContain('<b>首日</b>');
    expect(item(feed, 1).contentHtml).toContain('<p>自本周五起'); // CDATA description
  });

  it('rss2-basic.xml: a <guid> without isPermaLink is the link of an item with no <link>', () => {
    const feed = parse('rss2-basic.xml');
    expect(item(feed, 2).link).toBe('https://news.example.com/2025/05/10/weekend-weather.html');
    expect(item(feed, 2).title).toBe('本周末气温回升 最高可达 29℃');
  });

  it('rss2-basic.xml: channel lastBuildDate and image', () => {
    const feed = parse('rss2-basic.xml');
    expect(iso(feed.feed.updated)).toBe('2025-05-12T02:00:00.000Z');
    expect(feed.feed.image).toBe('https://news.example.com/logo.png');
    expect(feed.feed.link).toBe('https://news.example.com/');
    expect(feed.feed.language).toBe('zh-cn');
  });

  describe('rss091.xml', () => {
    afterEach(() => vi.restoreAllMocks());

    it('parses despite the Netscape DOCTYPE, without fetching the DTD', () => {
      const fetchSpy = vi.spyOn(globalThis, 'fetch');
      const feed = parse('rss091.xml');
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(feed.feed.title).toBe('老城区社区报');
      expect(item(feed, 1).link).toBe('http://old.example.com/news/0002.html');
    });

    it('0.91 items have no dates; the channel has lastBuildDate', () => {
      const feed = parse('rss091.xml');
      expect(feed.items.map((i) => [i.published, i.updated])).toEqual([
        [null, null],
        [null, null],
      ]);
      expect(iso(feed.feed.updated)).toBe('2025-02-18T08:00:00.000Z');
    });
  });

  it('rss092.xml: enclosure and category; an item with only a description', () => {
    const feed = parse('rss092.xml');
    const first = item(feed, 0);
    expect(first.enclosures).toEqual([
      { url: 'http://radio.example.com/audio/2025-03-03-morning.mp3', type: 'audio/mpeg', length: 5324800 },
    ]);
    expect(first.categories).toEqual(['早间新闻']);
    expect(first.image).toBe(''); // an audio enclosure is not a picture
    const second = item(feed, 1);
    expect(second.link).toBe('');
    // The parser does not make up a title from the description.
    expect(second.title).toBe('');
    expect(second.contentHtml).toBe('插播：今晚 8 点至 10 点，广播站发射设备检修，调频信号可能中断。');
  });

  it('rss1-rdf.xml: dc:creator, dc:subject, content:encoded over description', () => {
    const feed = parse('rss1-rdf.xml');
    const first = item(feed, 0);
    expect(first.author).toBe('山人');
    expect(first.categories).toEqual(['户外']);
    expect(first.contentHtml).toBe('<p>封闭半年的山间步道本周重新开放，沿途新增三处观景台。</p>');
    expect(first.guid).toBe('https://blog.example.jp/2025/06/mountain-trail.html');
    expect(item(feed, 1).contentHtml).toBe('采茶季的最后一周。');
    expect(iso(feed.feed.updated)).toBe('2025-06-03T02:00:00.000Z');
  });

  it('rss090-rdf.xml: RSS 0.90 RDF in the Netscape namespace, its image beside the channel', () => {
    const feed = parse('rss090-rdf.xml');
    expect(feed.items.map((i) => i.link)).toEqual([
      'http://portal.example.com/news/redesign.html',
      'http://portal.example.com/news/meetup.html',
      'http://portal.example.com/news/aqi.html',
    ]);
    expect(feed.feed.image).toBe('http://portal.example.com/images/portal.gif');
  });

  describe('atom1-basic.xml', () => {
    const feed = () => parse('atom1-basic.xml');

    it('entry 1: updated, author, categories, summary', () => {
      const first = item(feed(), 0);
      expect(iso(first.updated)).toBe('2025-04-02T10:30:00.000Z');
      expect(first.author).toBe('苏晴');
      expect(first.categories).toEqual(['算力', '基础设施']);
      expect(first.summary).toBe('智算中心一期提供 2000P 算力，面向区内企业开放。');
      expect(first.contentHtml).toContain('<em>面向区内企业开放</em>');
    });

    it('entry 2: a type="html" title becomes plain text; a <link> without rel is the alternate', () => {
      const second = item(feed(), 1);
      expect(second.title).toBe('海上风电运维机器人完成 首次 实地测试');
      expect(second.link).toBe('https://atom.example.com/2025/03/offshore-robot.html');
    });

    it('entry 3: only <updated>', () => {
      const third = item(feed(), 2);
      expect(third.published).toBeNull();
      expect(iso(third.updated)).toBe('2025-03-15T01:00:00.000Z');
    });

    it('feed updated; entries without an author inherit the feed author', () => {
      const parsed = feed();
      expect(iso(parsed.feed.updated)).toBe('2025-04-02T10:30:00.000Z');
      expect(parsed.items.map((i) => i.author)).toEqual(['苏晴', '滨海科技观察编辑部', '滨海科技观察编辑部']);
      expect(parsed.feed.link).toBe('https://atom.example.com/'); // the alternate, not rel="self"
    });
  });

  it('atom03.xml: issued/modified, escaped and inline XHTML content', () => {
    const feed = parse('atom03.xml');
    const [first, second] = [item(feed, 0), item(feed, 1)];
    expect(iso(first.updated)).toBe('2025-02-14T12:30:00.000Z');
    expect(first.contentHtml).toContain('<strong>5</strong>');
    expect(second.contentHtml).toContain('<p>春联、糖果、坚果和一盆水仙。</p>');
    expect(iso(second.published)).toBe('2025-01-20T01:00:00.000Z');
    expect(feed.feed.description).toBe('一个仍在输出 Atom 0.3 的博客'); // <tagline>
  });

  it('jsonfeed-1.0.json: singular author, image, tags; the feed author as fallback', () => {
    const feed = parse('jsonfeed-1.0.json');
    const first = item(feed, 0);
    expect(first.author).toBe('赵清');
    expect(first.image).toBe('https://json10.example.com/img/2025/07/lotus.jpg');
    expect(iso(first.updated)).toBe('2025-07-20T11:30:00.000Z');
    expect(first.categories).toEqual(['文旅', '南湖']);
    expect(item(feed, 1).author).toBe('南湖日报');
  });

  it('jsonfeed-1.1.json: authors, attachment; content_text becomes escaped HTML', () => {
    const feed = parse('jsonfeed-1.1.json');
    const first = item(feed, 0);
    expect(first.author).toBe('钱一鸣');
    expect(iso(first.updated)).toBe('2025-08-01T09:00:00.000Z');
    expect(first.enclosures).toEqual([{ url: 'https://json11.example.com/audio/ferry.m4a', type: 'audio/mp4', length: 1048576 }]);
    const second = item(feed, 1);
    expect(second.contentHtml.replace(/<\/?p>/g, '')).toBe('北岸夜市试点延长至 10 月底，周一休市。');
    expect(second.author).toBe('北岸周刊编辑部');
  });
});

describe('charsets', () => {
  it('gbk-decl.xml: the gb2312 label is read as GBK, so 喆 (not in GB2312) survives', () => {
    expect(item(parse('gbk-decl.xml'), 0).title).toContain('张喆');
  });

  it('gb18030-4byte.xml: four-byte sequences and € decode', () => {
    const bytes = Buffer.from(fixtureBytes('gb18030-4byte.xml'));
    // The fixture holds what the README says it holds.
    expect(bytes.includes(Buffer.from([0x95, 0x32, 0x82, 0x36]))).toBe(true);
    expect(bytes.includes(Buffer.from([0x95, 0x34, 0xb2, 0x35]))).toBe(true);
    const first = item(parse('gb18030-4byte.xml'), 0);
    expect(first.title).toContain('𠀀');
    expect(first.title).toContain('𠮷');
    expect(first.contentHtml).toContain('€12');
  });

  it('shift_jis.xml: trail bytes 0x5C are not backslashes', () => {
    const bytes = Buffer.from(fixtureBytes('shift_jis.xml'));
    expect(bytes.includes(Buffer.from([0x83, 0x5c]))).toBe(true);
    const feed = parse('shift_jis.xml');
    expect(item(feed, 0).title).toContain('ソフトウェア');
    expect(item(feed, 0).title).toContain('発表');
    expect(item(feed, 0).title).not.toContain('\\');
    expect(feed.feed.title).toBe('東京ローカルニュース');
  });

  it('big5.xml: traditional characters', () => {
    const feed = parse('big5.xml');
    expect(feed.feed.title).toBe('臺北城市快報');
    expect(item(feed, 1).title).toBe('市立圖書館延長夜間開放時間');
  });

  it('windows-1252.xml: 0x80–0x9F are the cp1252 characters, not C1 controls', () => {
    const first = item(parse('windows-1252.xml'), 0);
    expect(first.title).toContain('“€3 espresso”');
    expect(first.contentHtml).toBe('Prices rose again this year — but regulars don’t seem to mind.');
  });

  it('utf8-bom.xml / utf16le-bom.xml: the BOM decides and is not part of the text', () => {
    expect(Array.from(fixtureBytes('utf16le-bom.xml').subarray(0, 2))).toEqual([0xff, 0xfe]);
    expect(parse('utf16le-bom.xml').feed.title).toBe('UTF-16 新闻源');
    expect(parse('utf8-bom.xml').feed.title).toBe('带 BOM 的新闻源');
    // Even a header that says otherwise loses to the BOM.
    expect(item(parse('utf16le-bom.xml', { contentType: 'text/xml; charset=gbk' }), 0).title).toBe('UTF-16 编码的订阅源：新建体育馆封顶');
  });

  it('gbk-no-decl.xml: the HTTP charset says GBK; without it, detection finds GB18030', () => {
    expect(item(parse('gbk-no-decl.xml', { contentType: GBK_HEADER }), 1).title).toBe('社区食堂推出老年人助餐优惠');
    // Nothing names the charset and the bytes are not UTF-8: detection tries GB18030 before windows-1252.
    expect(item(parse('gbk-no-decl.xml'), 0).title).toBe('西城区启动老旧小区加装电梯第三批申报');
  });

  it('decl-wrong-header.xml: the declaration is honoured, even under a wrong charset=utf-8 header', () => {
    const expected = '南城区新建三座城市书房 年底前全部开放';
    expect(item(parse('decl-wrong-header.xml'), 0).title).toBe(expected);
    expect(item(parse('decl-wrong-header.xml', { contentType: 'text/xml; charset=utf-8' }), 0).title).toBe(expected);
  });
});

describe('dates-mixed.xml', () => {
  const expected = [
    '2022-01-08T11:58:24.000Z',
    '2022-01-08T12:05:00.000Z',
    '2022-01-08T13:10:00.000Z', // CST in a zh-cn feed is China Standard Time
    '2022-01-08T14:20:00.000Z',
    '2022-01-08T15:30:00.000Z',
    '2022-01-08T11:58:24.000Z',
    '2022-01-08T11:58:00.000Z',
    null,
  ];

  it('reads every date style in document order', () => {
    const feed = parse('dates-mixed.xml');
    expect(feed.items.map((i) => iso(i.published))).toEqual(expected);
    expect(feed.items.map((i) => i.link)).toEqual(expected.map((_, n) => `https://dates.example.com/items/${n + 1}`));
    for (const [n, entry] of feed.items.entries()) expect(entry.title.startsWith(`日期样式 ${n + 1}：`)).toBe(true);
  });

  it('an unreadable date (昨天) leaves published and updated null', () => {
    const last = item(parse('dates-mixed.xml'), 7);
    expect(last.published).toBeNull();
    expect(last.updated).toBeNull();
  });
});

describe('links', () => {
  describe('atom-xml-base.xml', () => {
    const feed = () => parse('atom-xml-base.xml');

    it('feed.link is the alternate ../, not the rel="self" link listed first', () => {
      expect(feed().feed.link).toBe('https://news.example.org/');
    });

    it('entry 1: nested xml:base; self and edit links skipped; content base includes the <content> xml:base', () => {
      const first = item(feed(), 0);
      expect(first.link).toBe('https://news.example.org/base/section/article-1.html');
      expect(first.baseUrl).toBe('https://news.example.org/base/section/media/');
      expect(resolvedUrls(first, 'src')).toEqual(['https://news.example.org/base/section/media/photo-1.jpg']);
      expect(resolvedUrls(first, 'href')).toEqual(['https://news.example.org/base/section/article-2.html']);
    });

    it('entry 2: a root-relative xml:base; the link without rel is the alternate', () => {
      const second = item(feed(), 1);
      expect(second.link).toBe('https://news.example.org/root-level/article-2.html');
      expect(resolvedUrls(second, 'src')).toEqual(['https://news.example.org/root-level/img/photo-2.jpg']);
    });

    it('entry 3: an absolute xml:base replaces the outer one', () => {
      const third = item(feed(), 2);
      expect(third.link).toBe('https://mirror.example.net/mirror/article-3.html');
      expect(third.baseUrl).toBe('https://mirror.example.net/mirror/');
    });
  });

  describe('rss-relative-links.xml (fetched from https://relative.example.com/feeds/rss.xml)', () => {
    const feed = () => parse('rss-relative-links.xml', { url: RELATIVE_FEED_URL });

    it('channel link / becomes the site root', () => {
      expect(feed().feed.link).toBe('https://relative.example.com/');
    });

    it('item 1: root-relative link; body images resolve against the item link', () => {
      const first = item(feed(), 0);
      expect(first.baseUrl).toBe('https://relative.example.com/news/2025/05/relative-1.html');
      expect(resolvedUrls(first, 'src')).toEqual([
        'https://relative.example.com/img/r1.jpg',
        'https://relative.example.com/news/2025/05/thumb.jpg',
      ]);
    });

    it('item 2: a path-relative link resolves against the feed URL (SPEC §4), not the channel <link>', () => {
      expect(item(feed(), 1).link).toBe('https://relative.example.com/feeds/article/relative-2.html');
    });

    it('item 3: a scheme-relative link takes the feed URL scheme', () => {
      expect(item(feed(), 2).link).toBe('https://cdn.relative.example.com/live/3');
    });

    it('isPermaLink="false" guids are ids, not links', () => {
      expect(feed().items.map((i) => i.guid)).toEqual(['relative-1', 'relative-2', 'relative-3']);
    });
  });
});

describe('broken input', () => {
  it('truncated.xml: the two complete items are exact; a partial third keeps its title', () => {
    const feed = parse('truncated.xml');
    const second = item(feed, 1);
    expect(second.title).toBe('第二条：同样完整');
    expect(second.link).toBe('https://cut.example.com/2025/09/30/second.html');
    expect(iso(second.published)).toBe('2025-09-30T12:00:00.000Z');
    expect(item(feed, 0).contentHtml).toBe('<p>国庆假期首日，各景区客流平稳。</p>');
    expect(feed.items.length).toBeLessThanOrEqual(3);
    if (feed.items[2]) expect(feed.items[2].title).toBe('第三条：在描述中途被截断');
    expect(feed.feed.title).toBe('被截断的订阅源');
  });

  it('truncated-atom.xml: the complete entry keeps its author', () => {
    const feed = parse('truncated-atom.xml');
    expect(item(feed, 0).author).toBe('值班编辑');
    expect(item(feed, 0).contentHtml).toBe('<p>第一篇是完整的。</p>');
    expect(feed.items.length).toBeLessThanOrEqual(2);
  });

  it('bare-ampersand.xml: & and < stay as written in titles and links', () => {
    const feed = parse('bare-ampersand.xml');
    expect(feed.feed.title).toBe('Tom & Jerry 科技评论');
    expect(item(feed, 1).title).toBe('研究称 a < b 时新排序算法快 30%');
    expect(item(feed, 1).link).toBe('https://amp.example.com/news?id=2&lang=zh');
  });

  it.each(NOT_FEEDS)('$file → NotAFeedError saying what it is', ({ file, message }) => {
    expect(() => parse(file)).toThrow(NotAFeedError);
    expect(() => parse(file)).toThrow(message);
  });
});

// Cases the fixtures do not cover, written inline.
describe('inline cases', () => {
  const rss = (items: string, channel = '') =>
    `<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>T</title><link>https://site.example/</link><description>d</description>${channel}${items}</channel></rss>`;

  it('a guid with isPermaLink="false" never becomes the link, even when it looks like a URL', () => {
    const feed = parseFeedText(rss('<item><title>a</title><guid isPermaLink="false">https://site.example/p/1</guid></item>'));
    expect(item(feed, 0).link).toBe('');
    expect(item(feed, 0).guid).toBe('https://site.example/p/1');
  });

  it('image: media:thumbnail first, then image media:content (also in media:group), then itunes:image', () => {
    const feed = parseFeedText(
      rss(
        '<item><title>1</title><link>https://site.example/1</link><media:content url="https://site.example/v.mp4" type="video/mp4"/><media:thumbnail url="/t1.jpg"/><media:content url="https://site.example/c1.jpg" medium="image"/></item>' +
          '<item><title>2</title><link>https://site.example/2</link><media:group><media:content url="https://site.example/v.mp4" type="video/mp4"/><media:content url="https://site.example/g2.jpg" type="image/jpeg"/></media:group></item>' +
          '<item><title>3</title><link>https://site.example/3</link><itunes:image href="https://site.example/i3.jpg"/></item>' +
          '<item><title>4</title><link>https://site.example/4</link><enclosure url="https://site.example/a.mp3" type="audio/mpeg" length="1"/></item>',
      ),
    );
    expect(feed.items.map((i) => i.image)).toEqual([
      'https://site.example/t1.jpg',
      'https://site.example/g2.jpg',
      'https://site.example/i3.jpg',
      '',
    ]);
  });

  it('Atom: an image enclosure link is the item image; rel="self"/"edit" are never the link', () => {
    const feed = parseFeedText(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>e</title><id>x</id>
        <link rel="edit" href="https://a.example/edit"/><link rel="enclosure" type="image/png" length="10" href="https://a.example/pic.png"/>
        <link rel="alternate" type="text/html" href="https://a.example/e.html"/></entry></feed>`,
    );
    const entry = item(feed, 0);
    expect(entry.link).toBe('https://a.example/e.html');
    expect(entry.enclosures).toEqual([{ url: 'https://a.example/pic.png', type: 'image/png', length: 10 }]);
    expect(entry.image).toBe('https://a.example/pic.png');
  });

  it('Atom: a relative entry xml:base is applied once to the content base (no …/section/section/)', () => {
    const feed = parseFeedText(
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://b.example/base/"><title>A</title>
        <entry xml:base="section/"><title>e</title><id>x</id><link href="https://elsewhere.example/e.html"/><content type="html">&lt;img src="p.jpg"&gt;</content></entry></feed>`,
    );
    expect(item(feed, 0).baseUrl).toBe('https://b.example/base/section/');
  });

  it('Atom: a feed-level xml:base is in scope for content, ahead of the entry link (SPEC §4)', () => {
    const feed = parseFeedText(
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://b.example/assets/"><title>A</title>
        <entry><title>e</title><id>x</id><link href="https://b.example/2025/01/e.html"/><content type="html">&lt;img src="p.jpg"&gt;</content></entry></feed>`,
    );
    expect(item(feed, 0).baseUrl).toBe('https://b.example/assets/');
    expect(item(feed, 0).link).toBe('https://b.example/2025/01/e.html');
  });

  it('RSS: without xml:base, content resolves against the item link, else the feed URL', () => {
    const feed = parseFeedText(rss('<item><title>a</title><link>/p/1.html</link></item><item><title>b</title></item>'), {
      url: 'https://feeds.example/x/rss.xml',
    });
    expect(feed.items.map((i) => i.baseUrl)).toEqual(['https://feeds.example/p/1.html', 'https://feeds.example/x/rss.xml']);
  });

  it('a stray "<" before a letter in the middle of a document does not cut off the items after it', () => {
    const feed = parseFeedText(
      rss('<item><title>one</title></item><item><title>if x <y then z</title></item><item><title>three</title></item>'),
    );
    expect(feed.items.map((i) => i.title)).toEqual(['one', 'if x <y then z', 'three']);
  });

  it('title markup: inline tags leave no space, line-breaking tags leave one', () => {
    const feed = parseFeedText(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
        <entry><title type="html">&lt;a href="x"&gt;上海&lt;/a&gt;发布&lt;br/&gt;第二行  两个空格</title><id>x</id></entry></feed>`,
    );
    expect(item(feed, 0).title).toBe('上海发布 第二行  两个空格');
  });

  it('a JSON Feed cut off in transit is an invalid feed, other JSON is not a feed', () => {
    const json = readFileSync(new URL('jsonfeed-1.1.json', TESTDATA), 'utf8');
    expect(() => parseFeedText(json.slice(0, 200))).toThrow(InvalidFeedError);
    expect(() => parseFeedText('[1, 2, 3]')).toThrow(/JSON but not a JSON Feed/);
    expect(() => parseFeedText('{"version": "1"}')).toThrow(NotAFeedError);
  });

  it('JSON Feed content_text is HTML-escaped', () => {
    const feed = parseFeedText(
      JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items: [{ id: '1', content_text: 'a < b & <script>' }] }),
    );
    expect(item(feed, 0).contentHtml).not.toContain('<script>');
    expect(item(feed, 0).contentHtml).toContain('a &lt; b &amp; &lt;script&gt;');
  });

  it('a feed root with nothing readable inside is an InvalidFeedError naming the format', () => {
    expect(() => parseFeedText('<rss version="2.0">')).toThrow(InvalidFeedError);
    expect(() => parseFeedText('<rss version="2.0">')).toThrow(/RSS 2\.0 document is broken/);
    expect(() => parseFeedText('<feed xmlns="http://www.w3.org/2005/Atom">')).toThrow(/Atom 1\.0 document is broken/);
  });

  it('a feed with no items yet is zero items, not an error', () => {
    const feed = parseFeedText(rss(''));
    expect(feed.items).toEqual([]);
    expect(feed.feed.title).toBe('T');
  });
});

describe('the item cap (maxItems) and hostile documents', () => {
  const HOUR = 3_600_000;
  const base = Date.parse('2025-01-01T00:00:00Z');
  const rssItems = (count: number, date: (n: number) => string | null, channel = '') =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${channel}` +
    Array.from(
      { length: count },
      (_, n) =>
        `<item><title>i${n}</title><link>https://c.example/${n}</link>${date(n) === null ? '' : `<pubDate>${date(n)}</pubDate>`}</item>`,
    ).join('') +
    '</channel></rss>';
  const titles = (feed: ParsedFeed) => feed.items.map((entry) => entry.title);

  it('keeps the newest items in document order, for feeds sorted either way', () => {
    const oldestFirst = parseFeedText(
      rssItems(10, (n) => new Date(base + n * HOUR).toUTCString()),
      { maxItems: 3 },
    );
    expect(titles(oldestFirst)).toEqual(['i7', 'i8', 'i9']);
    expect(oldestFirst.skippedItems).toBe(7);
    const newestFirst = parseFeedText(
      rssItems(10, (n) => new Date(base - n * HOUR).toUTCString()),
      { maxItems: 3 },
    );
    expect(titles(newestFirst)).toEqual(['i0', 'i1', 'i2']);
  });

  it('keeps the first items of a feed without dates, and counts undated items as newest in a mixed one', () => {
    expect(
      titles(
        parseFeedText(
          rssItems(10, () => null),
          { maxItems: 2 },
        ),
      ),
    ).toEqual(['i0', 'i1']);
    expect(
      titles(
        parseFeedText(
          rssItems(5, (n) => (n === 1 ? null : new Date(base + n * HOUR).toUTCString())),
          { maxItems: 2 },
        ),
      ),
    ).toEqual(['i1', 'i4']);
  });

  it('has no skippedItems under the cap, and defaults to 1,000 items', () => {
    expect(
      parseFeedText(
        rssItems(3, () => null),
        { maxItems: 3 },
      ).skippedItems,
    ).toBeUndefined();
    expect(parseFeedText(rssItems(1001, () => null)).items).toHaveLength(1000);
  });

  it('dates items over the cap as the normalizer would: zone-less dates in the language of the channel, wherever it is', () => {
    // <language> after the items still applies to their zone-less dates, as in a feed under the cap.
    const text = rssItems(4, (n) => `2025-01-0${n + 1} 12:00`).replace('</channel>', '<language>zh-cn</language></channel>');
    const capped = parseFeedText(text, { maxItems: 2 });
    expect(capped.items.map((entry) => entry.published?.toISOString())).toEqual(['2025-01-03T04:00:00.000Z', '2025-01-04T04:00:00.000Z']);
    expect(capped.feed.language).toBe('zh-cn');
  });

  it('caps Atom and JSON Feed the same way, and repairs a truncated feed over the cap', () => {
    const atom =
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>' +
      Array.from(
        { length: 5 },
        (_, n) => `<entry><id>e${n}</id><title>e${n}</title><updated>${new Date(base + n * HOUR).toISOString()}</updated></entry>`,
      ).join('') +
      '</feed>';
    expect(titles(parseFeedText(atom, { maxItems: 2 }))).toEqual(['e3', 'e4']);
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J',
      items: Array.from({ length: 5 }, (_, n) => ({
        id: `j${n}`,
        title: `j${n}`,
        date_published: new Date(base - n * HOUR).toISOString(),
      })),
    });
    expect(titles(parseFeedText(json, { maxItems: 2 }))).toEqual(['j0', 'j1']);
    const truncated = rssItems(6, (n) => new Date(base + n * HOUR).toUTCString()).replace(
      /<item><title>i5<\/title>[\s\S]*$/,
      '<item><title>i5</tit',
    );
    expect(titles(parseFeedText(truncated, { maxItems: 2 }))).toEqual(['i3', 'i4']);
  });

  it('reads a feed with an external entity declared, leaving the entity as written', () => {
    const feed = parseFeedText(
      `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>${rssItems(1, () => null)
        .replace('<title>i0</title>', '<title>a &x; b</title>')
        .replace(/^<\?xml[^>]*>/, '')}`,
    );
    expect(titles(feed)).toEqual(['a &x; b']);
  });

  it('reads elements nested 100,000 deep, an author of 100,000 brackets, a megabyte title and link', () => {
    const deep = `${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}`;
    expect(titles(parseFeedText(rssItems(2, () => null, deep)))).toEqual(['i0', 'i1']);
    const hostile = rssItems(1, () => null)
      .replace('<title>i0</title>', `<title>${'标'.repeat(1_000_000)}</title><author>${'&lt;('.repeat(100_000)}</author>`)
      .replace('<link>https://c.example/0</link>', `<link>https://c.example/${'x'.repeat(1_000_000)}</link>`);
    const [entry] = parseFeedText(hostile).items;
    expect(entry!.title).toBe(`${'标'.repeat(299)}…`);
    expect(entry!.link).toBe('');
    expect(entry!.author).toBe('');
  });
});
