import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeNonFeed, sniffFeed, type Sniffed } from './detect.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

describe('sniffFeed: feeds', () => {
  it.each<[string, string, Sniffed]>([
    ['RSS 2.0', '<rss version="2.0"><channel/></rss>', { kind: 'feed', format: 'rss2', root: 'rss', prefix: '' }],
    ['RSS without a version', '<rss><channel/></rss>', { kind: 'feed', format: 'rss2', root: 'rss', prefix: '' }],
    ['RSS 0.91', "<rss version='0.91'>", { kind: 'feed', format: 'rss09', root: 'rss', prefix: '' }],
    ['RSS 0.92', '<rss\n  version = "0.92">', { kind: 'feed', format: 'rss09', root: 'rss', prefix: '' }],
    ['RSS 0.94', '<rss version="0.94">', { kind: 'feed', format: 'rss09', root: 'rss', prefix: '' }],
    [
      'RSS 0.90 (RDF, Netscape namespace)',
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">',
      { kind: 'feed', format: 'rss09', root: 'rdf', prefix: 'rdf' },
    ],
    [
      'RSS 1.0 (RDF, purl.org namespace)',
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">',
      { kind: 'feed', format: 'rss1', root: 'rdf', prefix: 'rdf' },
    ],
    ['Atom 1.0', '<feed xmlns="http://www.w3.org/2005/Atom">', { kind: 'feed', format: 'atom1', root: 'feed', prefix: '' }],
    [
      'Atom 1.0, prefixed root',
      '<atom:feed xmlns:atom="http://www.w3.org/2005/Atom">',
      { kind: 'feed', format: 'atom1', root: 'feed', prefix: 'atom' },
    ],
    [
      'RSS 2.0, every element prefixed',
      '<rss:rss xmlns:rss="http://backend.userland.com/rss2" version="2.0">',
      { kind: 'feed', format: 'rss2', root: 'rss', prefix: 'rss' },
    ],
    [
      'Atom 0.3 by version',
      '<feed version="0.3" xmlns="http://purl.org/atom/ns#">',
      { kind: 'feed', format: 'atom03', root: 'feed', prefix: '' },
    ],
    ['Atom 0.3 by namespace only', '<feed xmlns="http://purl.org/atom/ns#">', { kind: 'feed', format: 'atom03', root: 'feed', prefix: '' }],
  ])('%s', (_, document, expected) => {
    expect(sniffFeed(document)).toEqual(expected);
    expect(sniffFeed(DECL + document)).toEqual(expected);
  });

  it('skips the prolog: declaration, processing instructions, comments, a doctype with an internal subset, a BOM', () => {
    const prolog =
      '\ufeff  \n<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="rss.xsl"?>\n<!-- generated <rss> -->\n' +
      '<!DOCTYPE rss [\n  <!ENTITY nbsp "&#160;">\n]>\n';
    expect(sniffFeed(`${prolog}<rss version="0.91">`)).toEqual({ kind: 'feed', format: 'rss09', root: 'rss', prefix: '' });
  });

  it('the Netscape DOCTYPE of rss091.xml', () => {
    const text = readFileSync(new URL('./testdata/rss091.xml', import.meta.url), 'utf8');
    expect(sniffFeed(text)).toEqual({ kind: 'feed', format: 'rss09', root: 'rss', prefix: '' });
  });
});

describe('sniffFeed: everything else', () => {
  it.each<[string, string, Sniffed]>([
    ['an empty document', '', { kind: 'empty' }],
    ['whitespace only', ' \n\t ', { kind: 'empty' }],
    ['a BOM only', '\ufeff', { kind: 'empty' }],
    ['a JSON object', '  \n{"version": "https://jsonfeed.org/version/1.1"}', { kind: 'json' }],
    ['a JSON array', '[1, 2]', { kind: 'json' }],
    ['an HTML5 page', '<!DOCTYPE html>\n<html lang="zh"><head>', { kind: 'html' }],
    ['an XHTML page', `${DECL}<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd"><html>`, { kind: 'html' }],
    ['HTML without a doctype', '<!-- cached --><HTML><body>', { kind: 'html' }],
    ['a sitemap', `${DECL}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`, { kind: 'other-xml', root: 'urlset' }],
    ['an OPML file', '<opml version="2.0"><body/></opml>', { kind: 'other-xml', root: 'opml' }],
    ['a prefixed other root', '<soap:Envelope xmlns:soap="x">', { kind: 'other-xml', root: 'soap:Envelope' }],
    ['plain text', 'Service Unavailable', { kind: 'unknown' }],
    ['binary', '\ufffd\u0000\ufffd\ufffd!.\u0000', { kind: 'unknown' }],
  ])('%s', (_, document, expected) => {
    expect(sniffFeed(document)).toEqual(expected);
  });
});

describe('describeNonFeed', () => {
  it.each<[Sniffed, RegExp]>([
    [{ kind: 'html' }, /HTML page/],
    [{ kind: 'other-xml', root: 'urlset' }, /XML document with root <urlset>/],
    [{ kind: 'json' }, /JSON but not a JSON Feed/],
    [{ kind: 'empty' }, /empty/],
    [{ kind: 'unknown' }, /neither XML nor JSON/],
  ])('%j', (sniffed, message) => {
    expect(describeNonFeed(sniffed)).toMatch(message);
  });
});
