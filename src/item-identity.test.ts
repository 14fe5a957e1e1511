import { describe, expect, it } from 'vitest';
import { itemId, linkKey } from './item-identity.js';

describe('linkKey', () => {
  it.each([
    ['scheme and host case', 'HTTPS://News.Example.COM/a/b', 'https://news.example.com/a/b'],
    ['http and https alike', 'http://news.example.com/a', 'https://news.example.com/a'],
    ['default port', 'https://news.example.com:443/a', 'https://news.example.com/a'],
    ['fragment', 'https://news.example.com/a#comments', 'https://news.example.com/a'],
    ['trailing slashes', 'https://news.example.com/a/b//', 'https://news.example.com/a/b'],
    ['utm_* parameters', 'https://news.example.com/a?utm_source=rss&utm_medium=feed&UTM_Campaign=x', 'https://news.example.com/a'],
    ['click ids', 'https://news.example.com/a?fbclid=abc&gclid=def&msclkid=1', 'https://news.example.com/a'],
    ['spm and scm', 'https://item.example.cn/p.htm?id=42&spm=a21bo.2017.201876&scm=1007.1', 'https://item.example.cn/p.htm?id=42'],
    [
      'WeChat share parameters',
      'https://mp.weixin.qq.com/s?__biz=MzA&mid=2650&idx=1&sn=ab12&chksm=84&scene=21&from=timeline&isappinstalled=0',
      'https://mp.weixin.qq.com/s?__biz=MzA&idx=1&mid=2650&sn=ab12',
    ],
    [
      'Bilibili share parameters',
      'https://www.bilibili.com/video/BV1xx/?share_source=copy_web&vd_source=9f',
      'https://www.bilibili.com/video/BV1xx',
    ],
    ['parameter order', 'https://news.example.com/a?b=2&a=1', 'https://news.example.com/a?a=1&b=2'],
  ])('ignores %s', (_, link, key) => {
    expect(linkKey(link)).toBe(key);
  });

  it('keeps the parameters that name the article', () => {
    expect(linkKey('https://news.example.com/view.php?id=7&page=2')).toBe('https://news.example.com/view.php?id=7&page=2');
    expect(linkKey('https://news.example.com/view.php?id=7')).not.toBe(linkKey('https://news.example.com/view.php?id=8'));
    expect(linkKey('https://news.example.com/view.php?fromage=1')).toBe('https://news.example.com/view.php?fromage=1');
  });

  it('is idempotent, so stored keys can be normalized again', () => {
    const key = linkKey('http://News.example.com/a/?utm_source=x&b=2&a=1#top');
    expect(linkKey(key)).toBe(key);
  });

  it('is "" for no link or a link that is not a URL', () => {
    expect(linkKey('')).toBe('');
    expect(linkKey('not a url')).toBe('');
  });
});

describe('itemId', () => {
  const item = { guid: '', link: '', title: 't', published: null, updated: null };
  it('prefers guid, then link, then title and date, and depends on the source', () => {
    expect(itemId('s', { ...item, guid: 'g', link: 'l' })).toBe(itemId('s', { ...item, guid: 'g', link: 'other' }));
    expect(itemId('s', { ...item, link: 'l' })).not.toBe(itemId('s', { ...item, link: 'm' }));
    expect(itemId('s', item)).not.toBe(itemId('s', { ...item, title: 'u' }));
    expect(itemId('s', item)).not.toBe(itemId('t', item));
    expect(itemId('s', item)).toMatch(/^[0-9a-f]{16}$/);
  });
});
