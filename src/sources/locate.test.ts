import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../config/load.js';
import { feedLocations } from './locate.js';

const source = (kind: SourceConfig['kind'], location: string) => ({ kind, location }) as SourceConfig;

describe('feedLocations', () => {
  it('gives a URL or file source as it is', () => {
    expect(feedLocations(source('url', 'https://a.example/feed'), { instances: ['https://rsshub.app'], accessKey: '', language: 'zh' })).toEqual(['https://a.example/feed']);
    expect(feedLocations(source('file', '/tmp/x.xml'), { instances: ['https://rsshub.app'], accessKey: '', language: 'zh' })).toEqual(['/tmp/x.xml']);
  });

  it('resolves an RSSHub route against every instance in order, keeping the query', () => {
    const rsshub = { instances: ['https://one.example/', 'https://two.example/base'], accessKey: '', language: 'zh' as const };
    expect(feedLocations(source('rsshub', '/aljazeera/chinese/news?limit=20'), rsshub)).toEqual([
      'https://one.example/aljazeera/chinese/news?limit=20',
      'https://two.example/base/aljazeera/chinese/news?limit=20',
    ]);
  });

  it('adds the access code md5(route path + key), computed without the query', () => {
    const rsshub = { instances: ['https://one.example'], accessKey: 'secret', language: 'zh' as const };
    const code = createHash('md5').update('/aljazeera/chinese/news' + 'secret').digest('hex');
    expect(feedLocations(source('rsshub', '/aljazeera/chinese/news?limit=20'), rsshub)).toEqual([
      `https://one.example/aljazeera/chinese/news?limit=20&code=${code}`,
    ]);
  });
});
