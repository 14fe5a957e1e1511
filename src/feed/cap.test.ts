import { describe, expect, it } from 'vitest';
import { itemSpans, keepNewest, spanDate, type Ranked } from './cap.js';

const entry = (order: number, date: number | null): Ranked<string> => ({ value: `#${order}`, date, order });

describe('keepNewest', () => {
  it('keeps the newest, in document order, whichever way the feed is sorted', () => {
    const oldestFirst = [entry(0, 100), entry(1, 200), entry(2, 300), entry(3, 400)];
    expect(keepNewest(oldestFirst, 2).map((e) => e.value)).toEqual(['#2', '#3']);
    const newestFirst = [entry(0, 400), entry(1, 300), entry(2, 200), entry(3, 100)];
    expect(keepNewest(newestFirst, 2).map((e) => e.value)).toEqual(['#0', '#1']);
  });

  it('ranks undated items as newest (sync dates them when first seen), and equal dates by document order', () => {
    expect(keepNewest([entry(0, 100), entry(1, null), entry(2, 300)], 2).map((e) => e.value)).toEqual(['#1', '#2']);
    expect(keepNewest([entry(0, null), entry(1, null), entry(2, null)], 2).map((e) => e.value)).toEqual(['#0', '#1']);
    expect(keepNewest([entry(0, 5), entry(1, 5), entry(2, 5)], 1).map((e) => e.value)).toEqual(['#0']);
  });

  it('returns everything, in document order, when under the cap', () => {
    expect(keepNewest([entry(2, 1), entry(0, 3), entry(1, 2)], 5).map((e) => e.value)).toEqual(['#0', '#1', '#2']);
  });
});

describe('itemSpans', () => {
  const spans = (text: string, name: 'item' | 'entry' = 'item') => itemSpans(text, name).map(({ start, end }) => text.slice(start, end));

  it('finds top-level items, self-closing and prefixed ones too', () => {
    const text =
      '<rss><channel><title>t</title><item><title>a</title></item>\n<item/><ITEM a="1">b</ITEM><rss:item>c</rss:item></channel></rss>';
    expect(spans(text)).toEqual(['<item><title>a</title></item>', '<item/>', '<ITEM a="1">b</ITEM>', '<rss:item>c</rss:item>']);
  });

  it('skips comments and CDATA, does not take <items> for an item, and keeps nested items in their parent', () => {
    const text = '<rdf><items><seq/></items><!-- <item>x</item> --><item><d><![CDATA[</item><item>]]></d><item>inner</item></item></rdf>';
    expect(spans(text)).toEqual(['<item><d><![CDATA[</item><item>]]></d><item>inner</item></item>']);
  });

  it('leaves an item cut off by truncation out', () => {
    expect(spans('<feed><entry>a</entry><entry>b', 'entry')).toEqual(['<entry>a</entry>']);
  });
});

describe('spanDate', () => {
  const date = (item: string, kind: 'item' | 'entry' = 'item', language = '') => {
    const value = spanDate(item, { start: 0, end: item.length }, kind, { language });
    return value === null ? null : new Date(value).toISOString();
  };

  it('reads published, else updated, as the normalizers do', () => {
    expect(date('<item><pubDate>Sat, 08 Jan 2022 19:58:24 +0800</pubDate></item>')).toBe('2022-01-08T11:58:24.000Z');
    expect(date('<item><dc:date>2022-01-08T12:00:00Z</dc:date><dcterms:modified>2023-01-01T00:00:00Z</dcterms:modified></item>')).toBe(
      '2022-01-08T12:00:00.000Z',
    );
    expect(date('<item><dcterms:modified>2023-01-01T00:00:00Z</dcterms:modified></item>')).toBe('2023-01-01T00:00:00.000Z');
    expect(date('<entry><updated>2024-02-02T00:00:00Z</updated><published>2024-01-01T00:00:00Z</published></entry>', 'entry')).toBe(
      '2024-01-01T00:00:00.000Z',
    );
    expect(date('<entry><modified>2024-03-03T00:00:00Z</modified></entry>', 'entry')).toBe('2024-03-03T00:00:00.000Z');
  });

  it('unwraps CDATA, decodes entities, and reads zone-less dates in the feed language', () => {
    expect(date('<item><pubDate><![CDATA[ 2022-01-08 19:58:24 ]]></pubDate></item>', 'item', 'zh-cn')).toBe('2022-01-08T11:58:24.000Z');
    expect(date('<item><pubDate>Sat,&#32;08 Jan 2022 19:58:24 GMT</pubDate></item>')).toBe('2022-01-08T19:58:24.000Z');
  });

  it('is null for an item without a readable date', () => {
    expect(date('<item><title>x</title></item>')).toBeNull();
    expect(date('<item><pubDate>昨天</pubDate></item>')).toBeNull();
  });
});
