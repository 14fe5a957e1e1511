import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repairXml } from './repair.js';

const HEAD = '<rss version="2.0"><channel><title>T</title>';
const ITEM_1 = '<item><title>1</title><link>https://x.example/1</link></item>';
const CUT_BACK = `${HEAD}${ITEM_1}</channel></rss>`;

const fixture = (file: string) => readFileSync(new URL(`./testdata/${file}`, import.meta.url), 'utf8');

describe('repairXml: truncated documents are cut back to the last complete item', () => {
  it.each([
    ['mid-item, in text', '<item><title>第二条'],
    ['mid-item, between elements', '<item><title>2</title>\n'],
    ['mid start tag', '<item><title>2</title><li'],
    ['mid attribute value', '<item><enclosure url="https://x.example/a.mp3?x=1&y'],
    ['mid end tag', '<item><title>2</tit'],
    ['mid "<"', '<item><title>2</title><'],
    ['mid CDATA', '<item><description><![CDATA[<p>气象部门预计，假期前半段'],
    ['inside a comment', '<!-- the next item <item><title>2</title></item>'],
    ['inside a processing instruction', '<?xml-stylesheet href="a.xsl'],
    ['right after </item>', ''],
    ['inside </channel>', '</chan'],
  ])('%s', (_, tail) => {
    expect(repairXml(`${HEAD}${ITEM_1}${tail}`)).toBe(CUT_BACK);
  });

  it('Atom entries, and prefixed item names', () => {
    expect(repairXml('<feed><title>F</title><entry><id>1</id></entry><entry><id>2')).toBe(
      '<feed><title>F</title><entry><id>1</id></entry></feed>',
    );
    expect(repairXml('<a:feed><a:entry><a:id>1</a:id></a:entry><a:entry><a:id>')).toBe(
      '<a:feed><a:entry><a:id>1</a:id></a:entry></a:feed>',
    );
    expect(repairXml('<rdf:RDF><channel><title>C</title></channel><item><title>1</title></item><item>')).toBe(
      '<rdf:RDF><channel><title>C</title></channel><item><title>1</title></item></rdf:RDF>',
    );
  });

  it('with no complete item, keeps what there is and closes it', () => {
    expect(repairXml('<rss><channel><title>被截断')).toBe('<rss><channel><title>被截断</title></channel></rss>');
  });

  it('truncated.xml: two complete items, then the channel and rss closed', () => {
    const repaired = repairXml(fixture('truncated.xml'));
    expect(repaired.match(/<\/item>/g)).toHaveLength(2);
    expect(repaired).not.toContain('第三条');
    expect(repaired).toMatch(/节前最后一个工作日[^<]*<\/description>\n<\/item><\/channel><\/rss>$/);
  });

  it('truncated-atom.xml: one complete entry, then the feed closed', () => {
    const repaired = repairXml(fixture('truncated-atom.xml'));
    expect(repaired.match(/<\/entry>/g)).toHaveLength(1);
    expect(repaired).toMatch(/<\/content>\n {2}<\/entry><\/feed>$/);
  });
});

describe('repairXml: characters that should have been escaped', () => {
  const wrap = (title: string) => `${HEAD}<item><title>${title}</title></item></channel></rss>`;

  it('bare & in text', () => {
    expect(repairXml(wrap('AT&T 合作 & 资费 R&D'))).toBe(wrap('AT&amp;T 合作 &amp; 资费 R&amp;D'));
    expect(repairXml('<link>https://x.example/news?id=1&lang=zh</link>')).toBe('<link>https://x.example/news?id=1&amp;lang=zh</link>');
    expect(repairXml(wrap('trailing &'))).toBe(wrap('trailing &amp;'));
  });

  it('bare & and < in attribute values', () => {
    expect(repairXml('<item><enclosure url="https://x.example/?a=1&b=2" title="a < b"/></item>')).toBe(
      '<item><enclosure url="https://x.example/?a=1&amp;b=2" title="a &lt; b"/></item>',
    );
  });

  it('a < b, x <3, and a "<" before a letter that starts no tag', () => {
    expect(repairXml(wrap('a < b'))).toBe(wrap('a &lt; b'));
    expect(repairXml(wrap('x <3'))).toBe(wrap('x &lt;3'));
    // Not a truncation: there is more document after it, and it must survive.
    const repaired = repairXml(`${HEAD}<item><title>if x <y then</title></item>${ITEM_1}</channel></rss>`);
    expect(repaired).toBe(`${HEAD}<item><title>if x &lt;y then</title></item>${ITEM_1}</channel></rss>`);
  });

  it('entities are left as they are', () => {
    const title = 'a &amp; b &lt; c &#x4e2d; &#20013; &nbsp; &quot; &copy;';
    expect(repairXml(wrap(title))).toBe(wrap(title));
    expect(repairXml('<item><link href="https://x.example/?a=1&amp;b=2"/></item>')).toBe(
      '<item><link href="https://x.example/?a=1&amp;b=2"/></item>',
    );
  });

  it('CDATA, comments, processing instructions and the doctype are left as they are', () => {
    const doc =
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "a & b">]><?xml-stylesheet href="s.xsl?a&b"?><!-- a & b < c -->' +
      '<rss><channel><description><![CDATA[a & b < c <p>不变</p> &amp;]]></description></channel></rss>';
    expect(repairXml(doc)).toBe(doc);
  });

  it('a well-formed document comes back unchanged', () => {
    const doc = fixture('rss2-basic.xml');
    expect(repairXml(doc)).toBe(doc);
  });

  it('bare-ampersand.xml: afterwards every & starts an entity and every < starts markup', () => {
    const repaired = repairXml(fixture('bare-ampersand.xml'));
    expect(repaired).not.toMatch(/&(?!(?:[A-Za-z][\w.-]*|#\d+|#x[0-9A-Fa-f]+);)/);
    expect(repaired).not.toMatch(/<(?![A-Za-z/?!])/);
    expect(repaired).toContain('<title>AT&amp;T 与本地运营商达成漫游合作 &amp; 资费下调</title>');
    expect(repaired).toContain('<title>研究称 a &lt; b 时新排序算法快 30%</title>');
  });
});

describe('repairXml: unbalanced markup inside a complete document', () => {
  it('an end tag that closes nothing becomes text', () => {
    expect(repairXml('<rss><description>a </b> b</description></rss>')).toBe('<rss><description>a &lt;/b> b</description></rss>');
  });

  it('elements left open inside a closing element are closed there', () => {
    expect(repairXml('<rss><item><description>a <br> b</description></item></rss>')).toBe(
      '<rss><item><description>a <br> b</br></description></item></rss>',
    );
  });
});

describe('repairXml: hostile nesting', () => {
  it('drops tags nested deeper than the parser accepts, keeping their text and every item', () => {
    const depth = 100_000;
    const text = `<rss><channel>${'<x>'.repeat(depth)}deep${'</x>'.repeat(depth)}<item><title>kept</title></item></channel></rss>`;
    const repaired = repairXml(text);
    expect(repaired.split('<x>').length - 1).toBe(62); // 64 levels, rss and channel included
    expect(repaired).toContain('deep');
    expect(repaired).toMatch(/<\/x><item><title>kept<\/title><\/item><\/channel><\/rss>$/);
  });

  it('stays linear on stray end tags under a deep stack', () => {
    const text = `<rss>${'<a>'.repeat(50_000)}${'</b>'.repeat(50_000)}</rss>`;
    expect(repairXml(text)).toContain('&lt;/b>');
  });
});
