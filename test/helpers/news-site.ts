/** Sites of news posts for the build tests: posts of four sources, written as sync writes them; built trees compared. */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderPost } from '../../src/post/post-text.js';
import { makeSite, type TestSite } from './site.js';

export const SOURCES = [
  ['科技', '极客日报', '快讯'],
  ['科技', '极客日报', '深度'],
  ['国际', '环球观察', '要闻'],
  ['本地', '江城晚报', '社会'],
];

export interface Post {
  id: string;
  title: string;
  date: number;
  /** Index into SOURCES. */
  source: number;
  revision: number;
}

/** A site of newsstand's theme with three posts to a page, so that a few posts make many pages. */
export function makeNewsSite(): TestSite {
  const site = makeSite();
  const config = join(site.dir, '_config.yml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/per_page: \d+/g, 'per_page: 3'));
  mkdirSync(site.postsDir, { recursive: true });
  return site;
}

export function writePost(site: TestSite, post: Post): void {
  const [category, name, channel] = SOURCES[post.source]!;
  const image = post.id.charCodeAt(0) % 2 ? `https://img.example/${post.id}.jpg` : '';
  const text = renderPost(
    {
      title: post.title,
      categories: [category!, name!, channel!],
      headimg: image,
      author: name!,
      comments: false,
      date: new Date(post.date),
      thumbnail: image,
      updated: new Date(post.date + post.revision * 60_000),
      original_url: `https://news.example/${post.id}`,
      newsstand_id: post.id,
    },
    `<p>${post.title}：第 ${post.revision} 版正文。</p>${image ? `<p><img src="${image}" referrerpolicy="no-referrer" loading="lazy"></p>` : ''}`,
  );
  writeFileSync(fileOf(site, post), text);
}

export function fileOf(site: TestSite, post: Post): string {
  return join(site.postsDir, `${new Date(post.date).toISOString().slice(0, 10)}-${post.id}.md`);
}

/** Every file of a built site, path → bytes, and every directory (as `path/`, empty bytes): none left empty. */
export function tree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) {
        files.set(`${relative(dir, path)}/`, Buffer.alloc(0));
        walk(path);
      } else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** Paths whose bytes differ between two trees, or that only one has. */
export function differences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((path) => !a.get(path)?.equals(b.get(path) ?? Buffer.alloc(0)) || !a.has(path) || !b.has(path)).sort();
}
