import { describe, expect, it } from 'vitest';
import { safeLinkUrl, safeMediaUrl, safeSrcset } from './urls.js';

// These functions see attribute values after the HTML parser decoded them, so entity tricks are covered in
// clean.test.ts; here the values are the raw strings a browser's URL parser would get.
const BASE = 'https://example.com/dir/page.html';

describe('safeLinkUrl', () => {
  it.each([
    ['relative', 'a/b', 'https://example.com/dir/a/b'],
    ['root-relative', '/a', 'https://example.com/a'],
    ['protocol-relative', '//cdn.example.net/a', 'https://cdn.example.net/a'],
    ['parent', '../x', 'https://example.com/x'],
    ['absolute http', 'http://other.example/', 'http://other.example/'],
    ['mailto', 'mailto:someone@example.com', 'mailto:someone@example.com'],
    ['tel', 'tel:+1-555-0100', 'tel:+1-555-0100'],
    ['anchor', '#part-2', '#part-2'],
    ['anchor with spaces', '  #part-2 ', '#part-2'],
  ])('keeps a %s link', (_name, value, expected) => {
    expect(safeLinkUrl(value, BASE)).toBe(expected);
  });

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' \t javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java\rscript:alert(1)',
    '\u0000javascript:alert(1)',
    '\u0001\u001fjavascript:alert(1)',
    'javascript\t:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'data:image/png;base64,AAAA',
    'file:///etc/passwd',
    'ftp://example.com/',
    'blob:https://example.com/uuid',
    'http://[::1', // unparsable
  ])('drops %j', (value) => {
    expect(safeLinkUrl(value, BASE)).toBe('');
  });

  it('drops relative links when there is no base, and never inherits a base with a bad scheme', () => {
    expect(safeLinkUrl('/a', '')).toBe('');
    expect(safeLinkUrl('https://ok.example/', '')).toBe('https://ok.example/');
    expect(safeLinkUrl('?x=1', 'javascript:alert(1)')).toBe('');
    expect(safeLinkUrl('x', 'not a url')).toBe('');
  });
});

describe('safeMediaUrl', () => {
  it('makes media URLs absolute and keeps only http(s)', () => {
    expect(safeMediaUrl(' img/a.jpg ', BASE)).toBe('https://example.com/dir/img/a.jpg');
    expect(safeMediaUrl('mailto:a@example.com', BASE)).toBe('');
    expect(safeMediaUrl('javascript:alert(1)', BASE)).toBe('');
    expect(safeMediaUrl('', BASE)).toBe('');
  });

  it('allows raster base64 data: images only when asked (in <img>)', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(safeMediaUrl(png, BASE, { allowDataImage: true })).toBe(png);
    expect(safeMediaUrl('DATA:IMAGE/JPEG;base64,/9j/4AAQ', BASE, { allowDataImage: true })).toBe('DATA:IMAGE/JPEG;base64,/9j/4AAQ');
    expect(safeMediaUrl(png, BASE)).toBe('');
  });

  it.each([
    'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
    'data:image/svg+xml,<svg onload=alert(1)>',
    'data:text/html;base64,PHNjcmlwdD4=',
    'data:image/png,rawbytes',
    'data:image/png;base64,AAAA"><script>',
    ' data:text/html,x',
  ])('never allows %j', (value) => {
    expect(safeMediaUrl(value, BASE, { allowDataImage: true })).toBe('');
  });
});

describe('safeSrcset', () => {
  it('makes each candidate absolute and keeps descriptors', () => {
    expect(safeSrcset('a.jpg 1x, /b.jpg 2x', BASE)).toBe('https://example.com/dir/a.jpg 1x, https://example.com/b.jpg 2x');
    expect(safeSrcset('  a.jpg   300w ,b.jpg 600w  ', BASE)).toBe('https://example.com/dir/a.jpg 300w, https://example.com/dir/b.jpg 600w');
    expect(safeSrcset('a.jpg', BASE)).toBe('https://example.com/dir/a.jpg');
  });

  it('keeps commas that belong to a URL', () => {
    expect(
      safeSrcset('https://res.cloudinary.com/x/w_300,h_200/a.jpg 300w,https://res.cloudinary.com/x/w_600,h_400/a.jpg 600w', BASE),
    ).toBe('https://res.cloudinary.com/x/w_300,h_200/a.jpg 300w, https://res.cloudinary.com/x/w_600,h_400/a.jpg 600w');
    expect(safeSrcset('https://img.example/a.jpg?resize=770%2C433 770w', BASE)).toBe('https://img.example/a.jpg?resize=770%2C433 770w');
  });

  it('ends a candidate at trailing commas', () => {
    expect(safeSrcset('a.jpg,b.jpg 2x', BASE)).toBe('https://example.com/dir/a.jpg,b.jpg 2x');
    expect(safeSrcset('a.jpg,, b.jpg 2x', BASE)).toBe('https://example.com/dir/a.jpg, https://example.com/dir/b.jpg 2x');
    expect(safeSrcset(',,, a.jpg 1x,,,', BASE)).toBe('https://example.com/dir/a.jpg 1x');
  });

  it('does not split inside parentheses in descriptors', () => {
    expect(safeSrcset('a.jpg (x, y) 1x, b.jpg 2x', BASE)).toBe('https://example.com/dir/a.jpg (x, y) 1x, https://example.com/dir/b.jpg 2x');
  });

  it('drops unsafe candidates whole, including data: URLs (whose commas must not split them)', () => {
    expect(safeSrcset('javascript:alert(1) 1x, b.jpg 2x', BASE)).toBe('https://example.com/dir/b.jpg 2x');
    expect(safeSrcset('data:text/html,x 1x, b.jpg 2x', BASE)).toBe('https://example.com/dir/b.jpg 2x');
    expect(safeSrcset('data:image/png;base64,AAAA 1x', BASE)).toBe('');
    expect(safeSrcset('', BASE)).toBe('');
    expect(safeSrcset(' , ', BASE)).toBe('');
  });
});
