import { describe, expect, it } from 'vitest';
import { isTrackingPixel, realImageSource } from './images.js';

const attrs = (record: Record<string, string>) => new Map(Object.entries(record));
const GIF = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

describe('realImageSource', () => {
  it('keeps a real src even when a lazy attribute is present', () => {
    expect(realImageSource(attrs({ src: 'https://a.example/real.jpg', 'data-src': 'https://a.example/other.jpg' })).src).toBe(
      'https://a.example/real.jpg',
    );
  });

  it.each(['data-src', 'data-original', 'data-lazy-src', 'data-actualsrc', 'data-original-src', 'data-lazyload', 'data-echo'])(
    'promotes %s over a placeholder or a missing src',
    (name) => {
      expect(realImageSource(attrs({ src: GIF, [name]: '/r.jpg' })).src).toBe('/r.jpg');
      expect(realImageSource(attrs({ [name]: '/r.jpg' })).src).toBe('/r.jpg');
      expect(realImageSource(attrs({ src: '  ', [name]: '/r.jpg' })).src).toBe('/r.jpg');
    },
  );

  it.each([
    '/img/blank.gif',
    'spacer.gif',
    '/assets/placeholder.png',
    'https://cdn.example/lazy.svg',
    '/i/loading.gif',
    'transparent.png',
    '/grey.gif',
    'pixel.gif',
  ])('treats %s as a placeholder', (placeholder) => {
    expect(realImageSource(attrs({ src: placeholder, 'data-src': '/r.jpg' })).src).toBe('/r.jpg');
  });

  it('prefers data-src over data-original, and skips empty lazy attributes', () => {
    expect(realImageSource(attrs({ 'data-original': '/o.jpg', 'data-src': '/s.jpg' })).src).toBe('/s.jpg');
    expect(realImageSource(attrs({ 'data-src': ' ', 'data-original': '/o.jpg' })).src).toBe('/o.jpg');
  });

  it('returns an empty src when there is nothing usable', () => {
    expect(realImageSource(attrs({})).src).toBe('');
    expect(realImageSource(attrs({ alt: 'x' })).src).toBe('');
  });

  it('promotes a lazy srcset with a lazy src, or when there is no srcset', () => {
    expect(realImageSource(attrs({ src: GIF, 'data-src': '/r.jpg', 'data-srcset': '/r2.jpg 2x', srcset: `${GIF} 1x` })).srcset).toBe(
      '/r2.jpg 2x',
    );
    expect(realImageSource(attrs({ src: '/real.jpg', 'data-srcset': '/r2.jpg 2x' })).srcset).toBe('/r2.jpg 2x');
    expect(realImageSource(attrs({ src: '/real.jpg', srcset: '/s2.jpg 2x', 'data-srcset': '/r2.jpg 2x' })).srcset).toBe('/s2.jpg 2x');
  });
});

describe('isTrackingPixel', () => {
  const src = 'https://example.com/images/photo.jpg';

  it.each<Record<string, string>>([
    { width: '1', height: '1' },
    { width: '1px', height: '1px' },
    { width: ' 1 ', height: ' 1 ' },
    { width: '0', height: '0' },
    { width: '1' },
    { height: '1PX' },
    { style: 'width:1px;height:1px' },
    { style: 'border:0; WIDTH: 1px !important; height: 1px' },
    { style: 'height:0px' },
  ])('is a pixel when sized %o', (sizes) => {
    expect(isTrackingPixel(src, attrs(sizes))).toBe(true);
  });

  it.each<Record<string, string>>([
    {},
    { width: '640', height: '480' },
    { width: '100%' },
    { width: '1.5', height: '2' },
    { style: 'max-width:1px;min-height:1px' },
    { style: 'width:100px' },
  ])('is not a pixel when sized %o', (sizes) => {
    expect(isTrackingPixel(src, attrs(sizes))).toBe(false);
  });

  it.each([
    'https://feeds.feedburner.com/~r/Example/~4/AbCdEf',
    'https://feedproxy.google.com/~r/Example/~4/AbCdEf',
    'https://other.example/~r/Example/~4/AbCdEf',
    'https://other.example/~ff/Example?d=yIl2AUoC8zA',
    'https://stats.wordpress.com/b.gif?host=x',
    'https://pixel.wp.com/g.gif?v=1',
    'https://www.google-analytics.com/collect?v=1',
    'https://hm.baidu.com/hm.gif?si=1',
    'https://c.cnzz.com/core.php',
    'https://mail.example/open.gif?id=1',
    'https://mail.example/track.php',
    'https://mail.example/beacon.png',
  ])('is a pixel from %s', (url) => {
    expect(isTrackingPixel(url, attrs({}))).toBe(true);
  });

  it.each([
    'https://example.com/images/photo.jpg',
    'https://notstats.wordpress.com.example/b.jpg',
    'https://wordpress.com/photo.jpg',
    'https://example.com/opening.gif',
    'https://example.com/pixel-art.png',
  ])('is not a pixel from %s', (url) => {
    expect(isTrackingPixel(url, attrs({}))).toBe(false);
  });

  it('does not throw on a src that is not a URL', () => {
    expect(isTrackingPixel('not a url', attrs({}))).toBe(false);
  });
});
