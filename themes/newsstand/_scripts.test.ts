/**
 * The theme's scripts where they copy a rule of newsstand's own code, checked against that code so the two
 * cannot drift apart: the characters XML cannot carry (scripts/feeds.js against src/xml-text.ts) and what
 * stands for a space when HTML becomes plain text (scripts/helpers.js against src/feed/text.ts). The scripts
 * run in the site's Hexo, which does not load newsstand's modules, hence the copies. This file sits outside
 * scripts/ because Hexo runs every file there; it evaluates the scripts the way Hexo does, with a stand-in
 * for `hexo`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
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
      helper: { register: (helper: string, fn: Helper) => helpers.set(helper, fn), get: (helper: string) => helpers.get(helper) },
    },
  };
  const module = { exports: {} as any };
  const run = vm.runInThisContext(`(function (module, exports, hexo) {${readFileSync(file, 'utf8')}\n})`, { filename: file });
  run(module, module.exports, hexo);
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
