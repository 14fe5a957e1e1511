import { describe, expect, it } from 'vitest';
import { parseFeedBytes } from './parse.js';

const parse = (xml: string) => parseFeedBytes(new TextEncoder().encode(xml), {});

const NAMESPACES =
  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
  'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/"';

describe('RSS metadata from Dublin Core, DCMI Terms, iTunes and Media RSS when RSS leaves it out', () => {
  const feed = parse(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" ${NAMESPACES}><channel>
<dc:title>夜谈播客</dc:title><link>https://pod.example/</link>
<itunes:subtitle>每周一期的城市夜谈</itunes:subtitle><itunes:summary>更长的介绍</itunes:summary>
<item><guid isPermaLink="false">ep1</guid><media:title>第一期：夜班公交</media:title>
<itunes:author>林晓舟</itunes:author><dcterms:issued>2025-03-01T12:00:00Z</dcterms:issued>
<dcterms:modified>2025-03-02T08:00:00Z</dcterms:modified>
<itunes:keywords>公交, 夜班</itunes:keywords><media:keywords>城市</media:keywords>
<description>节目介绍</description></item>
<item><guid isPermaLink="false">ep2</guid><title>RSS 的标题优先</title><media:title>不用这个</media:title>
<author>host@pod.example (主持人)</author><itunes:author>不用这个</itunes:author>
<pubDate>Sat, 08 Mar 2025 12:00:00 GMT</pubDate><dcterms:issued>2020-01-01T00:00:00Z</dcterms:issued>
<description>第二期</description></item>
</channel></rss>`);

  it('channel: dc:title as the title, itunes:subtitle as the description', () => {
    expect(feed.feed.title).toBe('夜谈播客');
    expect(feed.feed.description).toBe('每周一期的城市夜谈');
  });

  it('item: media:title, itunes:author, dcterms:issued and modified, itunes and media keywords as categories', () => {
    const [first] = feed.items;
    expect(first).toMatchObject({ title: '第一期：夜班公交', author: '林晓舟', categories: ['公交', '夜班', '城市'] });
    expect(first!.published?.toISOString()).toBe('2025-03-01T12:00:00.000Z');
    expect(first!.updated?.toISOString()).toBe('2025-03-02T08:00:00.000Z');
  });

  it("RSS's own elements win over the fallbacks", () => {
    const second = feed.items[1]!;
    expect(second).toMatchObject({ title: 'RSS 的标题优先', author: '主持人' });
    expect(second.published?.toISOString()).toBe('2025-03-08T12:00:00.000Z');
  });
});

describe('every author, and JSON Feed image attachments', () => {
  it('Atom: every <author> of an entry, and of the feed for entries that name none', () => {
    const feed = parse(`<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:t</id><updated>2025-01-01T00:00:00Z</updated>
<author><name>编辑部</name></author><author><name>夜班</name></author>
<entry><id>urn:1</id><title>一</title><updated>2025-01-01T00:00:00Z</updated><author><name>林晓舟</name></author><author><name>王建华</name></author></entry>
<entry><id>urn:2</id><title>二</title><updated>2025-01-01T00:00:00Z</updated></entry>
</feed>`);
    expect(feed.items.map((item) => item.author)).toEqual(['林晓舟, 王建华', '编辑部, 夜班']);
  });

  it('JSON Feed: every author, and an image/* attachment as the picture when the item names none', () => {
    const feed = parseFeedBytes(
      new TextEncoder().encode(
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'J',
          items: [
            {
              id: '1',
              content_text: 'x',
              authors: [{ name: '林晓舟' }, { name: '王建华' }],
              attachments: [
                { url: 'https://j.example/a.mp3', mime_type: 'audio/mpeg' },
                { url: 'https://j.example/cover.jpg', mime_type: 'image/jpeg' },
              ],
            },
            {
              id: '2',
              content_text: 'y',
              image: 'https://j.example/own.png',
              attachments: [{ url: 'https://j.example/other.jpg', mime_type: 'image/jpeg' }],
            },
          ],
        }),
      ),
      {},
    );
    expect(feed.items.map((item) => [item.author, item.image])).toEqual([
      ['林晓舟, 王建华', 'https://j.example/cover.jpg'],
      ['', 'https://j.example/own.png'],
    ]);
  });
});

describe('a feed read from a file, and its language', () => {
  it('resolves relative links against its rel="self" link when it has no URL of its own', () => {
    const rss = parse(`<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>
<atom:link rel="self" href="https://f.example/feeds/rss.xml"/><item><title>a</title><link>items/1.html</link><description>&lt;img src="img/a.jpg"&gt;</description></item></channel></rss>`);
    expect(rss.items[0]!.link).toBe('https://f.example/feeds/items/1.html');
    const atom =
      parse(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id><updated>2020-01-01T00:00:00Z</updated>
<link rel="self" href="https://f.example/a/atom.xml"/><entry><id>1</id><title>a</title><updated>2020-01-01T00:00:00Z</updated><link href="e/1"/></entry></feed>`);
    expect(atom.items[0]!.link).toBe('https://f.example/a/e/1');
  });

  it('a fetched feed keeps its own URL as the base, whatever rel="self" says', () => {
    const fetched = parseFeedBytes(
      new TextEncoder().encode(`<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>
<atom:link rel="self" href="https://old.example/rss.xml"/><item><title>a</title><link>p/1</link></item></channel></rss>`),
      { url: 'https://new.example/feed/rss.xml' },
    );
    expect(fetched.items[0]!.link).toBe('https://new.example/feed/p/1');
  });

  it('reads xml:lang on <rss> when no <language> says it, and en_US as en-US', () => {
    expect(parse(`<?xml version="1.0"?><rss version="2.0" xml:lang="de"><channel><title>t</title></channel></rss>`).feed.language).toBe(
      'de',
    );
    expect(
      parse(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><language>en_US</language></channel></rss>`).feed.language,
    ).toBe('en-US');
  });
});
