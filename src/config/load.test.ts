import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultFetchConfig, loadConfig, type Config, type SourceConfig } from './load.js';

const specDir = fileURLToPath(new URL('./testdata/spec/', import.meta.url)).replace(/[\\/]$/, '');

/** Writes `text` as newsstand.yml in a fresh directory and returns its path. */
async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newsstand-config-'));
  const file = path.join(dir, 'newsstand.yml');
  await writeFile(file, text);
  return file;
}

const DAY = 86_400_000;
const defaultImages = {
  referrerPolicy: 'no-referrer',
  lazy: true,
  mirror: false,
  referer: 'none',
  maxBytes: 10 * 1024 * 1024,
  default: '',
};
const defaultEmbeds = [
  'www.youtube.com',
  'youtube.com',
  'www.youtube-nocookie.com',
  'player.vimeo.com',
  'player.bilibili.com',
  'v.qq.com',
  'player.youku.com',
];

describe('loadConfig: the SPEC example', () => {
  it('resolves to absolute paths, milliseconds, bytes and merged defaults', async () => {
    const file = path.join(specDir, 'newsstand.yml');
    const config = await loadConfig(file, { env: {} });
    const inherited = {
      name: '',
      include: null,
      exclude: null,
      fullText: null,
      embeds: defaultEmbeds,
      convert: '',
      comments: false,
      timezone: '',
      headers: {},
      intervalMs: 30 * 60_000,
      retention: { maxAgeMs: 90 * DAY, maxItems: 500 },
      images: defaultImages,
      disabled: false,
    };
    expect(config).toEqual<Config>({
      file,
      dir: specDir,
      site: { root: specDir, postsDir: path.join(specDir, 'source', '_posts'), filename: ':year-:month-:day-:id' },
      rsshub: { instances: ['https://rsshub.app'], accessKey: '', language: 'zh' },
      fetch: {
        concurrency: 8,
        perHost: 2,
        timeoutMs: 20_000,
        connectTimeoutMs: 10_000,
        retries: 2,
        maxBytes: 20 * 1024 * 1024,
        maxItemsPerFeed: 1000,
        userAgent: '',
        allowPrivateNetworks: false,
      },
      theme: { name: '', keys: [] },
      sources: [
        {
          ...inherited,
          kind: 'rsshub',
          location: '/aljazeera/chinese/news',
          key: 'rsshub:/aljazeera/chinese/news',
          categories: ['新媒体', 'Aljazeera 半岛网', '新闻'],
          line: 22,
        },
        {
          ...inherited,
          kind: 'url',
          location: 'https://www.example.com/feed.xml',
          key: 'url:https://www.example.com/feed.xml',
          name: 'Example 博客',
          categories: ['博客', 'Example 博客', '文章'],
          include: { title: 'AI|芯片' },
          exclude: { title: '广告' },
          fullText: { selector: '' },
          convert: 't2s',
          line: 24,
        },
        {
          ...inherited,
          kind: 'file',
          location: path.join(specDir, 'feeds', 'local.xml'),
          key: 'file:feeds/local.xml',
          categories: [],
          line: 31,
        },
      ],
      // The example's accessKey is ${RSSHUB_ACCESS_KEY}, which this environment leaves unset.
      warnings: [`${file}:7: \${RSSHUB_ACCESS_KEY} is not set`],
    });
  });

  it('reads the access key from the environment it is given', async () => {
    const config = await loadConfig(path.join(specDir, 'newsstand.yml'), { env: { RSSHUB_ACCESS_KEY: 's3cret' } });
    expect(config.rsshub.accessKey).toBe('s3cret');
    expect(config.warnings).toEqual([]);
  });
});

describe('loadConfig: defaults', () => {
  it.each([
    ['an empty file', ''],
    ['a file of comments', '# nothing configured yet\n'],
    ['empty sections', 'site:\nrsshub:\nfetch:\ndefaults:\nsources:\n'],
  ])('gives every default for %s', async (_, text) => {
    const file = await configFile(text);
    const dir = path.dirname(file);
    const config = await loadConfig(file, { env: {} });
    expect(config).toEqual<Config>({
      file,
      dir,
      site: { root: dir, postsDir: path.join(dir, 'source', '_posts'), filename: ':year-:month-:day-:id' },
      rsshub: { instances: ['https://rsshub.app'], accessKey: '', language: 'zh' },
      fetch: {
        concurrency: 8,
        perHost: 2,
        timeoutMs: 20_000,
        connectTimeoutMs: 10_000,
        retries: 2,
        maxBytes: 20 * 1024 * 1024,
        maxItemsPerFeed: 1000,
        userAgent: '',
        allowPrivateNetworks: false,
      },
      theme: { name: '', keys: [] },
      sources: [],
      warnings: [],
    });
  });

  it('gives the fetch defaults outside any file too, as a file that sets none has them', async () => {
    const config = await loadConfig(await configFile(''), { env: {} });
    expect(defaultFetchConfig()).toEqual(config.fetch);
  });

  it('merges defaults into each source key by key, the source winning', async () => {
    const file = await configFile(
      [
        'site: { root: site, postsDir: posts }',
        'defaults:',
        '  interval: 2h',
        '  retention: { maxAge: 7d }',
        '  images: { lazy: false, default: "https://img.example/lead.png", referer: origin }',
        '  fullText: { selector: "article .body" }',
        '  embeds: [www.youtube.com, "*.example.org"]',
        '  comments: true',
        '  timezone: Asia/Shanghai',
        'sources:',
        '  - url: https://a.example/feed',
        '    retention: { maxItems: 10 }',
        '    images: { mirror: true, maxBytes: 2MB, referer: "https://a.example/" }',
        '    fullText: false',
        '    embeds: []',
        '    interval: 15m',
        '    timezone: "+08:00"',
        '  - rsshub: /b?limit=20',
        '    include: {}',
        '    exclude: { author: bot, category: ad }',
        '',
      ].join('\n'),
    );
    const dir = path.dirname(file);
    const config = await loadConfig(file, { env: {} });
    expect(config.site.root).toBe(path.join(dir, 'site'));
    expect(config.site.postsDir).toBe(path.join(dir, 'site', 'posts'));
    const [a, b] = config.sources;
    expect(a).toMatchObject<Partial<SourceConfig>>({
      intervalMs: 15 * 60_000,
      retention: { maxAgeMs: 7 * DAY, maxItems: 10 },
      images: {
        referrerPolicy: 'no-referrer',
        lazy: false,
        mirror: true,
        referer: 'https://a.example/',
        maxBytes: 2 * 1024 * 1024,
        default: 'https://img.example/lead.png',
      },
      fullText: null,
      embeds: [],
      comments: true,
      timezone: '+08:00',
      line: 11,
    });
    expect(b).toMatchObject<Partial<SourceConfig>>({
      kind: 'rsshub',
      location: '/b?limit=20',
      key: 'rsshub:/b?limit=20',
      intervalMs: 2 * 3_600_000,
      retention: { maxAgeMs: 7 * DAY, maxItems: 500 },
      images: {
        referrerPolicy: 'no-referrer',
        lazy: false,
        mirror: false,
        referer: 'origin',
        maxBytes: 10 * 1024 * 1024,
        default: 'https://img.example/lead.png',
      },
      fullText: { selector: 'article .body' },
      embeds: ['www.youtube.com', '*.example.org'],
      timezone: 'Asia/Shanghai',
      include: null,
      exclude: { author: 'bot', category: 'ad' },
      line: 18,
    });
  });
});

describe('loadConfig: request headers and cookies', () => {
  it('merges headers and cookies from defaults and the source, cookies folded into one Cookie header', async () => {
    const file = await configFile(
      [
        'defaults:',
        '  headers: { Referer: "https://a.example/" }',
        '  cookies: { lang: zh }',
        'sources:',
        '  - url: https://a.example/feed.xml',
        '    headers: { X-Token: abc, Cookie: "pre=1" }',
        '    cookies: { session: s1 }',
        '  - url: https://b.example/feed.xml',
        '',
      ].join('\n'),
    );
    const [a, b] = (await loadConfig(file, { env: {} })).sources;
    expect(a!.headers).toEqual({ Referer: 'https://a.example/', 'X-Token': 'abc', Cookie: 'pre=1; lang=zh; session=s1' });
    expect(b!.headers).toEqual({ Referer: 'https://a.example/', Cookie: 'lang=zh' });
  });

  it('rejects a header name with a space and a value with a line break, naming the key', async () => {
    const file = await configFile('sources:\n  - url: https://a.example/feed.xml\n    headers: { "Bad Name": x, Good: "a\\nb" }\n');
    const error = await loadConfig(file, { env: {} }).catch((e: unknown) => e as Error);
    expect(error.message).toContain('sources[0].headers');
    expect(error.message).toContain('is not an HTTP header name');
    expect(error.message).toContain('must be one line');
  });
});

describe('loadConfig: the theme', () => {
  async function siteWith(theme: string | null, newsstand: string) {
    const file = await configFile(newsstand);
    if (theme !== null) await writeFile(path.join(path.dirname(file), '_config.yml'), `title: x\ntheme: ${theme}\n`);
    return loadConfig(file, { env: {} });
  }

  it("takes the keys of the theme named in the site's _config.yml", async () => {
    const config = await siteWith('hexo-theme-fluid', '');
    expect(config.theme).toEqual({
      name: 'fluid',
      keys: [
        ['index_img', 'image'],
        ['banner_img', 'image'],
      ],
    });
    expect(config.warnings).toEqual([]);
  });

  it('adds theme.frontMatter after the profile, replacing a key of the same name', async () => {
    const config = await siteWith('icarus', 'theme:\n  frontMatter: { excerpt: summary, banner: image, toc: false }\n');
    expect(config.theme.keys).toEqual([
      ['cover', 'image'],
      ['excerpt', 'summary'],
      ['banner', 'image'],
      ['toc', false],
    ]);
  });

  it('warns about a theme without a profile, and takes profile: none at its word', async () => {
    const unknown = await siteWith('cactus', '');
    expect(unknown.theme.keys).toEqual([]);
    expect(unknown.warnings.join('\n')).toMatch(/"cactus" .*theme\.frontMatter/);
    const none = await siteWith('icarus', 'theme: { profile: none }\n');
    expect(none.theme.keys).toEqual([]);
  });

  it('refuses an unknown profile, a key newsstand writes, and a field that does not exist', async () => {
    await expect(siteWith(null, 'theme: { profile: hugo }\n')).rejects.toThrow(/theme\.profile.*not a theme profile.*volantis/);
    await expect(siteWith(null, 'theme: { frontMatter: { thumbnail: image } }\n')).rejects.toThrow(/written by newsstand itself/);
    await expect(siteWith(null, 'theme: { frontMatter: { cover: picture } }\n')).rejects.toThrow(
      /"picture" is not something a post can carry/,
    );
  });
});
