import { describe, expect, it } from 'vitest';
import { plainText, textToHtml } from './text.js';

describe('plainText', () => {
  it.each([
    ['inline tags are dropped without adding spaces', '海上风电运维机器人完成 <b>首次</b> 实地测试', '海上风电运维机器人完成 首次 实地测试'],
    ['inline tags inside words', '<a href="/x">上海</a>发布<em>通知</em>', '上海发布通知'],
    ['line-breaking tags stand for one space', '第一行<br>第二行<br/>第三行', '第一行 第二行 第三行'],
    ['block tags and the spaces around them collapse to one', '<p>甲</p>\n<p>乙</p> <div> 丙 </div>', '甲 乙 丙'],
    ['comments are dropped', 'a<!-- x -->b', 'ab'],
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
});

describe('textToHtml', () => {
  it('escapes and makes paragraphs and line breaks', () => {
    expect(textToHtml('a < b & c > d\n第二行\n\n第二段')).toBe('<p>a &lt; b &amp; c &gt; d<br>第二行</p>\n<p>第二段</p>');
  });
});
