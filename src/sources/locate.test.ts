import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../config/load.js';
import { feedLocations } from './locate.js';

const source = (kind: SourceConfig['kind'], location: string) => ({ kind, location }) as SourceConfig;

describe('feedLocations', () => {
  it('gives a URL or file source as it is', () => {
    expect(feedLocations(source('url', 'https://a.example/feed'), { instances: ['https://rsshub.app'], accessKey: '', language: 'zh' })).toEqual([{ url: 'https://a.example/feed', instance: null }]);
    expect(feedLocations(source('file', '/tmp/x.xml'), { instances: ['https://rsshub.app'], accessKey: '', language: 'zh' })).toEqual([{ url: '/tmp/x.xml', instance: null }]);
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
    const code = createHash('md5').update('/aljazeera/chinese/news' + 'secret').digest('hex');
    expect(feedLocations(source('rsshub', '/aljazeera/chinese/news?limit=20'), rsshub)).toEqual([
      { url: `https://one.example/aljazeera/chinese/news?limit=20&code=${code}`, instance: 'https://one.example' },
    ]);
    expect(feedLocations(source('rsshub', '/aljazeera/chinese/news'), rsshub)[0]!.url).toBe(`https://one.example/aljazeera/chinese/news?code=${code}`);
  });
});
