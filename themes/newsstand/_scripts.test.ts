/**
 * The theme's scripts where they copy a rule of newsstand's own code, checked against that code so the two
 * cannot drift apart: the characters XML cannot carry (scripts/feeds.js against src/xml-text.ts) and what
 * stands for a space when HTML becomes plain text (scripts/helpers.js against src/feed/text.ts). The scripts
 * run in the site's Hexo, which does not load newsstand's modules, hence the copies. This file sits outside
 * scripts/ because Hexo runs every file there; it evaluates the scripts the way Hexo does, with a stand-in
 * for `hexo`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALLOWED_ELEMENTS } from '../../src/content/policy.js';
import { plainText } from '../../src/feed/text.js';
import { withoutNonXmlCharacters } from '../../src/xml-text.js';

const SCRIPTS = join(dirname(fileURLToPath(import.meta.url)), 'scripts');
type Helper = (this: unknown, ...args: unknown[]) => unknown;

/** Runs a theme script with a `hexo` that records the helpers it registers; returns its exports and those helpers. */
function evaluate(name: string): { exports: any; helpers: Map<string, Helper> } {
  const file = join(SCRIPTS, name);
  const helpers = new Map<string, Helper>();
  const hexo = {
    extend: {
      generator: { register: () => undefined },
      filter: { register: () => undefined },
      helper: { register: (helper: string, fn: Helper) => helpers.set(helper, fn), get: (helper: string) => helpers.get(helper) },
    },
  };
  const module = { exports: {} as any };
  const run = vm.runInThisContext(`(function (module, exports, require, hexo) {${readFileSync(file, 'utf8')}\n})`, { filename: file });
  run(module, module.exports, createRequire(file), hexo);
  return { exports: module.exports, helpers };
}

const feeds = evaluate('feeds.js').exports;
const nsPlainText = evaluate('helpers.js').helpers.get('ns_plain_text')!;
const themePlainText = (html: string) => nsPlainText.call({}, html) as string;

/** Every code unit, alone and between letters, and surrogates paired, reversed, alone and split by what is removed. */
const TRICKY: string[] = [
  ...Array.from({ length: 0x10000 }, (_, code) => `a${String.fromCharCode(code)}b`),
  '\ud83d\ude00',
  '\ude00\ud83d',
  '\ud83d',
  '\ude00',
  'x\ud83d',
  '\ude00x',
  '\ud83d\ud83d\ude00',
  '\ud83d\ude00\ude00',
  '\ud83d\u0001\ude00',
  '\ud83d\u0085\ufffe\ude00',
  '\ud800\udc00\udbff\udfff',
  '\t\n\r \u00a0\ufeff\u2028\u2029\ufffd 中文 \u{1fffe}\u{10ffff}',
  '',
];

describe('scripts/feeds.js: characters XML cannot carry', () => {
  it('removes and replaces exactly what src/xml-text.ts does', () => {
    const differ = TRICKY.filter((text) => feeds.withoutNonXmlCharacters(text) !== withoutNonXmlCharacters(text));
    expect(differ.map((text) => [...text].map((c) => c.codePointAt(0)!.toString(16)).join(' '))).toEqual([]);
  });

  it('applies the rule to the Atom and JSON Feed text it writes', () => {
    expect(feeds.xmlText('a\u0001\u0085<b>\ud800&"\'')).toBe('a&lt;b&gt;\ufffd&amp;&quot;&apos;');
    expect(feeds.jsonText('a\u0001\u0085\u007f\ufffe\udc00b')).toBe('a\ufffdb');
    expect(feeds.xmlText(undefined)).toBe('');
  });
});

describe('scripts/helpers.js: ns_plain_text', () => {
  it('breaks text at line-breaking tags only, as src/feed/text.ts does', () => {
    expect(themePlainText('a<b>b</b>c')).toBe('abc');
    expect(themePlainText('<p>a</p><p>b</p>')).toBe('a b');
    expect(themePlainText('完成 <b>首次</b> 实地')).toBe('完成 首次 实地');
    expect(themePlainText('<h2>Title</h2>Text<br/>more<ul><li>x</li><li>y</li></ul>')).toBe('Title Text more x y');
    expect(themePlainText('a<!-- note -->b<script>var x;</script>c<style>p{}</style>d')).toBe('abcd');
  });

  it('gives the text src/feed/text.ts gives around every element a post may carry', () => {
    // A post carries no script or style (content/clean.ts drops them), so their unclosed forms, which
    // feed/text.ts reads to the end as a browser would, are left out; closed ones are checked above.
    const names = [...ALLOWED_ELEMENTS.keys(), 'span', 'section', 'article', 'header', 'footer', 'nav', 'main', 'font'];
    const differ = names.flatMap((name) =>
      [`x<${name}>y</${name}>z`, `x<${name} class="c">y</${name}>z`, `x<${name}/>z`, `<${name}>x</${name}><${name}>y</${name}>`]
        .map((html) => ({ html, theme: themePlainText(html), feed: plainText(html) }))
        .filter(({ theme, feed }) => theme !== feed),
    );
    expect(differ).toEqual([]);
  });

  it('still decodes entities, collapses whitespace and cuts at maxLength', () => {
    expect(themePlainText('<p>  a &amp; b&#x4e2d;\n\n</p>')).toBe('a & b中');
    expect(nsPlainText.call({}, '<p>abcdef</p>', 3)).toBe('abc…');
  });
});

describe('scripts/helpers.js: ns_excerpt', () => {
  const nsExcerpt = evaluate('helpers.js').helpers.get('ns_excerpt')!;

  it("is ns_plain_text of the post's content, read once per post and length", () => {
    let reads = 0;
    const post = {
      get content() {
        reads++;
        return '<p>第一段 <b>粗体</b></p><p>second &amp; more</p>';
      },
    };
    expect(nsExcerpt.call({}, post, 160)).toBe(nsPlainText.call({}, post.content, 160));
    expect(nsExcerpt.call({}, post, 5)).toBe('第一段 粗…');
    reads = 0;
    for (let page = 0; page < 5; page++) nsExcerpt.call({}, post, 160);
    expect(reads).toBe(0);
    const other = { content: '<p>other</p>' };
    expect(nsExcerpt.call({}, other, 160)).toBe('other');
  });
});

describe('scripts/helpers.js: ns_time', () => {
  const nsTime = evaluate('helpers.js').helpers.get('ns_time')!;
  // Hexo's own date helpers, counted: what ns_time calls on a date it has not made yet.
  const hexoDates = createRequire(import.meta.url)('hexo/dist/plugins/helper/date.js') as Record<string, Helper>;
  const moment = createRequire(import.meta.url)('moment-timezone') as (input: number) => {
    valueOf(): number;
    add(n: number, unit: string): void;
  };
  let formatted = 0;
  const context = (timezone: string, lang?: string) => ({
    config: { timezone, language: 'en' },
    page: lang ? { lang } : {},
    date_xml: hexoDates.date_xml,
    full_date(this: unknown, ...args: unknown[]) {
      formatted++;
      return hexoDates.full_date!.apply(this, args);
    },
  });
  const time = (self: object, value: unknown, zone?: boolean) => nsTime.call(self, value, zone) as string;

  it("is made once per date and settings, and made anew when the instant, the zone, the timezone or the page's language differs", () => {
    const date = moment(Date.UTC(2026, 2, 2, 2, 0));
    const shanghai = context('Asia/Shanghai');
    const card = time(shanghai, date);
    expect(card).toBe(
      '<span class="when"><time class="time" datetime="2026-03-02T02:00:00.000Z" title="2026-03-02 10:00 (Asia/Shanghai, UTC+8)">2026-03-02 10:00</time></span>',
    );
    formatted = 0;
    for (let page = 0; page < 5; page++) expect(time(shanghai, date)).toBe(card);
    expect(formatted).toBe(0);
    expect(time(shanghai, date, true)).toContain('>2026-03-02 10:00 UTC+8</time>');
    expect(time(context('Europe/London'), date)).toContain('>2026-03-02 02:00</time>');
    expect(time(context('Asia/Shanghai', 'ar'), date)).not.toBe(card); // Arabic-Indic digits
    date.add(1, 'hour');
    expect(time(shanghai, date)).toContain('>2026-03-02 11:00</time>');
    expect(time(shanghai, '2026-03-02T02:00:00Z')).toBe(card);
  });

  it("shows what Hexo's date_xml and full_date give, in any timezone and language", () => {
    const parts = (html: string) => /datetime="([^"]*)" title="([^"]*)">([^<]*)</.exec(html)!.slice(1);
    const instants = [
      Date.UTC(2026, 2, 8, 6, 59),
      Date.UTC(2026, 2, 8, 7, 0),
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(10_000, 0, 1),
    ];
    for (const timezone of ['Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'UTC'])
      for (const lang of [undefined, 'zh-CN', 'ar', 'hi'])
        for (const ms of instants) {
          const self = context(timezone, lang);
          const [datetime, title, text] = parts(time(self, moment(ms), true));
          expect(datetime).toBe(hexoDates.date_xml!.call(self, moment(ms)));
          const local = hexoDates.full_date!.call(self, moment(ms), 'YYYY-MM-DD HH:mm') as string;
          const offset = hexoDates.full_date!.call(self, moment(ms), 'Z') as string;
          // The offset as a label ("UTC-5", "UTC+5:30"), unless the language writes its digits otherwise.
          if (/^[+-]\d\d:\d\d$/.test(offset)) {
            expect(text).toMatch(new RegExp(`^${local} UTC([+-]\\d{1,2}(:\\d\\d)?)?$`));
            expect(title).toMatch(new RegExp(`^${local} \\(${timezone}, UTC([+-]\\d{1,2}(:\\d\\d)?)?\\)$`));
          } else {
            expect(text).toBe(local);
            expect(title).toBe(local);
          }
        }
  });
});

describe('scripts/helpers.js: ns_year', () => {
  const nsYear = evaluate('helpers.js').helpers.get('ns_year')!;
  const hexoDate = (createRequire(import.meta.url)('hexo/dist/plugins/helper/date.js') as Record<string, Helper>).date!;

  afterEach(() => vi.useRealTimers());

  it("is Hexo's date(new Date(), 'YYYY'), made once a minute for each timezone and language", () => {
    // 30 s before the new year in Shanghai, still 2026 in London.
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 31, 15, 59, 30) });
    let made = 0;
    const context = (timezone: string, lang?: string) => ({
      config: { timezone, language: 'en' },
      page: lang ? { lang } : {},
      date(this: unknown, ...args: unknown[]) {
        made++;
        return hexoDate.apply(this, args);
      },
    });
    const shanghai = context('Asia/Shanghai');
    const year = nsYear.call(shanghai) as string;
    expect(year).toBe('2026');
    expect(year).toBe(hexoDate.call(shanghai, new Date(), 'YYYY'));
    made = 0;
    for (let page = 0; page < 5; page++) expect(nsYear.call(shanghai)).toBe(year);
    expect(made).toBe(0);
    expect(nsYear.call(context('Asia/Shanghai', 'ar'))).toBe(hexoDate.call(context('Asia/Shanghai', 'ar'), new Date(), 'YYYY'));
    expect(nsYear.call(context('Asia/Shanghai', 'ar'))).not.toBe(year); // Arabic-Indic digits
    expect(made).toBe(1);
    vi.setSystemTime(Date.UTC(2026, 11, 31, 16, 0, 30));
    expect(nsYear.call(shanghai)).toBe('2027');
    expect(nsYear.call(context('Europe/London'))).toBe('2026');
  });
});

describe('scripts/pages.js: listing pages that stay put', () => {
  const { listing } = evaluate('pages.js').exports as {
    listing: (
      options: object,
    ) => Array<{ path: string; data: { posts: number[]; prev: number; prev_link: string; next: number; next_link: string } }>;
  };
  /** The pages of a list of `total` posts, numbered 1 (oldest) … total (newest), 3 to a page. */
  const pagesOf = (total: number) =>
    listing({
      base: 'c/',
      posts: Array.from({ length: total }, (_, n) => total - n),
      perPage: 3,
      paginationDir: 'page',
      layout: ['index'],
      data: {},
    });
  const shown = (total: number) => Object.fromEntries(pagesOf(total).map(({ path, data }) => [path, data]));

  it("shows the newest posts on the list's own page and the rest on pages counted from the oldest", () => {
    const pages = shown(7);
    expect(Object.keys(pages)).toEqual(['c/', 'c/page/1/', 'c/page/2/', 'c/page/3/']);
    expect(pages['c/']!.posts).toEqual([7, 6, 5]);
    expect(pages['c/page/1/']!.posts).toEqual([3, 2, 1]);
    expect(pages['c/page/3/']!.posts).toEqual([7]);
    // The own page links to the page holding the newest post it does not show (4), on page 2 with 5 and 6.
    expect(pages['c/']!).toMatchObject({ prev: 0, next: 2, next_link: 'c/page/2/' });
    expect(pages['c/page/3/']!).toMatchObject({ prev: 1, prev_link: 'c/', next: 2, next_link: 'c/page/2/' });
    expect(pages['c/page/1/']!).toMatchObject({ prev: 2, prev_link: 'c/page/2/', next: 0, next_link: '' });
    expect(Object.keys(shown(0))).toEqual(['c/']);
    expect(shown(3)['c/']).toMatchObject({ posts: [3, 2, 1], next: 0 });
  });

  it('changes the own page and the newest numbered page when a post is added, and one more when a page fills up', () => {
    for (let total = 1; total < 40; total++) {
      const before = shown(total);
      const after = shown(total + 1);
      const changed = Object.keys(after).filter((path) => JSON.stringify(after[path]) !== JSON.stringify(before[path]));
      expect(changed.length, `${total} → ${total + 1}: ${changed.join(', ')}`).toBeLessThanOrEqual(total % 3 === 0 ? 3 : 2);
    }
  });
});
