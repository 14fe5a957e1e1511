import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { sameFeedKey, matchSources, onlySource } from './match.js';
import { INSTANCES, removeSites, site } from './testdata/site.js';

afterAll(removeSites);

describe('naming a source', () => {
  it('by name, URL in any spelling, route with or without rsshub:, file, key; case-insensitively last', async () => {
    const config = await site(`${INSTANCES}sources:
  - url: https://news.ycombinator.com/rss
    name: HN
  - rsshub: /zaobao/realtime/china
    categories: [新闻, 联合早报, 中国]
  - file: ./feeds/local.xml
`);
    const named = (wanted: string) => matchSources(config, wanted).map((source) => source.key);
    expect(named('HN')).toEqual(['url:https://news.ycombinator.com/rss']);
    expect(named('hn')).toEqual(['url:https://news.ycombinator.com/rss']);
    expect(named('http://news.ycombinator.com/rss/')).toEqual(['url:https://news.ycombinator.com/rss']);
    expect(named('联合早报')).toEqual(['rsshub:/zaobao/realtime/china']);
    expect(named('/zaobao/realtime/china')).toEqual(['rsshub:/zaobao/realtime/china']);
    expect(named('rsshub:/zaobao/realtime/china/')).toEqual(['rsshub:/zaobao/realtime/china']);
    expect(named('https://hub.example.net/rsshub/zaobao/realtime/china')).toEqual(['rsshub:/zaobao/realtime/china']);
    expect(named('./feeds/local.xml')).toEqual(['file:feeds/local.xml']);
    expect(named(join(config.dir, 'feeds/local.xml'))).toEqual(['file:feeds/local.xml']);
    expect(named('nothing')).toEqual([]);
    expect(() => onlySource(config, 'nothing')).toThrow(ConfigError);
    expect(sameFeedKey('url', 'https://rsshub.app/x/', config.rsshub)).toBe('rsshub:/x');
  });

  it('an ambiguous name is an error listing the candidates', async () => {
    const config = await site('sources:\n  - url: https://a.example/\n    name: Same\n  - url: https://b.example/\n    name: Same\n');
    const error = (() => {
      try {
        onlySource(config, 'Same');
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('names 2 sources');
    expect(error.message).toContain('Same — url:https://a.example/ (line 2)');
    expect(error.message).toContain('Same — url:https://b.example/ (line 4)');
  });
});
