import { describe, expect, it } from 'vitest';
import { formatAdd, formatRemove, formatToggle } from './source-commands.js';

describe('what the source commands print', () => {
  it('add: the source added, after the page that linked it (a detail --quiet hides)', () => {
    const added = {
      kind: 'url' as const,
      location: 'https://e.example/feed.xml',
      categories: ['新闻', 'E'],
      name: 'E',
      foundOn: 'https://e.example/',
    };
    expect(formatAdd({ added, suggestions: [], exitCode: 0 }, 'https://e.example/', true)).toEqual({
      details: ['https://e.example/ links its feed: https://e.example/feed.xml'],
      result: ['Would add url:https://e.example/feed.xml (name: E) — categories: 新闻 › E'],
      warnings: [],
    });
  });

  it('add: no feed found — the routes RSSHub knows for the page, else what to do', () => {
    const suggested = formatAdd(
      {
        added: null,
        suggestions: [
          { route: '/e/news', title: 'E News' },
          { route: '/e/all', title: '' },
        ],
        exitCode: 1,
      },
      'https://e.example/',
      false,
    );
    expect(suggested.result).toEqual([
      'No feed found on https://e.example/. RSSHub routes for it:',
      '  newsstand add rsshub:/e/news    # E News',
      '  newsstand add rsshub:/e/all',
      "(The page links no feed; if the site publishes one elsewhere, add the feed's URL itself.)",
    ]);
    expect(formatAdd({ added: null, suggestions: [], exitCode: 1 }, 'https://e.example/', false).result[0]).toBe(
      'No feed found on https://e.example/, and RSSHub knows no route for it.',
    );
  });

  it('remove: what happens to the posts, with and without --purge', () => {
    const result = {
      source: 'E — url:https://e.example/',
      key: 'url:https://e.example/',
      line: 4,
      posts: 1,
      purged: 0,
      dryRun: false,
      postsDir: 'source/_posts',
    };
    expect(formatRemove(result, false)).toEqual([
      'Removed E — url:https://e.example/ (line 4).',
      'Its 1 post stay in source/_posts (retention no longer prunes them); "newsstand remove --purge url:https://e.example/" deletes them.',
    ]);
    expect(formatRemove({ ...result, purged: 1 }, true)).toEqual([
      'Removed E — url:https://e.example/ (line 4).',
      'Deleted its 1 post from source/_posts; the state forgot it.',
    ]);
  });

  it('disable and enable: done, or already so', () => {
    expect(formatToggle({ source: 'E', line: 4, disabled: true, changed: true })).toBe('Disabled E (line 4).');
    expect(formatToggle({ source: 'E', line: 4, disabled: false, changed: false })).toBe('E is enabled already; nothing changed.');
  });
});
