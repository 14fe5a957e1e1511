import { describe, expect, it } from 'vitest';
import { OPENCC_CONVERSIONS } from '../config/schema.js';
import type { FeedItem } from '../item.js';
import { chineseConverter, convertItemText } from './convert.js';

describe('chineseConverter', () => {
  it('knows every conversion the configuration accepts', () => {
    for (const name of OPENCC_CONVERSIONS) expect(chineseConverter(name)!('漢字')).toBeTypeOf('string');
  });

  it.each([
    ['t2s', '漢字與電腦網絡', '汉字与电脑网络'],
    ['s2t', '汉字与电脑网络', '漢字與電腦網絡'],
    ['s2tw', '网络软件', '網絡軟件'],
    ['s2twp', '网络软件', '網路軟體'],
    ['tw2sp', '網路軟體', '网络软件'],
    ['hk2s', '資訊', '资讯'],
  ])('%s: %s → %s', (conversion, input, output) => {
    expect(chineseConverter(conversion)!(input)).toBe(output);
  });

  it('leaves text without Chinese alone, and "" means no conversion', () => {
    expect(chineseConverter('t2s')!('plain ASCII & <tags>')).toBe('plain ASCII & <tags>');
    expect(chineseConverter('')).toBeNull();
  });
});

describe('convertItemText', () => {
  const item: FeedItem = {
    guid: 'tw-tech-20261119-01',
    title: '臺灣晶圓代工廠宣佈擴建先進封裝產線',
    link: 'https://tw-tech.example.tw/news/2026/11/%E5%B0%81%E8%A3%9D.html',
    published: new Date('2026-11-19T02:00:00Z'),
    updated: null,
    author: '陳志明',
    categories: ['半導體', '軟體'],
    summary: '<p>摘要</p>',
    contentHtml: '<p title="臺灣">臺灣</p>',
    image: 'https://tw-tech.example.tw/img/封裝.jpg',
    enclosures: [],
    baseUrl: 'https://tw-tech.example.tw/',
  };

  it("converts the author with the title and the feed's categories, so search finds 陈志明 after tw2sp", () => {
    const converted = convertItemText(item, chineseConverter('tw2sp'));
    expect(converted.author).toBe('陈志明');
    expect(converted.title).toBe('台湾晶圆代工厂宣布扩建先进封装产线');
    expect(converted.categories).toEqual(['半导体', '软件']);
  });

  it('leaves links, ids, dates, images and the HTML (cleanHtml converts its text) as they were', () => {
    const converted = convertItemText(item, chineseConverter('tw2sp'));
    expect({ ...converted, title: item.title, author: item.author, categories: item.categories }).toEqual(item);
    expect(item.author).toBe('陳志明'); // a copy: the item itself is not changed
  });

  it('returns the item itself when there is no conversion', () => {
    expect(convertItemText(item, chineseConverter(''))).toBe(item);
    expect(convertItemText({ ...item, author: '' }, chineseConverter('t2s')).author).toBe('');
  });
});
