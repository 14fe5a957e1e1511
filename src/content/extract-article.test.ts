import { readFileSync } from 'node:fs';
import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import { describe, expect, it } from 'vitest';
import { ExtractError, extractArticle } from './extract-article.js';

type Node = DefaultTreeAdapterTypes.Node;

const NEWS = readFileSync(new URL('testdata/pages/news-article.html', import.meta.url), 'utf8');
const GBK_PAGE_TEXT = readFileSync(new URL('testdata/pages/gbk-article.html', import.meta.url), 'utf8');
const LOGIN = readFileSync(new URL('testdata/pages/login.html', import.meta.url), 'utf8');
const NEWS_URL = 'https://news.example.cn/tech/2024/0612/612345.html';

const ARTICLE_SENTENCES = [
  '今年前五个月，国内集成电路产量同比增长百分之二十八',
  '车规级芯片的需求尤为旺盛',
  '将在未来三年内投入超过两百亿元用于设备采购和技术研发',
  '完善人才培养体系，支持企业开展国际合作',
];
// Nav, search form, breadcrumb, sidebar, ads, comments and footer of news-article.html.
const PAGE_FURNITURE = [
  '时政频道',
  '搜索新闻',
  '侧栏热门',
  '广告位招租',
  '限时特惠',
  '网友评论',
  '用户甲',
  '提交评论',
  '版权所有',
  '京ICP备',
];

/** Text of the extracted HTML as a browser would show it, without markup. */
function textOf(html: string): string {
  const parts: string[] = [];
  const visit = (node: Node) => {
    if (node.nodeName === '#text') parts.push((node as DefaultTreeAdapterTypes.TextNode).value);
    if ('childNodes' in node) for (const child of node.childNodes) visit(child);
  };
  visit(parseFragment(html));
  return parts.join('');
}

/** The value of `attribute` on every `tag` in the HTML, in document order. */
function attributeValues(html: string, tag: string, attribute: string): string[] {
  const values: string[] = [];
  const visit = (node: Node) => {
    if ('tagName' in node && node.tagName === tag) {
      const value = node.attrs.find((attr) => attr.name === attribute)?.value;
      if (value !== undefined) values.push(value);
    }
    if ('childNodes' in node) for (const child of node.childNodes) visit(child);
  };
  visit(parseFragment(html));
  return values;
}

describe('extractArticle with Readability', () => {
  const article = extractArticle(NEWS, { url: NEWS_URL });

  it('keeps the article paragraphs and none of the page around them', () => {
    const text = textOf(article!.html);
    for (const sentence of ARTICLE_SENTENCES) expect(text).toContain(sentence);
    for (const furniture of PAGE_FURNITURE) expect(text).not.toContain(furniture);
  });

  it("leaves out Readability's own page wrapper", () => {
    expect(article!.html).not.toMatch(/readability-page/i);
  });

  it('promotes lazy sources and makes image and link URLs absolute against <base href>', () => {
    expect(attributeValues(article!.html, 'img', 'src')).toEqual([
      'https://news.example.cn/news/2024/images/fab-line.jpg',
      'https://img.example-cdn.cn/pic/2024/capacity-chart.png',
      'https://news.example.cn/news/2024/charts/export.png',
    ]);
    expect(attributeValues(article!.html, 'img', 'srcset')).toEqual([
      'https://news.example.cn/news/2024/charts/export.png 1x, https://news.example.cn/news/2024/charts/export@2x.png 2x',
    ]);
    expect(attributeValues(article!.html, 'a', 'href')).toEqual(['https://news.example.cn/news/reports/ic-2024-05.html']);
    expect(article!.baseUrl).toBe('https://news.example.cn/news/2024/');
  });

  it('takes the title and the og:image, absolute against the page URL', () => {
    expect(article!.title).toBe('国产芯片产能再创新高，多家厂商扩建晶圆厂');
    expect(article!.image).toBe('https://news.example.cn/static/og/chip-cover.jpg');
  });

  it('falls back to twitter:image, and gives "" when no image is http(s)', () => {
    const withoutOg = NEWS.replace(/<meta property="og:image"[^>]*>/, '');
    expect(extractArticle(withoutOg, { url: NEWS_URL })!.image).toBe('https://img.example-cdn.cn/twitter/chip.jpg');
    const scriptImages = NEWS.replace(/(<meta (?:property|name)="(?:og|twitter):image" content=")[^"]*/g, '$1javascript:alert(1)');
    expect(extractArticle(scriptImages, { url: NEWS_URL })!.image).toBe('');
  });

  it('reads og:image from name= and resolves against the page URL without a <base>', () => {
    const gbkPage = extractArticle(GBK_PAGE_TEXT, { url: 'http://www.example.gov.cn/city/2024/0423/88.shtml' });
    expect(gbkPage!.image).toBe('http://www.example.gov.cn/uploads/2024/reading-festival.jpg');
    expect(gbkPage!.baseUrl).toBe('http://www.example.gov.cn/city/2024/0423/88.shtml');
    expect(textOf(gbkPage!.html)).toContain('今年还将新增二十个城市书房');
    expect(textOf(gbkPage!.html)).not.toContain('网站首页');
    expect(textOf(gbkPage!.html)).not.toContain('主办单位');
  });

  it('finds the article in a page that omits <html>, <head> and <body>', () => {
    const paragraph = `<p>${'市图书馆今天发布了年度借阅报告，数字阅读人数首次超过纸质阅读。'.repeat(8)}</p>`;
    const page = `<!DOCTYPE html><meta charset="utf-8"><title>借阅报告</title><p>${paragraph}<img src="/r.png">`;
    const result = extractArticle(page, { url: 'https://lib.example.cn/news/1.html' });
    expect(textOf(result!.html)).toContain('数字阅读人数首次超过纸质阅读');
    expect(attributeValues(result!.html, 'img', 'src')).toEqual(['https://lib.example.cn/r.png']);
    expect(result!.title).toBe('借阅报告');
  });

  it('finds no article in a login form, an empty body or no markup at all', () => {
    expect(extractArticle(LOGIN, { url: 'https://news.example.cn/login' })).toBeNull();
    expect(extractArticle('<!DOCTYPE html><html><head><title>空</title></head><body>  </body></html>', { url: NEWS_URL })).toBeNull();
    expect(extractArticle('', { url: NEWS_URL })).toBeNull();
  });
});

describe('extractArticle with a selector', () => {
  it('returns what the selected element holds, with absolute URLs', () => {
    const article = extractArticle(NEWS, { url: NEWS_URL, selector: 'article .article-body' });
    const text = textOf(article!.html);
    for (const sentence of ARTICLE_SENTENCES) expect(text).toContain(sentence);
    // The selected element itself is not part of the result, and nothing outside it is.
    expect(article!.html).not.toContain('article-body');
    expect(text).not.toContain('记者 王小明');
    expect(attributeValues(article!.html, 'img', 'src')[0]).toBe('https://news.example.cn/news/2024/images/fab-line.jpg');
    expect(article!.title).toBe('国产芯片产能再创新高，多家厂商扩建晶圆厂');
    expect(article!.image).toBe('https://news.example.cn/static/og/chip-cover.jpg');
  });

  it('joins every match in document order, and does not repeat a match inside another', () => {
    const page = `<html><head><title>分页文章</title></head><body>
      <div class="part">第一部分<div class="part">嵌套部分</div></div><aside>侧栏</aside><div class="part">第二部分</div>
    </body></html>`;
    const article = extractArticle(page, { url: 'https://example.cn/a', selector: '.part' });
    const text = textOf(article!.html);
    expect(text.indexOf('第一部分')).toBeLessThan(text.indexOf('第二部分'));
    expect(text.match(/嵌套部分/g)).toHaveLength(1);
    expect(text).not.toContain('侧栏');
    expect(article!.title).toBe('分页文章');
  });

  it('gives null when the selector matches nothing, or only empty elements', () => {
    expect(extractArticle(NEWS, { url: NEWS_URL, selector: '#no-such-element' })).toBeNull();
    expect(extractArticle('<html><body><div class="c"> <br> </div></body></html>', { url: NEWS_URL, selector: '.c' })).toBeNull();
  });

  it('keeps an image-only match', () => {
    const article = extractArticle('<html><body><div class="c"><img src="p.jpg"></div></body></html>', {
      url: 'https://example.cn/x/',
      selector: '.c',
    });
    expect(attributeValues(article!.html, 'img', 'src')).toEqual(['https://example.cn/x/p.jpg']);
  });

  it('throws an ExtractError naming an invalid selector', () => {
    expect(() => extractArticle(NEWS, { url: NEWS_URL, selector: 'div[' })).toThrow(ExtractError);
    expect(() => extractArticle(NEWS, { url: NEWS_URL, selector: 'div[' })).toThrow(/selector "div\[" is not a valid CSS selector/);
  });
});
