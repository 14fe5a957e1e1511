import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hexoLayout } from './hexo-config.js';

const site = mkdtempSync(join(tmpdir(), 'newsstand-hexo-config-'));
afterAll(() => rmSync(site, { recursive: true, force: true }));

function layoutOf(config: string) {
  writeFileSync(join(site, '_config.yml'), config);
  return hexoLayout(site);
}

describe('hexoLayout', () => {
  it("takes Hexo's defaults when the site states nothing", () => {
    rmSync(join(site, '_config.yml'), { force: true });
    expect(hexoLayout(site)).toEqual({ sourceDir: join(site, 'source'), publicDir: join(site, 'public'), root: '/' });
    expect(layoutOf('title: [unclosed')).toMatchObject({ root: '/' });
  });

  it('serves below the path of url when root is left out, as Hexo does', () => {
    expect(layoutOf('url: https://someone.github.io/news').root).toBe('/news/');
    expect(layoutOf('url: https://someone.github.io/news/').root).toBe('/news/');
    expect(layoutOf('url: https://someone.github.io').root).toBe('/');
  });

  it('prefers an explicit root, and gives it both slashes', () => {
    expect(layoutOf('url: https://someone.github.io/news\nroot: /blog').root).toBe('/blog/');
    expect(layoutOf('root: blog//').root).toBe('/blog/');
  });

  it('resolves source_dir and public_dir against the site', () => {
    expect(layoutOf('source_dir: src\npublic_dir: out/site')).toMatchObject({
      sourceDir: join(site, 'src'),
      publicDir: join(site, 'out/site'),
    });
  });
});
