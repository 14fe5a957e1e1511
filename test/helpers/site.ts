import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig, type Config } from '../../src/config/load.js';

export const REPO = resolve(import.meta.dirname, '../..');
/** The post newsstand exists to produce (SPEC's golden output) and the RSSHub feed it comes from. */
export const SEED_POST = join(REPO, 'test/golden/000_4206ef1ae22bb898.txt');
export const SEED_FEED = join(REPO, 'test/golden/aljazeera-news.rss.xml');

export interface TestSite {
  dir: string;
  configFile: string;
  postsDir: string;
  config(): Promise<Config>;
  writeConfig(data: object): void;
  writeFeed(name: string, text: string | Buffer): string;
  posts(): Record<string, string>;
  remove(): void;
}

/** A throwaway Hexo site with a newsstand.yml, under the system temp directory. */
export function makeSite(newsstand: object = { sources: [] }): TestSite {
  const dir = mkdtempSync(join(tmpdir(), 'newsstand-test-'));
  cpSync(join(REPO, 'templates/site/_config.yml'), join(dir, '_config.yml'));
  mkdirSync(join(dir, 'feeds'));
  const configFile = join(dir, 'newsstand.yml');
  const postsDir = join(dir, 'source/_posts');
  const site: TestSite = {
    dir,
    configFile,
    postsDir,
    config: () => loadConfig(configFile),
    writeConfig: (data) => writeFileSync(configFile, stringify(data)),
    writeFeed: (name, text) => {
      const path = join(dir, 'feeds', name);
      writeFileSync(path, text);
      return `./feeds/${name}`;
    },
    posts: () => {
      const result: Record<string, string> = {};
      let names: string[] = [];
      try {
        names = readdirSync(postsDir);
      } catch {
        return result;
      }
      for (const name of names.filter((n) => n.endsWith('.md'))) result[name] = readFileSync(join(postsDir, name), 'utf8');
      return result;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  site.writeConfig(newsstand);
  return site;
}

export interface RssItem {
  title: string;
  link?: string;
  guid?: string;
  pubDate?: string;
  description?: string;
  author?: string;
}

/** A small RSS 2.0 document. Descriptions go in CDATA as publishers usually send them. */
export function rss(items: RssItem[], channel: { title?: string; language?: string } = {}): string {
  const body = items
    .map((item) =>
      [
        '<item>',
        `<title><![CDATA[${item.title}]]></title>`,
        item.link ? `<link>${item.link}</link>` : '',
        item.guid ? `<guid isPermaLink="false">${item.guid}</guid>` : '',
        item.pubDate ? `<pubDate>${item.pubDate}</pubDate>` : '',
        item.author ? `<dc:creator><![CDATA[${item.author}]]></dc:creator>` : '',
        `<description><![CDATA[${item.description ?? `<p>${item.title}</p>`}]]></description>`,
        '</item>',
      ].join('\n'),
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${channel.title ?? 'Test feed'}</title>
<link>https://example.com/</link>
<description>test</description>
<language>${channel.language ?? 'zh-cn'}</language>
${body}
</channel>
</rss>`;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm test` builds dist/ first). */
export function runCli(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/newsstand.js'), ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
