import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../config/load.js';
import { feedLocations, signRedirect } from './locate.js';

const source = (kind: SourceConfig['kind'], location: string) => ({ kind, location }) as SourceConfig;

describe('feedLocations', () => {
  it('gives a URL or file source as it is', () => {
    expect(
      feedLocations(source('url', 'https://a.example/feed'), { instances: ['https://rsshub.app'], accessKey: '', language: 'zh' }),
    ).toEqual([{ url: 'https://a.example/feed', instance: null }]);
    expect(feedLocations(source('file', '/tmp/x.xml'), { instances: ['https://rsshub.app'], accessKey: '', language: 'zh' })).toEqual([
      { url: '/tmp/x.xml', instance: null },
    ]);
  });

  it('resolves an RSSHub route against every instance in order, keeping the query', () => {
    const rsshub = { instances: ['https://one.example/', 'https://two.example/base'], accessKey: '', language: 'zh' as const };
    expect(feedLocations(source('rsshub', '/aljazeera/chinese/news?limit=20&filter=a|b c'), rsshub).map((l) => l.url)).toEqual([
      'https://one.example/aljazeera/chinese/news?limit=20&filter=a|b c',
      'https://two.example/base/aljazeera/chinese/news?limit=20&filter=a|b c',
    ]);
  });

  it('adds the access code md5(route path + key), computed without the query', () => {
    const rsshub = { instances: ['https://one.example'], accessKey: 'secret', language: 'zh' as const };
    const code = createHash('md5')
      .update('/aljazeera/chinese/news' + 'secret')
      .digest('hex');
    expect(feedLocations(source('rsshub', '/aljazeera/chinese/news?limit=20'), rsshub)).toEqual([
      { url: `https://one.example/aljazeera/chinese/news?limit=20&code=${code}`, instance: 'https://one.example' },
    ]);
    expect(feedLocations(source('rsshub', '/aljazeera/chinese/news'), rsshub)[0]!.url).toBe(
      `https://one.example/aljazeera/chinese/news?code=${code}`,
    );
  });
});

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('access codes', () => {
  const rsshub = { instances: ['https://one.example'], accessKey: 'secret', language: 'zh' as const };

  it('hash the path as the request sends it, percent-encoded: a route written in Chinese is signed as RSSHub checks it', () => {
    const encoded = '/test/1/%E4%B8%AD%E6%96%87';
    const url = feedLocations(source('rsshub', '/test/1/中文?limit=2'), rsshub)[0]!.url;
    expect(url).toBe(`https://one.example/test/1/中文?limit=2&code=${md5(encoded + 'secret')}`);
    // A route written already encoded is signed the same.
    expect(feedLocations(source('rsshub', encoded), rsshub)[0]!.url).toBe(`https://one.example${encoded}?code=${md5(encoded + 'secret')}`);
  });

  it('re-sign a redirect within the instance (below its base path) for the new path, and leave any other alone', () => {
    const sign = signRedirect('https://one.example/hub/', 'secret')!;
    expect(sign('https://one.example/hub/test/1?limit=1&code=stale')).toBe(
      `https://one.example/hub/test/1?limit=1&code=${md5('/test/1secret')}`,
    );
    expect(sign('https://one.example/hub/test/%E4%B8%AD')).toBe(
      `https://one.example/hub/test/%E4%B8%AD?code=${md5('/test/%E4%B8%ADsecret')}`,
    );
    expect(sign('https://one.example/elsewhere/x?code=stale')).toBe('https://one.example/elsewhere/x?code=stale');
    expect(sign('https://other.example/hub/test/1')).toBe('https://other.example/hub/test/1');
    expect(signRedirect('https://one.example', '')).toBeUndefined();
  });
});
