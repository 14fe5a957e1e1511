import { describe, expect, it } from 'vitest';
import { discoverFeedLinks } from './discover.js';

describe('discoverFeedLinks', () => {
  it('finds RSS, Atom and JSON Feed links in the head, absolute, in page order, once each', () => {
    const html = `<!DOCTYPE html><html><head><title>x</title>
      <link rel="stylesheet" href="/s.css">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
      <link rel="alternate" type="application/atom+xml" href="https://other.example/atom.xml">
      <link rel="alternate nofollow" type="application/feed+json; charset=utf-8" href="feed.json">
      <link rel="alternate" type="application/rss+xml" href="/feed.xml">
      <link rel="alternate" hreflang="en" href="/en/">
      </head><body><link rel="alternate" type="application/rss+xml" href="/body.xml"></body></html>`;
    expect(discoverFeedLinks(html, 'https://site.example/news/page.html')).toEqual([
      'https://site.example/feed.xml',
      'https://other.example/atom.xml',
      'https://site.example/news/feed.json',
    ]);
  });

  it('finds nothing in a page without feed links, and ignores non-web links', () => {
    expect(
      discoverFeedLinks(
        '<html><head><link rel="alternate" type="application/rss+xml" href="javascript:alert(1)"></head></html>',
        'https://a.example/',
      ),
    ).toEqual([]);
    expect(discoverFeedLinks('<p>no head at all</p>', 'https://a.example/')).toEqual([]);
  });
});
