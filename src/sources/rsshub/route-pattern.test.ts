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
    // The bare namespace (`rsshub:/appleinsider`) against a root route and an all-optional one.
    ['/', '', {}],
    ['/', '/', {}],
    ['/:listId?', '', {}],
    ['/:category?/:type?', '/', {}],
    ['/:listId?', '/top', { listId: 'top' }],
    // Radar rules: a trailing slash, no leading slash.
    ['/:board/', '/g/', { board: 'g' }],
    ['/:board/', '/g', { board: 'g' }],
    ['/thread/:id/', '/thread/42/', { id: '42' }],
    [':user', '/alice', { user: 'alice' }],
    ['user/:id', '/user/7', { id: '7' }],
    // As RSSHub's router (Hono) reads a pattern that ends optional: the path may stop before any optional part.
    ['/zj/search/:websiteid?/:word/:cateid?', '/zj/search', {}],
    ['/zj/search/:websiteid?/:word/:cateid?', '/zj/search/site', { websiteid: 'site' }],
    ['/zj/search/:websiteid?/:word/:cateid?', '/zj/search/site/word/3', { websiteid: 'site', word: 'word', cateid: '3' }],
    // Parameters inside a segment, after punctuation; a colon after a letter is text.
    ['/@:user', '/@alice', { user: 'alice' }],
    ['/threads/:slug.:id/', '/threads/hello-world.123/', { slug: 'hello-world', id: '123' }],
    ['/news/:id.html', '/news/42.html', { id: '42' }],
    ['/wiki/Portal:Current_events', '/wiki/Portal:Current_events', {}],
    // Radar rules that name a page by its query; a page's other query parameters do not matter.
    ['/news/?classid=24', '/news/?classid=24&page=2', {}],
    ['/store/apps/details?id=:id', '/store/apps/details?hl=en&id=com.example.app', { id: 'com.example.app' }],
    ['/browse/text_search?q=:keyword', '/browse/text_search?q=%E8%8A%AF%E7%89%87', { keyword: '芯片' }],
    ['/news/:id?', '/news/7?utm_source=x', { id: '7' }],
    ['/arxiv/search?highlight=1&query=*', '/arxiv/search?query=llm&highlight=1', {}],
  ])('%s matches %s', (pattern, path, params) => {
    expect(matchRoute(pattern, path)?.params).toEqual(params);
  });

  it.each([
    ['/:language/:category?', '/a/b/c'],
    ['/hot-list/:category?', '/newsflashes'],
    ['/user/:id{\\d+}', '/user/abc'],
    ['/news/:category', '/news'],
    ['/:board/', ''],
    ['/', '/news'],
    // `?` makes nothing optional unless the pattern ends with an optional parameter.
    ['/:a?/b', '/b'],
    ['/wiki/Portal:Current_events', '/wiki/Portalx'],
    ['/news/?classid=24', '/news/?classid=25'],
    ['/store/apps/details?id=:id', '/store/apps/details'],
  ])('%s does not match %s', (pattern, path) => {
    expect(matchRoute(pattern, path)).toBeNull();
  });

  it('scores literal text so the more specific pattern wins', () => {
    expect(matchRoute('/hot-list/:category?', '/hot-list')!.score).toBeGreaterThan(
      matchRoute('/:category/:subCategory?', '/hot-list')!.score,
    );
  });
});

describe('fillRoute', () => {
  it('fills parameters and drops unfilled optional ones', () => {
    expect(fillRoute('/example/news/:category', { category: 'tech' })).toBe('/example/news/tech');
    expect(fillRoute('/example/news/:category?', {})).toBe('/example/news');
    expect(fillRoute('/example/news/:category', {})).toBeNull();
    expect(fillRoute('/dailypush/', {})).toBe('/dailypush');
    expect(fillRoute('/4chan/:board/', { board: 'g' })).toBe('/4chan/g');
  });
});
