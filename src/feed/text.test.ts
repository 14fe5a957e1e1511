import { describe, expect, it } from 'vitest';
import { clipText, MAX_TITLE_LENGTH, plainText, textToHtml } from './text.js';

describe('plainText', () => {
  it.each([
    [
      'inline tags are dropped without adding spaces',
      '海上风电运维机器人完成 <b>首次</b> 实地测试',
      '海上风电运维机器人完成 首次 实地测试',
    ],
    ['inline tags inside words', '<a href="/x">上海</a>发布<em>通知</em>', '上海发布通知'],
    ['line-breaking tags stand for one space', '第一行<br>第二行<br/>第三行', '第一行 第二行 第三行'],
    ['block tags and the spaces around them collapse to one', '<p>甲</p>\n<p>乙</p> <div> 丙 </div>', '甲 乙 丙'],
    ['comments are dropped', 'a<!-- x -->b', 'ab'],
    [
      'script and style are dropped with their content',
      '头条<script>alert(1)</script>新闻<STYLE type="text/css">b{color:red}</STYLE>快讯',
      '头条新闻快讯',
    ],
    ['an unclosed script drops the rest, as a browser reads it', '标题<script>document.write("x")', '标题'],
    ['a word that only begins like script is kept', '<scripted>剧本</scripted>杀', '剧本杀'],
    ['entities decoded', 'Tom &amp; Jerry &lt;3 &#x4e2d;&#25991; &quot;q&quot;', 'Tom & Jerry <3 中文 "q"'],
    ['double escaping decoded', 'AT&amp;amp;T', 'AT&T'],
    ['a bare ampersand stays', 'AT&T & R&D', 'AT&T & R&D'],
    ['line breaks and tabs collapse', '标题\n\t第二部分\r\n第三', '标题 第二部分 第三'],
    ['runs of plain spaces are kept (publishers separate headlines with them)', '新闻一  新闻二', '新闻一  新闻二'],
    ['ends trimmed, ideographic spaces too', '\u3000 标题 \n', '标题'],
    ['control characters removed', 'a\u0000b\u0007c\u0085d', 'abcd'],
    ['a lone surrogate becomes U+FFFD', 'a\ud800b', 'a\ufffdb'],
  ])('%s', (_, input, expected) => {
    expect(plainText(input)).toBe(expected);
  });

  it('with html: false, markup and entities are literal text', () => {
    expect(plainText('a <b>x</b> &amp;', { html: false })).toBe('a <b>x</b> &amp;');
  });

  it('keeps a < that opens no tag, and an unterminated comment, as text', () => {
    expect(plainText('if a <b then c')).toBe('if a <b then c');
    expect(plainText('x <!-- no end')).toBe('x <!-- no end');
    expect(plainText('<b>a</b> <!-- c --> <i>d')).toBe('a  d');
  });

  it('stays linear on markup built to make a pattern rescan the rest (100,000 `<a`, `<!--`)', () => {
    expect(plainText('<a'.repeat(100_000))).toBe('<a'.repeat(100_000));
    expect(plainText('<!--'.repeat(100_000))).toBe('<!--'.repeat(100_000));
    expect(plainText('<a'.repeat(100_000) + '>x')).toBe('x');
  });

  it('with maxLength, cuts a megabyte title to at most that many code units, ending in …', () => {
    const title = plainText(`<b>${'标题'.repeat(500_000)}</b>`, { maxLength: MAX_TITLE_LENGTH });
    expect(title).toBe(`${'标题'.repeat(149)}标…`);
    expect(plainText('short', { maxLength: MAX_TITLE_LENGTH })).toBe('short');
    // The raw text is cut before cleaning, never inside a tag: no stray "<" at the end.
    expect(plainText(`${'<b>'.repeat(100_000)}x`, { maxLength: MAX_TITLE_LENGTH })).toBe('');
  });
});

describe('clipText', () => {
  it('leaves text that fits alone', () => {
    expect(clipText('x'.repeat(10), 10)).toBe('x'.repeat(10));
  });

  it('never splits a surrogate pair, a flag, a family emoji or a letter from its accents', () => {
    expect(clipText(`${'x'.repeat(8)}😀😀`, 10)).toBe(`${'x'.repeat(8)}…`);
    expect(clipText(`${'x'.repeat(5)}🇨🇳🇨🇳`, 10)).toBe(`${'x'.repeat(5)}🇨🇳…`);
    expect(clipText(`${'x'.repeat(6)}🇨🇳🇨🇳`, 10)).toBe(`${'x'.repeat(6)}…`);
    expect(clipText(`x👨‍👩‍👧 family`, 10)).toBe('x👨‍👩‍👧…');
    expect(clipText(`xx👨‍👩‍👧 family`, 10)).toBe('xx…');
    expect(clipText(`${'x'.repeat(7)}e\u0301\u0301 more`, 10)).toBe(`${'x'.repeat(7)}…`);
  });

  it('cuts a grapheme longer than the limit between code points, and drops trailing spaces before the …', () => {
    const zalgo = `a${'\u0301'.repeat(1000)}`;
    expect(clipText(zalgo, 10)).toBe(`a${'\u0301'.repeat(8)}…`);
    expect(clipText(`${'😀'.repeat(10)}`, 10)).toBe('😀😀😀😀…');
    expect(clipText(`abc    ${'d'.repeat(20)}`, 8)).toBe('abc…');
  });
});

describe('textToHtml', () => {
  it('escapes and makes paragraphs and line breaks', () => {
    expect(textToHtml('a < b & c > d\n第二行\n\n第二段')).toBe('<p>a &lt; b &amp; c &gt; d<br>第二行</p>\n<p>第二段</p>');
  });
});
