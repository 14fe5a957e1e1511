import { describe, expect, it } from 'vitest';
import { fillRoute, matchRoute } from './route-pattern.js';

describe('matchRoute', () => {
  it.each([
    ['/:language/:category?', '/chinese/news', { language: 'chinese', category: 'news' }],
    ['/:language/:category?', '/chinese', { language: 'chinese' }],
    ['/hot-list/:category?', '/hot-list', {}],
    ['/news/:category{.+}?', '/news/tech/ai', { category: 'tech/ai' }],
    ['/news/:category{.+}?', '/news', {}],
    ['/user/:id{\\d+}', '/user/123', { id: '123' }],
    ['/search/:keyword', '/search/%E8%8A%AF%E7%89%87', { keyword: '芯片' }],
    ['/files/*', '/files/a/b/c', {}],
  ])('%s matches %s', (pattern, path, params) => {
    expect(matchRoute(pattern, path)?.params).toEqual(params);
  });

  it.each([
    ['/:language/:category?', '/a/b/c'],
    ['/hot-list/:category?', '/newsflashes'],
    ['/user/:id{\\d+}', '/user/abc'],
    ['/news/:category', '/news'],
  ])('%s does not match %s', (pattern, path) => {
    expect(matchRoute(pattern, path)).toBeNull();
  });

  it('scores literal text so the more specific pattern wins', () => {
    expect(matchRoute('/hot-list/:category?', '/hot-list')!.score).toBeGreaterThan(matchRoute('/:category/:subCategory?', '/hot-list')!.score);
  });
});

describe('fillRoute', () => {
  it('fills parameters and drops unfilled optional ones', () => {
    expect(fillRoute('/example/news/:category', { category: 'tech' })).toBe('/example/news/tech');
    expect(fillRoute('/example/news/:category?', {})).toBe('/example/news');
    expect(fillRoute('/example/news/:category', {})).toBeNull();
  });
});
