import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadConfig } from './load.js';

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newsstand-config-'));
  const file = path.join(dir, 'newsstand.yml');
  await writeFile(file, text);
  return file;
}

/** The ConfigError message for `text`, with the file's path replaced by `F` so expectations stay readable. */
async function problems(text: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const file = await configFile(text);
  const error: unknown = await loadConfig(file, { env }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).exitCode).toBe(2);
  const message = (error as ConfigError).message;
  expect(message).not.toMatch(/\n\s+at |ZodError|"code":/); // no stack, no raw zod dump
  return message.split('\n').map((line) => line.split(file).join('F'));
}

const lines = (...text: string[]) => `${text.join('\n')}\n`;

describe('loadConfig: broken files', () => {
  it.each([
    {
      what: 'bad YAML indentation',
      yml: lines('site:', '  root: .', ' postsDir: x'),
      expected: ['F:3:1: postsDir: YAML syntax error: All mapping items must start at the same column'],
    },
    {
      what: 'a tab used as indentation',
      yml: lines('fetch:', '\tretries: 1'),
      expected: ['F:2:1: retries: YAML syntax error: Tabs are not allowed as indentation'],
    },
    {
      what: 'a duplicate key',
      yml: lines('fetch:', '  retries: 1', '  retries: 2'),
      expected: ['F:3:3: fetch.retries: YAML syntax error: Map keys must be unique'],
    },
    {
      what: 'an unclosed quote, reported where it opens rather than at the end of the file',
      yml: lines('sources:', '  - url: "https://a.example/feed', '    name: A'),
      expected: ['F:2:10: sources[0].url: YAML syntax error: Missing closing "quote'],
    },
    {
      what: 'an unclosed flow list',
      yml: lines('sources:', '  - url: https://a.example/feed', '    categories: [a, b', '  - url: https://b.example/feed'),
      expected: [
        'F:3:21: sources[0].categories[1]: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    },
    {
      what: 'an unknown key, with the nearest known key',
      yml: lines('site:', '  root: .', '  postDir: source/_posts'),
      expected: ['F:3:3: site.postDir: unknown key (did you mean "postsDir"?)'],
    },
    {
      what: 'an unknown source key, with a suggestion',
      yml: lines('sources:', '  - url: https://a.example/feed', '    category: [a]'),
      expected: ['F:3:5: sources[0].category: unknown key (did you mean "categories"?)'],
    },
    {
      what: 'a key one level too high',
      yml: lines('interval: 5m'),
      expected: ['F:1:1: interval: unknown key (did you mean defaults.interval?)'],
    },
    {
      what: 'an unknown key with nothing near it',
      yml: lines('rsshub:', '  zzz: 1'),
      expected: ['F:2:3: rsshub.zzz: unknown key (expected one of instances, accessKey, language)'],
    },
    {
      what: 'a word where a number belongs',
      yml: lines('fetch:', '  concurrency: eight'),
      expected: ['F:2:16: fetch.concurrency: expected a number, got "eight"'],
    },
    {
      what: 'a fraction where a whole number belongs',
      yml: lines('fetch:', '  retries: 1.5'),
      expected: ['F:2:12: fetch.retries: expected a whole number, got 1.5'],
    },
    {
      what: 'a number out of range',
      yml: lines('fetch:', '  perHost: 99'),
      expected: ['F:2:12: fetch.perHost: must be at most 16, got 99'],
    },
    {
      what: 'a number where text belongs',
      yml: lines('sources:', '  - url: https://a.example/feed', '    name: 2024'),
      expected: ['F:3:11: sources[0].name: expected text, got 2024 (quote it: "2024")'],
    },
    {
      what: 'a list where a map belongs',
      yml: lines('site:', '  - root'),
      expected: ['F:2:3: site: expected a map (key: value lines), got a list'],
    },
    {
      what: 'a file that is not a map',
      yml: lines('- url: https://a.example/feed'),
      expected: ['F:1:1: expected a map (key: value lines), got a list'],
    },
    {
      what: 'a bad duration',
      yml: lines('sources:', '  - url: https://a.example/feed', '  - url: https://b.example/feed', '    interval: 30 minutes'),
      expected: ['F:4:15: sources[1].interval: "30 minutes" is not a duration (use e.g. 30m, 2h, 7d)'],
    },
    {
      what: 'a number where a duration belongs',
      yml: lines('defaults:', '  retention: { maxAge: 90 }'),
      expected: ['F:2:24: defaults.retention.maxAge: 90 is not a duration (use e.g. 30m, 2h, 7d)'],
    },
    {
      what: 'a bad size',
      yml: lines('fetch:', '  maxBytes: 20 megs'),
      expected: ['F:2:13: fetch.maxBytes: "20 megs" is not a size (use e.g. 512KB, 20MB, 1GB)'],
    },
    {
      what: 'a regular expression that does not compile',
      yml: lines('sources:', '  - url: https://a.example/feed', '    include: { title: "(AI|芯片" }'),
      expected: ['F:3:23: sources[0].include.title: "(AI|芯片" is not a valid regular expression: missing closing ): `(AI|芯片`'],
    },
    {
      what: 'a regular expression that would need backtracking',
      yml: lines('sources:', '  - url: https://a.example/feed', '    exclude: { content: "(a+)\\\\1" }'),
      expected: [
        'F:3:25: sources[0].exclude.content: "(a+)\\\\1" is not a valid regular expression: invalid escape sequence: `\\1` (lookaround and backreferences are not supported: patterns run in linear time)',
      ],
    },
    {
      what: 'a referer that is neither none, origin nor a URL',
      yml: lines('sources:', '  - url: https://a.example/feed', '    images: { mirror: true, referer: same }'),
      expected: [
        'F:3:38: sources[0].images.referer: "same" is not a referer (use none, origin, or an http(s) URL such as https://www.example.com/)',
      ],
    },
    {
      what: 'a fullText that is neither a boolean nor a selector',
      yml: lines('sources:', '  - url: https://a.example/feed', '    fullText: yes please'),
      expected: ['F:3:15: sources[0].fullText: expected true, false or { selector: "CSS selector" }, got "yes please"'],
    },
    {
      what: 'an embed host that is a URL',
      yml: lines('defaults:', '  embeds: [https://www.youtube.com/]'),
      expected: [
        'F:2:12: defaults.embeds[0]: "https://www.youtube.com/" is not a host name (e.g. www.youtube.com, or *.example.com for any subdomain)',
      ],
    },
    {
      what: 'an unknown filter field',
      yml: lines('sources:', '  - url: https://a.example/feed', '    exclude: { titel: x }'),
      expected: ['F:3:16: sources[0].exclude.titel: unknown key (did you mean "title"?)'],
    },
    {
      what: 'two kinds in one source',
      yml: lines('sources:', '  - rsshub: /a', '    url: https://a.example/feed'),
      expected: ['F:2:5: sources[0]: needs exactly one of rsshub, url or file, not rsshub and url'],
    },
    {
      what: 'a source of no kind',
      yml: lines('sources:', '  - name: Nothing', '    fullText: true'),
      expected: ['F:2:5: sources[0]: needs exactly one of rsshub, url or file'],
    },
    {
      what: 'an empty source entry',
      yml: lines('sources:', '  - url: https://a.example/feed', '  -'),
      expected: ['F:3:4: sources[1]: expected a map (key: value lines), got an empty value'],
    },
    {
      what: 'an RSSHub route without its leading slash',
      yml: lines('sources:', '  - rsshub: aljazeera/chinese/news'),
      expected: [
        'F:2:13: sources[0].rsshub: "aljazeera/chinese/news" is not an RSSHub route (start it with "/", e.g. /aljazeera/chinese/news)',
      ],
    },
    {
      what: 'a url that is not http(s)',
      yml: lines('sources:', '  - url: feeds/local.xml'),
      expected: ['F:2:10: sources[0].url: "feeds/local.xml" is not an http(s) URL (for a local feed use file:)'],
    },
    {
      what: 'a duplicate url',
      yml: lines('sources:', '  - url: https://a.example/feed', '    name: A', '  - url: HTTPS://A.EXAMPLE/feed'),
      expected: ['F:4:10: sources[1].url: same source as sources[0] (line 2); remove one'],
    },
    {
      what: 'a duplicate RSSHub route',
      yml: lines('sources:', '  - rsshub: /a/b', '  - url: https://a.example/feed', '  - rsshub: /a/b', '    name: again'),
      expected: ['F:4:13: sources[2].rsshub: same source as sources[0] (line 2); remove one'],
    },
    {
      what: 'too many categories',
      yml: lines('sources:', '  - rsshub: /a', '    categories: [a, b, c, d]'),
      expected: ['F:3:17: sources[0].categories: expected 1 to 3 categories (category > site > channel), got 4'],
    },
    {
      what: 'a blank category',
      yml: lines('sources:', '  - rsshub: /a', '    categories: [a, " "]'),
      expected: ['F:3:21: sources[0].categories[1]: a category must not be empty'],
    },
    {
      what: 'an unknown OpenCC conversion',
      yml: lines('sources:', '  - rsshub: /a', '    convert: t2x'),
      expected: [
        'F:3:14: sources[0].convert: "t2x" is not an OpenCC conversion (use one of s2t, t2s, s2tw, tw2s, s2hk, hk2s, s2twp, tw2sp, t2tw, tw2t, t2hk, hk2t, t2jp, jp2t)',
      ],
    },
    {
      what: 'an unknown time zone',
      yml: lines('defaults:', '  timezone: Mars/Olympus'),
      expected: ['F:2:13: defaults.timezone: "Mars/Olympus" is not a time zone (use an IANA name such as Asia/Shanghai, or +08:00, or "")'],
    },
    {
      what: 'a bad referrer policy and lead image',
      yml: lines('defaults:', '  images: { referrerPolicy: never, default: lead.png }'),
      expected: [
        'F:2:29: defaults.images.referrerPolicy: "never" is not a referrer policy (use one of no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url)',
        'F:2:45: defaults.images.default: "lead.png" is not an http(s) URL or ""',
      ],
    },
    {
      what: 'an unknown language',
      yml: lines('rsshub:', '  language: fr'),
      expected: ['F:2:13: rsshub.language: "fr" is not a language (use zh or en)'],
    },
    {
      what: 'no RSSHub instance',
      yml: lines('rsshub:', '  instances: []'),
      expected: ['F:2:14: rsshub.instances: needs at least one instance URL'],
    },
    {
      what: 'a filename pattern without :id',
      yml: lines('site:', '  filename: ":year-:month-:day"'),
      expected: ['F:2:13: site.filename: ":year-:month-:day" must contain :id, which keeps every post file name unique'],
    },
    {
      what: 'a filename pattern with a "/"',
      yml: lines('site:', '  filename: :year/:id'),
      expected: ['F:2:13: site.filename: ":year/:id" may not contain a path separator'],
    },
    {
      what: 'a malformed ${VAR}',
      yml: lines('rsshub:', '  accessKey: ${RSSHUB KEY}'),
      expected: [
        'F:2:14: rsshub.accessKey: "${RSSHUB KEY}" is not a variable reference (write ${NAME} or ${NAME:-fallback}; $${ for a literal ${)',
      ],
    },
    {
      what: 'an unclosed ${',
      yml: lines('fetch:', '  userAgent: "bot ${UA"'),
      expected: ['F:2:14: fetch.userAgent: unclosed "${" (write ${NAME} or ${NAME:-fallback}; $${ for a literal ${)'],
    },
  ])('$what', async ({ yml, expected }) => {
    expect(await problems(yml)).toEqual(expected);
  });

  it('loads a file source whose file does not exist or is a directory: sync reports it as a failing source', async () => {
    const file = await configFile(lines('sources:', '  - url: https://a.example/feed', '  - file: ./feeds/missing.xml', '  - file: feeds'));
    await mkdir(path.join(path.dirname(file), 'feeds'));
    const config = await loadConfig(file, { env: {} });
    expect(config.sources.map((source) => source.location)).toEqual([
      'https://a.example/feed',
      path.join(path.dirname(file), 'feeds', 'missing.xml'),
      path.join(path.dirname(file), 'feeds'),
    ]);
  });

  it('reports a missing config file with what to do, naming the path as given', async () => {
    const error: unknown = await loadConfig('no/such/dir/newsstand.yml').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as ConfigError).message).toBe(
      'no/such/dir/newsstand.yml: not found — create one with "newsstand init" or pass --config FILE',
    );
  });

  it('reports a directory passed as the config file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'newsstand-config-'));
    await expect(loadConfig(dir)).rejects.toThrow(
      new ConfigError(`${dir}: is a directory — pass --config FILE naming the newsstand.yml in it`),
    );
  });

  it('reports every problem at once, one per line, in file order', async () => {
    expect(
      await problems(
        lines(
          'fetch:',
          '  timeout: soon',
          '  concurrency: 0',
          'sources:',
          '  - url: https://a.example/feed',
          '    intervall: 5m',
          '  - rsshub: /x',
          '    retention: { maxItems: 0 }',
        ),
      ),
    ).toEqual([
      'F:2:12: fetch.timeout: "soon" is not a duration (use e.g. 30m, 2h, 7d)',
      'F:3:16: fetch.concurrency: must be at least 1, got 0',
      'F:6:5: sources[0].intervall: unknown key (did you mean "interval"?)',
      'F:8:28: sources[1].retention.maxItems: must be at least 1, got 0',
    ]);
  });

  it('reports a source of no kind together with the problems inside it', async () => {
    expect(await problems(lines('sources:', '  - name: 7', '    fulltext: yes'))).toEqual([
      'F:2:5: sources[0]: needs exactly one of rsshub, url or file',
      'F:2:11: sources[0].name: expected text, got 7 (quote it: "7")',
      'F:3:5: sources[0].fulltext: unknown key (did you mean "fullText"?)',
    ]);
  });

  it('stops listing after 20 problems and says how many more there are', async () => {
    const yml = lines('sources:', ...Array.from({ length: 25 }, (_, i) => `  - rsshub: bad${i}`));
    const reported = await problems(yml);
    expect(reported).toHaveLength(21);
    expect(reported[0]).toBe('F:2:13: sources[0].rsshub: "bad0" is not an RSSHub route (start it with "/", e.g. /aljazeera/chinese/news)');
    expect(reported[20]).toBe('… and 5 more problems');
  });
});

describe('loadConfig: hostile YAML', () => {
  it('refuses an alias bomb with a ConfigError instead of expanding it', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) {
      const name = String.fromCharCode(98 + i);
      const prev = String.fromCharCode(97 + i);
      bomb.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const file = await configFile(lines(...bomb));
    const error: unknown = await loadConfig(file, { env: {} }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `${file}:2:8: b[0]: YAML error: Excessive alias count indicates a resource exhaustion attack`,
    );
  });
});
