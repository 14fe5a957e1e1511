import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/load.js';
import type { BuildResult } from '../../site/build.js';
import { describeBuild } from './build.js';

const config = { file: '/site/newsstand.yml' } as Config;
const base: BuildResult = { files: 120, ms: 1234, publicDir: '/site/public', root: '/', warnings: [] };

describe('describeBuild', () => {
  it('says what an incremental build wrote and deleted', () => {
    const text = describeBuild({ ...base, incremental: { written: 7, deleted: 1, full: false } }, config);
    expect(text.split('\n')[0]).toBe('Built the site with Hexo: 120 files in 1.2s (incremental: 7 written, 1 deleted), in /site/public.');
  });

  it('says when every page was rendered, and why a build was whole', () => {
    expect(describeBuild({ ...base, incremental: { written: 120, deleted: 0, full: true } }, config)).toContain(
      '1.2s (every page rendered: no build cache yet',
    );
    expect(describeBuild({ ...base, fullBuildReason: 'post_asset_folder is on' }, config)).toContain(
      '1.2s (whole, not incremental: post_asset_folder is on), in /site/public.',
    );
    expect(describeBuild(base, config).split('\n')[0]).toBe('Built the site with Hexo: 120 files in 1.2s, in /site/public.');
  });

  it('says what a helper process did for a full build, and when it stopped', () => {
    const full = { written: 45_000, deleted: 0, full: true };
    expect(describeBuild({ ...base, incremental: { ...full, helper: { posts: 9_800, pages: 12_345, failed: false } } }, config)).toContain(
      'another configuration; a helper process made 9,800 posts and 12,345 pages), in /site/public.',
    );
    expect(describeBuild({ ...base, incremental: { ...full, helper: { posts: 200, pages: 0, failed: true } } }, config)).toContain(
      '; a helper process stopped after 200 posts and 0 pages, the build did the rest itself)',
    );
  });
});
