import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import { describe, expect, it } from 'vitest';
import { cleanHtml, MAX_ELEMENTS, type CleanOptions } from './clean.js';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const BASE = 'https://example.com/news/2022/story.html';
const OPTIONS: CleanOptions = { baseUrl: BASE, images: { referrerPolicy: 'no-referrer', lazy: true } };

function clean(html: string, options: Partial<CleanOptions> = {}): string {
  return cleanHtml(html, { ...OPTIONS, ...options }).html;
}

// ---- parse5 helpers: every assertion about structure reads the output the way a browser would ----

function elementsOf(html: string): Element[] {
  const out: Element[] = [];
  const visit = (node: Node) => {
    if ('tagName' in node) out.push(node as Element);
    if ('childNodes' in node) for (const child of node.childNodes) visit(child);
    // <template> keeps its children in a separate fragment
    if ('content' in node && node.content) visit(node.content as Node);
  };
  visit(parseFragment(html));
  return out;
}

function tagsOf(html: string): string[] {
  return elementsOf(html).map((element) => element.tagName);
}

function attr(element: Element | undefined, name: string): string | undefined {
  return element?.attrs.find((attribute) => attribute.name === name)?.value;
}

function only(html: string, tag: string): Element {
  const found = elementsOf(html).filter((element) => element.tagName === tag);
  expect(found, `exactly one <${tag}> in ${html}`).toHaveLength(1);
  return found[0]!;
}

function nth(html: string, tag: string, index: number): Element {
  const found = elementsOf(html).filter((element) => element.tagName === tag)[index];
  expect(found, `<${tag}> number ${index + 1} in ${html}`).toBeDefined();
  return found!;
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}

function textOfHtml(html: string): string {
  return textOf(parseFragment(html));
}

function commentsOf(html: string): number {
  let count = 0;
  const visit = (node: Node) => {
    if (node.nodeName === '#comment') count++;
    if ('childNodes' in node) for (const child of node.childNodes) visit(child);
  };
  visit(parseFragment(html));
  return count;
}

/** Every attribute of every element of the output, as `name=value`. */
function allAttributes(html: string): string[] {
  return elementsOf(html).flatMap((element) => element.attrs.map((a) => `${a.name}=${a.value}`));
}

/** What Hexo must never see in a post body. */
function expectHexoSafe(html: string): void {
  expect(html).not.toMatch(/\{[{%#]/);
  expect(html).not.toMatch(/[{}]/);
  expect(html).not.toMatch(/\n[ \t\f\r]*\n/);
  expect(html).not.toMatch(/^[ \t\f\r]*\n/);
}

// ----------------------------------------------------------------------------------------------------

describe('removal of active content', () => {
  it('drops <script> and <style> with their content, keeps the text around them', () => {
    const html = clean('<p>before<script>alert(1)</script>middle<style>p{color:red}</style>after</p>');
    expect(tagsOf(html)).toEqual(['p']);
    expect(textOfHtml(html)).toBe('beforemiddleafter');
    expect(html).not.toMatch(/alert|color/);
  });

  it('drops style and every on* event handler attribute', () => {
    const html = clean(
      '<p style="color:red" onclick="a()" onmouseover="b()" ONLOAD="c()" class="keep">x</p><img src="/a.jpg" onerror="d()" style="x">',
    );
    const attributes = allAttributes(html);
    expect(attributes.some((a) => /^on/i.test(a))).toBe(false);
    expect(attributes.some((a) => a.startsWith('style='))).toBe(false);
    expect(attr(only(html, 'p'), 'class')).toBe('keep');
    expect(attr(only(html, 'img'), 'src')).toBe('https://example.com/a.jpg');
  });

  const DANGEROUS_URLS = [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'jav&#x09;ascript:alert(1)',
    'jav&#x0A;ascript:alert(1)',
    'jav&#x0D;ascript:alert(1)',
    'jav\tascript:alert(1)',
    '   javascript:alert(1)',
    '&#x01;&#x02; javascript:alert(1)',
    '\u0001javascript:alert(1)',
    '&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)',
    '&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)',
    '&#x6A;avascript&colon;alert(1)',
    'javascript&#58;alert(1)',
    'vbscript:msgbox(1)',
    'VBScript:msgbox(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'DATA:text/html,<script>alert(1)</script>',
    ' data:text/html,x',
    'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
  ];

  it.each(DANGEROUS_URLS)('removes the URL %j from href, src, poster and cite', (url) => {
    const html = clean(
      `<a href="${url}">link</a><img src="${url}" alt="i"><video src="${url}" poster="${url}"></video>` +
        `<blockquote cite="${url}">q</blockquote><iframe src="${url}"></iframe>`,
    );
    const attributes = allAttributes(html);
    for (const attribute of attributes) {
      expect(attribute).not.toMatch(/script|data:/i);
    }
    expect(html.toLowerCase()).not.toMatch(/javascript|vbscript|data:/);
    // The link keeps its text, only loses its href.
    expect(attr(only(html, 'a'), 'href')).toBeUndefined();
    expect(textOfHtml(html)).toContain('link');
    // An image whose only source is unsafe is no image at all.
    expect(tagsOf(html)).not.toContain('img');
    expect(tagsOf(html)).not.toContain('iframe');
  });

  it('also removes unsafe URLs from srcset candidates', () => {
    const html = clean('<img src="/a.jpg" srcset="javascript:alert(1) 1x, /b.jpg 2x, data:text/html,x 3x">');
    expect(attr(only(html, 'img'), 'srcset')).toBe('https://example.com/b.jpg 2x');
  });

  it('removes <form> and its controls; the text inside a form stays', () => {
    const html = clean(
      '<form action="https://evil.example/steal" method="post"><p>Sign in</p><input name="pw" type="password"><button>Go</button><select><option>a</option></select><textarea>t</textarea></form>',
    );
    expect(tagsOf(html)).toEqual(['p']);
    expect(html).not.toMatch(/evil|action|<input|<button|<select|<textarea/);
    expect(textOfHtml(html)).toBe('Sign in');
  });

  it('removes <iframe> from hosts that are not allowlisted', () => {
    for (const src of ['https://evil.example/embed', 'https://www.youtube.com.evil.example/embed/x', '//evil.example/x', '/local/frame']) {
      const html = clean(`<p>a</p><iframe src="${src}"></iframe><p>b</p>`);
      expect(tagsOf(html), src).toEqual(['p', 'p']);
    }
    expect(tagsOf(clean('<iframe srcdoc="<script>alert(1)</script>"></iframe>'))).toEqual([]);
  });

  it('drops or completes the elements that need attributes even when they come with none', () => {
    expect(clean('<p>a</p><img><iframe></iframe>')).toBe('<p>a</p>');
    expect(clean('<video></video><audio></audio>')).toBe('<video controls=""></video><audio controls=""></audio>');
    expect(clean('<p><a>b</a><em>c</em></p>')).toBe('<p><a>b</a><em>c</em></p>');
  });

  it.each([
    ['YouTube', 'https://www.youtube.com/embed/dQw4w9WgXcQ', 'https://www.youtube.com/embed/dQw4w9WgXcQ'],
    ['YouTube (no cookie, protocol-relative)', '//www.youtube-nocookie.com/embed/x', 'https://www.youtube-nocookie.com/embed/x'],
    ['Vimeo', 'https://player.vimeo.com/video/76979871', 'https://player.vimeo.com/video/76979871'],
    [
      'Bilibili',
      '//player.bilibili.com/player.html?bvid=BV1xx411c7mD&page=1',
      'https://player.bilibili.com/player.html?bvid=BV1xx411c7mD&page=1',
    ],
  ])('keeps a %s embed, sandboxed, sending only the origin as referrer', (_name, src, expected) => {
    const html = clean(`<iframe src="${src}" width="560" height="315" allowfullscreen onload="x()" srcdoc="y"></iframe>`);
    const iframe = only(html, 'iframe');
    expect(attr(iframe, 'src')).toBe(expected);
    expect(attr(iframe, 'sandbox')).toBe('allow-scripts allow-same-origin allow-presentation');
    expect(attr(iframe, 'referrerpolicy')).toBe('strict-origin-when-cross-origin');
    expect(attr(iframe, 'width')).toBe('560');
    expect(attr(iframe, 'onload')).toBeUndefined();
    expect(attr(iframe, 'srcdoc')).toBeUndefined();
  });

  it.each(['base', 'meta', 'link'])('removes <%s>', (tag) => {
    const html = clean(
      `<${tag} href="https://evil.example/" http-equiv="refresh" content="0;url=https://evil.example/" rel="stylesheet"><p>x</p>`,
    );
    expect(tagsOf(html)).toEqual(['p']);
    expect(html).not.toContain('evil');
  });

  it('removes <object>, <embed>, <applet> and <param> with everything inside', () => {
    const html = clean(
      '<object data="https://evil.example/x.swf"><param name="movie" value="x.swf"><p>fallback</p></object><embed src="https://evil.example/x.swf"><p>kept</p>',
    );
    expect(tagsOf(html)).toEqual(['p']);
    expect(textOfHtml(html)).toBe('kept');
    expect(html).not.toContain('evil');
  });

  it('removes <svg> and <math>, scripts and all', () => {
    const html = clean(
      '<p>a</p><svg onload="alert(1)"><script>alert(2)</script><a xlink:href="javascript:alert(3)"><text>t</text></a><foreignObject><img src=x onerror=alert(4)></foreignObject></svg>' +
        '<math><mtext><table><mglyph><style><img src=x onerror=alert(5)></style></mglyph></table></mtext><maction actiontype="statusline" xlink:href="javascript:alert(6)">m</maction></math><p>b</p>',
    );
    expect(tagsOf(html)).toEqual(['p', 'p']);
    expect(html).not.toMatch(/alert|svg|math|script/i);
  });

  it('removes <template> with its content, and keeps what <noscript> holds (the fallback readers should see), cleaned', () => {
    const html = clean(
      '<p>a</p><noscript><p>enable js</p><img src="/n.jpg" onerror="x()"><script>y()</script></noscript><template><p>t</p><script>x()</script></template><p>b</p>',
    );
    expect(tagsOf(html)).toEqual(['p', 'p', 'img', 'p']);
    expect(textOfHtml(html)).toBe('aenable jsb');
    expect(html).not.toMatch(/noscript|template|onerror|script/);
  });

  it('removes comments, including <!-- more --> and conditional comments', () => {
    const html = clean('<p>a<!-- secret --></p><!-- more --><!--[if IE]><script>x()</script><![endif]--><p>b<!--more--></p>');
    expect(commentsOf(html)).toBe(0);
    expect(html).not.toMatch(/<!--|more|secret|script/);
    expect(textOfHtml(html)).toBe('ab');
  });

  it('unwraps unknown wrappers (form-less label, custom elements) and keeps their text', () => {
    const html = clean('<p><x-font color="red">red <b>bold</b></x-font> text</p><label>l</label><my-widget data-x="1">custom</my-widget>');
    expect(tagsOf(html)).toEqual(['p', 'b']);
    expect(textOfHtml(html)).toBe('red bold textlcustom');
    expect(html).not.toMatch(/font|label|color|my-widget/);
  });

  it('keeps obsolete presentational elements browsers still honour (font, center, big), acronym as abbr', () => {
    const html = clean(
      '<center><p><font color="red" face="Georgia, serif" size="+1">red <big>big</big></font> <acronym title="World Wide Web">WWW</acronym></p></center>',
    );
    expect(tagsOf(html)).toEqual(['center', 'p', 'font', 'big', 'abbr']);
    expect(only(html, 'font').attrs).toEqual([
      { name: 'color', value: 'red' },
      { name: 'face', value: 'Georgia, serif' },
      { name: 'size', value: '+1' },
    ]);
    expect(only(html, 'abbr').attrs).toEqual([{ name: 'title', value: 'World Wide Web' }]);
  });

  it('writes obsolete lists and listings as their modern equivalent (menu/dir → ul, listing → pre)', () => {
    const html = clean('<menu><li>m</li></menu><dir><li>d</li></dir><listing>x  y</listing>');
    expect(tagsOf(html)).toEqual(['ul', 'li', 'ul', 'li', 'pre']);
    expect(html).not.toMatch(/menu|dir|listing/);
  });

  it('keeps legacy colours, sizes, faces and numbers only in their own form: nothing else rides in on them', () => {
    const html = clean(
      '<table bgcolor="#ffcc00" border="1" cellpadding="4" cellspacing="0" summary="Prices"><tr bgcolor="red;background:url(http://x/)">' +
        '<td bgcolor="LightBlue" nowrap valign="top" align="right">1</td></tr></table>' +
        '<font color="expression(alert(1))" face="x\'><script>" size="9">f</font><meter value="0.6" min="0" max="1">60%</meter>' +
        '<progress value="javascript:1" max="100">?</progress>',
    );
    expect(only(html, 'table').attrs.map((a) => `${a.name}=${a.value}`)).toEqual([
      'bgcolor=#ffcc00',
      'border=1',
      'cellpadding=4',
      'cellspacing=0',
      'summary=Prices',
    ]);
    expect(only(html, 'tr').attrs).toEqual([]);
    expect(only(html, 'td').attrs.map((a) => `${a.name}=${a.value}`)).toEqual([
      'bgcolor=LightBlue',
      'nowrap=',
      'valign=top',
      'align=right',
    ]);
    expect(only(html, 'font').attrs).toEqual([]);
    expect(only(html, 'meter').attrs.map((a) => `${a.name}=${a.value}`)).toEqual(['value=0.6', 'min=0', 'max=1']);
    expect(only(html, 'progress').attrs.map((a) => `${a.name}=${a.value}`)).toEqual(['max=100']);
  });

  it('keeps old-style anchors and image maps, their names prefixed like ids and their links checked', () => {
    const html = clean(
      '<p><a href="#fn1">1</a></p><p><a name="fn1">Note</a></p><img src="/m.png" usemap="#nav" hspace="4" vspace="2" border="0" align="left">' +
        '<map name="nav"><area shape="rect" coords="0,0,10,10" href="/home" alt="Home"><area href="javascript:alert(1)" alt="x"></map><br clear="all">',
    );
    expect(nth(html, 'a', 1).attrs).toEqual([{ name: 'name', value: 'user-content-fn1' }]);
    expect(nth(html, 'a', 0).attrs.find((a) => a.name === 'href')?.value).toBe('#user-content-fn1');
    expect(only(html, 'img').attrs.find((a) => a.name === 'usemap')?.value).toBe('#user-content-nav');
    expect(only(html, 'map').attrs).toEqual([{ name: 'name', value: 'user-content-nav' }]);
    expect(nth(html, 'area', 0).attrs).toEqual([
      { name: 'shape', value: 'rect' },
      { name: 'coords', value: '0,0,10,10' },
      { name: 'href', value: 'https://example.com/home' },
      { name: 'alt', value: 'Home' },
      { name: 'rel', value: 'noopener noreferrer' },
    ]);
    expect(nth(html, 'area', 1).attrs).toEqual([{ name: 'alt', value: 'x' }]);
    expect(only(html, 'br').attrs).toEqual([{ name: 'clear', value: 'all' }]);
  });

  it('keeps hidden, so that what the author hid stays hidden', () => {
    const html = clean('<p>shown</p><p hidden>spoiler</p><div hidden="until-found">later</div>');
    expect(nth(html, 'p', 1).attrs).toEqual([{ name: 'hidden', value: '' }]);
    expect(only(html, 'div').attrs).toEqual([{ name: 'hidden', value: 'until-found' }]);
  });

  it('drops attributes that are not allowlisted but keeps the allowlisted ones', () => {
    const html = clean('<a href="/x" target="_blank" id="i" data-track="t" title="T" hreflang="en">x</a><td colspan="2">c</td>');
    const a = only(html, 'a');
    expect(a.attrs.map((x) => x.name).sort()).toEqual(['href', 'hreflang', 'id', 'rel', 'title']);
  });

  it("keeps ids prefixed, so footnotes work and content cannot clobber the page's own ids", () => {
    const html = clean(
      '<p>text<sup><a href="#fn1" id="ref1">1</a></sup></p><ol><li id="fn1">note <a href="#ref1">↩</a></li></ol><p id="bad id">x</p>',
    );
    expect(
      elementsOf(html)
        .filter((e) => attr(e, 'id'))
        .map((e) => attr(e, 'id')),
    ).toEqual(['user-content-ref1', 'user-content-fn1']);
    expect(
      elementsOf(html)
        .filter((e) => e.tagName === 'a')
        .map((a) => attr(a, 'href')),
    ).toEqual(['#user-content-fn1', '#user-content-ref1']);
    expect(clean(html)).toBe(html); // cleaning twice prefixes once
  });
});

describe('URLs', () => {
  it.each([
    ['relative', 'img/a.jpg', 'https://example.com/news/2022/img/a.jpg'],
    ['root-relative', '/img/a.jpg', 'https://example.com/img/a.jpg'],
    ['protocol-relative', '//cdn.example.net/a.jpg', 'https://cdn.example.net/a.jpg'],
    ['parent', '../a.jpg', 'https://example.com/news/a.jpg'],
    ['parent past the root', '../../../../a.jpg', 'https://example.com/a.jpg'],
    ['query only', '?page=2', 'https://example.com/news/2022/story.html?page=2'],
    ['already absolute', 'http://other.example/a.jpg', 'http://other.example/a.jpg'],
    ['with spaces around', '  /a.jpg  ', 'https://example.com/a.jpg'],
  ])('makes a %s URL absolute against the base', (_name, url, expected) => {
    const html = clean(`<a href="${url}">l</a><img src="${url}">`);
    expect(attr(only(html, 'a'), 'href')).toBe(expected);
    expect(attr(only(html, 'img'), 'src')).toBe(expected);
  });

  it('makes video, audio, source, track, poster and cite URLs absolute', () => {
    const html = clean(
      '<video src="v.mp4" poster="/p.jpg"><source src="v.webm" type="video/webm"><track src="s.vtt" kind="subtitles"></video>' +
        '<audio src="../a.mp3"></audio><blockquote cite="/q">q</blockquote><q cite="//x.example/c">c</q>',
    );
    const [video, source, track, audio, blockquote, q] = ['video', 'source', 'track', 'audio', 'blockquote', 'q'].map((t) => only(html, t));
    expect(attr(video, 'src')).toBe('https://example.com/news/2022/v.mp4');
    expect(attr(video, 'poster')).toBe('https://example.com/p.jpg');
    expect(attr(source, 'src')).toBe('https://example.com/news/2022/v.webm');
    expect(attr(track, 'src')).toBe('https://example.com/news/2022/s.vtt');
    expect(attr(audio, 'src')).toBe('https://example.com/news/a.mp3');
    expect(attr(blockquote, 'cite')).toBe('https://example.com/q');
    expect(attr(q, 'cite')).toBe('https://x.example/c');
  });

  it('makes every srcset candidate absolute and keeps its descriptor', () => {
    const html = clean('<img src="a.jpg" srcset="a-300.jpg 300w, /a-600.jpg 600w,//cdn.example.net/a-900.jpg 900w">');
    expect(attr(only(html, 'img'), 'srcset')).toBe(
      'https://example.com/news/2022/a-300.jpg 300w, https://example.com/a-600.jpg 600w, https://cdn.example.net/a-900.jpg 900w',
    );
    const picture = clean('<picture><source srcset="b.webp 1x, b@2x.webp 2x" type="image/webp"><img src="b.jpg"></picture>');
    expect(attr(only(picture, 'source'), 'srcset')).toBe(
      'https://example.com/news/2022/b.webp 1x, https://example.com/news/2022/b@2x.webp 2x',
    );
  });

  it('keeps srcset URLs that contain commas (Cloudinary-style transformations) whole', () => {
    const html = clean(
      '<img src="a.jpg" srcset="https://res.cloudinary.com/demo/image/upload/w_300,h_200,c_fill/a.jpg 300w, https://res.cloudinary.com/demo/image/upload/w_600,h_400,c_fill/a.jpg 600w">',
    );
    expect(attr(only(html, 'img'), 'srcset')).toBe(
      'https://res.cloudinary.com/demo/image/upload/w_300,h_200,c_fill/a.jpg 300w, https://res.cloudinary.com/demo/image/upload/w_600,h_400,c_fill/a.jpg 600w',
    );
  });

  it('leaves in-page #anchor links relative, pointing at the prefixed ids', () => {
    const html = clean('<a href="#section-2">jump</a><a href="  #top">top</a>');
    expect(elementsOf(html).map((a) => attr(a, 'href'))).toEqual(['#user-content-section-2', '#user-content-top']);
  });

  it('keeps mailto: and tel: links, drops other schemes from links', () => {
    const html = clean(
      '<a href="mailto:a@example.com">m</a><a href="tel:+123">t</a><a href="ftp://x.example/f">f</a><a href="file:///etc/passwd">p</a>',
    );
    expect(elementsOf(html).map((a) => attr(a, 'href'))).toEqual(['mailto:a@example.com', 'tel:+123', undefined, undefined]);
  });

  it('gives every link rel="noopener noreferrer", replacing any rel the feed set', () => {
    const html = clean('<a href="https://x.example/" rel="opener">x</a><a href="/y">y</a>');
    for (const a of elementsOf(html)) expect(attr(a, 'rel')).toBe('noopener noreferrer');
  });

  it('drops relative URLs when there is no base to resolve them against', () => {
    const html = clean('<a href="/x">x</a><img src="/a.jpg"><img src="https://ok.example/b.jpg">', { baseUrl: '' });
    expect(attr(only(html, 'a'), 'href')).toBeUndefined();
    expect(attr(only(html, 'img'), 'src')).toBe('https://ok.example/b.jpg');
  });
});

describe('images', () => {
  const GIF = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

  it.each(['data-src', 'data-original', 'data-lazy-src'])('promotes %s over a data: GIF placeholder', (name) => {
    const { html, leadImage } = cleanHtml(`<img src="${GIF}" ${name}="/real.jpg" alt="a">`, OPTIONS);
    const img = only(html, 'img');
    expect(attr(img, 'src')).toBe('https://example.com/real.jpg');
    expect(attr(img, name)).toBeUndefined();
    expect(leadImage).toBe('https://example.com/real.jpg');
  });

  it.each(['/images/blank.gif', 'https://example.com/wp-content/themes/t/img/placeholder.png', 'spacer.gif', 'lazy.png'])(
    'promotes data-src over the placeholder file %s',
    (placeholder) => {
      const img = only(clean(`<img src="${placeholder}" data-src="https://cdn.example.net/real.jpg">`), 'img');
      expect(attr(img, 'src')).toBe('https://cdn.example.net/real.jpg');
    },
  );

  it('uses a lazy source when there is no src at all', () => {
    expect(attr(only(clean('<img data-original="/r.jpg">'), 'img'), 'src')).toBe('https://example.com/r.jpg');
    expect(attr(only(clean('<img src="" data-src="/r.jpg">'), 'img'), 'src')).toBe('https://example.com/r.jpg');
  });

  it('does not promote a lazy source over a real src', () => {
    const img = only(clean('<img src="https://example.com/real.jpg" data-src="https://example.com/other.jpg">'), 'img');
    expect(attr(img, 'src')).toBe('https://example.com/real.jpg');
  });

  it('promotes a lazy srcset together with the lazy src', () => {
    const img = only(clean(`<img src="${GIF}" data-src="/r.jpg" data-srcset="/r-2x.jpg 2x">`), 'img');
    expect(attr(img, 'src')).toBe('https://example.com/r.jpg');
    expect(attr(img, 'srcset')).toBe('https://example.com/r-2x.jpg 2x');
  });

  it('gives every <img> referrerpolicy="no-referrer" and loading="lazy", overriding the feed', () => {
    const html = clean('<img src="/a.jpg" referrerpolicy="unsafe-url" loading="eager"><p><img src="/b.jpg"></p>');
    const images = elementsOf(html).filter((e) => e.tagName === 'img');
    expect(images).toHaveLength(2);
    for (const img of images) {
      expect(attr(img, 'referrerpolicy')).toBe('no-referrer');
      expect(attr(img, 'loading')).toBe('lazy');
    }
  });

  it("writes neither on images when the options say '' and false; embeds keep their own policy", () => {
    const html = clean(
      '<img src="/a.jpg" referrerpolicy="unsafe-url" loading="eager"><iframe src="https://www.youtube.com/embed/x"></iframe>',
      {
        images: { referrerPolicy: '', lazy: false },
      },
    );
    const img = only(html, 'img');
    expect(attr(img, 'referrerpolicy')).toBeUndefined();
    expect(attr(img, 'loading')).toBeUndefined();
    expect(attr(only(html, 'iframe'), 'referrerpolicy')).toBe('strict-origin-when-cross-origin');
  });

  it('writes the configured referrer policy', () => {
    const html = clean('<img src="/a.jpg">', { images: { referrerPolicy: 'same-origin', lazy: true } });
    expect(attr(only(html, 'img'), 'referrerpolicy')).toBe('same-origin');
  });

  it.each([
    ['width="1" height="1"', '<img src="https://example.com/t.gif" width="1" height="1">'],
    ['1px', '<img src="https://example.com/t.gif" width="1px" height="1px">'],
    ['0×0', '<img src="https://example.com/t.gif" width="0" height="0">'],
    ['1×1 by style', '<img src="https://example.com/t.gif" style="width:1px;height:1px">'],
    ['feedburner /~r/', '<img src="https://feeds.feedburner.com/~r/Example/~4/AbCdEf" height="1" width="1" alt="">'],
    ['feedburner path on another host', '<img src="https://feedproxy.example.com/~r/Example/~4/AbCdEf">'],
    ['stats.wordpress.com', '<img src="https://stats.wordpress.com/b.gif?host=example.com&blog=1&post=2">'],
    ['pixel.wp.com', '<img src="https://pixel.wp.com/b.gif?v=1">'],
    ['Google Analytics', '<img src="https://www.google-analytics.com/collect?v=1&tid=UA-1">'],
  ])('removes a tracking pixel (%s)', (_name, pixel) => {
    const { html, leadImage } = cleanHtml(`<p>text${pixel}</p>`, OPTIONS);
    expect(tagsOf(html)).toEqual(['p']);
    expect(textOfHtml(html)).toBe('text');
    expect(leadImage).toBe('');
  });

  it('keeps images that are only thin in one direction when they are not pixels', () => {
    expect(tagsOf(clean('<img src="/wide.jpg" width="600" height="300">'))).toEqual(['img']);
    expect(tagsOf(clean('<img src="/pct.jpg" width="100%">'))).toEqual(['img']);
  });

  it.each([
    ['no src', '<img alt="nothing">'],
    ['empty src', '<img src="" alt="nothing">'],
    ['whitespace src', '<img src="   ">'],
    ['javascript src', '<img src="javascript:alert(1)">'],
    ['svg data URL', '<img src="data:image/svg+xml,<svg onload=alert(1)>">'],
    ['html data URL', '<img src="data:text/html,<script>alert(1)</script>">'],
    ['empty lazy source', '<img data-src="  ">'],
  ])('removes an image without a usable source (%s)', (_name, image) => {
    const { html, leadImage } = cleanHtml(`<p>a${image}b</p>`, OPTIONS);
    expect(tagsOf(html)).toEqual(['p']);
    expect(textOfHtml(html)).toBe('ab');
    expect(leadImage).toBe('');
  });

  it('keeps raster data: images in <img>', () => {
    const { html, leadImage } = cleanHtml(`<img src="${GIF}" width="20" height="20">`, OPTIONS);
    expect(attr(only(html, 'img'), 'src')).toBe(GIF);
    expect(leadImage).toBe('');
  });

  describe('leadImage', () => {
    it('is the first image, absolute', () => {
      expect(cleanHtml('<p>x</p><img src="/first.jpg"><img src="/second.jpg">', OPTIONS).leadImage).toBe('https://example.com/first.jpg');
    });

    it('skips a tracking pixel that comes first', () => {
      const { leadImage } = cleanHtml(
        '<img src="https://feeds.feedburner.com/~r/x/~4/y" width="1" height="1"><img src="https://example.com/t.gif" width="1" height="1"><img src="/real.jpg">',
        OPTIONS,
      );
      expect(leadImage).toBe('https://example.com/real.jpg');
    });

    it('skips data: images', () => {
      expect(cleanHtml(`<img src="${GIF}" width="50"><img src="/real.jpg">`, OPTIONS).leadImage).toBe('https://example.com/real.jpg');
    });

    it('uses a promoted lazy source', () => {
      expect(cleanHtml(`<img src="${GIF}" data-src="/lazy.jpg">`, OPTIONS).leadImage).toBe('https://example.com/lazy.jpg');
    });

    it('ignores images inside dropped content', () => {
      expect(
        cleanHtml('<svg><image href="/s.jpg"/></svg><template><img src="/t.jpg"></template><img src="/real.jpg">', OPTIONS).leadImage,
      ).toBe('https://example.com/real.jpg');
    });

    it('shows a lazy image once when its <noscript> copy follows it, and a <noscript> image of its own', () => {
      const { html, leadImage, remoteImages } = cleanHtml(
        '<img class="lazy" src="/placeholder.gif" data-src="/a.jpg"><noscript><img src="/a.jpg"></noscript><noscript><img src="/b.jpg"></noscript>',
        OPTIONS,
      );
      expect(elementsOf(html).map((element) => attr(element, 'src'))).toEqual(['https://example.com/a.jpg', 'https://example.com/b.jpg']);
      expect(leadImage).toBe('https://example.com/a.jpg');
      expect(remoteImages).toEqual(['https://example.com/a.jpg', 'https://example.com/b.jpg']);
    });

    it('is "" when there is no image', () => {
      expect(cleanHtml('<p>just text</p>', OPTIONS).leadImage).toBe('');
    });

    it.each([
      ['a small image (declared size)', '<img src="/small.jpg" width="80" height="60">'],
      ['a small image (inline style)', '<img src="/small.jpg" style="width: 48px">'],
      ['a WordPress smiley', '<img class="wp-smiley" src="/wp-includes/images/smilies/simple-smile.png">'],
      ['a core emoji', '<img src="https://s.w.org/images/core/emoji/14.0.0/72x72/1f600.png" alt="😀">'],
      ['a twemoji', '<img class="emoji" src="/twemoji/2/72x72/1f44d.png" alt="👍">'],
      ['an emoji by alt text', '<img src="/e/1f44d.png" alt="👍🏽">'],
      ['an avatar', '<img class="avatar avatar-96 photo" src="/u/9.jpg">'],
      ['a gravatar', '<img src="https://secure.gravatar.com/avatar/abc?s=96">'],
      ['an icon path', '<img src="/static/icons/share-weibo.png">'],
      ['a logo', '<img src="/assets/site-logo.png">'],
    ])('skips %s', (_, decoration) => {
      const { html, leadImage } = cleanHtml(`<p>${decoration}</p><p>text</p><img src="/photo.jpg" width="640" height="360">`, OPTIONS);
      expect(leadImage).toBe('https://example.com/photo.jpg');
      expect(elementsOf(html).filter((e) => e.tagName === 'img')).toHaveLength(2); // still shown in the body
    });

    it('takes an image of unknown size, and words like "logo" only as whole words of the path', () => {
      expect(cleanHtml('<img src="/2024/catalogue-cover.jpg">', OPTIONS).leadImage).toBe('https://example.com/2024/catalogue-cover.jpg');
      expect(cleanHtml('<img src="/iconic-bridge.jpg" width="100" height="100">', OPTIONS).leadImage).toBe(
        'https://example.com/iconic-bridge.jpg',
      );
    });

    it('is "" when only decoration is left (the feed\'s own image is used then)', () => {
      expect(cleanHtml('<img src="/small.jpg" width="16" height="16"><img class="wp-smiley" src="/s.png">', OPTIONS).leadImage).toBe('');
    });
  });
});

describe('Hexo safety', () => {
  const NUNJUCKS = '{{ site.title }} {% raw %}x{% endraw %} {# note #} {{price}} {%if a%} }} %} #} { } {{{';

  it('never leaves {{, {% or {# (nor any raw brace) in text or attributes', () => {
    const html = clean(
      `<p title="${NUNJUCKS}">${NUNJUCKS}</p><a href="/q?x={{a}}" title="{#t#}">{%l%}</a><img src="/i.jpg" alt="{{alt}}"><pre>${NUNJUCKS}</pre>`,
    );
    expectHexoSafe(html);
    expect(html).toContain('&#123;&#123; site.title &#125;&#125;');
  });

  it('keeps text with braces exactly, as a browser reads it', () => {
    const text = 'a {{ b }} {% c %} {# d #} & < > " \' e';
    const html = clean(`<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`);
    expect(textOf(only(html, 'p'))).toBe(text);
    expect(attr(only(clean(`<p title="${text.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">x</p>`), 'p'), 'title')).toBe(text);
  });

  it('leaves no ``` or ~~~ code fence for the backtick_code_block filter Hexo runs before Markdown', () => {
    const input = '<p>Example:\n```js\nconst a = 1;\n```\nand\n~~~\nb\n~~~\n- ```\nc\n```</p><pre>```\nd\n```</pre>';
    const html = clean(input);
    expect(html).not.toMatch(/`|~~~/);
    // Hexo's own fence pattern (hexo/dist/plugins/filter/before_post_render/backtick_code_block.js), start only.
    expect(html).not.toMatch(/^((?:(?:[^\S\r\n]*>){0,3}|[-*+]|[0-9]+\.)[^\S\r\n]*)(`{3,}|~{3,})/m);
    expect(textOfHtml(html)).toBe(textOfHtml(input).replace(/^\n/, ''));
  });

  it('escapes &, < and > in text', () => {
    const html = clean('<p>AT&amp;T &lt;script&gt;alert(1)&lt;/script&gt; 1 &lt; 2 &gt; 0 &amp;amp;</p>');
    expect(html).toBe('<p>AT&amp;T &lt;script&gt;alert(1)&lt;/script&gt; 1 &lt; 2 &gt; 0 &amp;amp;</p>');
    expect(html).not.toContain('<script');
  });

  it('has no blank line, even where a dropped element sat between two line breaks', () => {
    const cases = [
      '<p>a</p>\n\n<p>b</p>',
      '<p>a</p>\n<script>x()</script>\n<p>b</p>',
      '<p>a</p>\n<!-- more -->\n<p>b</p>',
      '<p>a</p>\n  \t \n<p>b</p>',
      '<p>a</p>\r\n\r\n<p>b</p>',
      '<p>a</p>\r\n<style>x</style>\r\n<p>b</p>',
      '<p>a</p>\r\r<p>b</p>',
      '<p>a\n\n\nb</p>',
      '<p>a</p>\n<img src="/t.gif" width="1" height="1">\n<p>b</p>',
      '<p>a</p>\n<iframe src="https://evil.example/"></iframe>\n<p>b</p>',
      '\n\n<p>a</p>\n\n<p>b</p>\n\n',
      '<ul>\n<li>a</li>\n\n<li>b</li>\n</ul>',
      '<table>\n\n<tr><td>a</td></tr>\n\n<tr><td>b</td></tr></table>',
    ];
    for (const input of cases) {
      const html = clean(input);
      expect(html, JSON.stringify(input)).not.toMatch(/\n[ \t\f\r]*\n/);
      expect(html, JSON.stringify(input)).not.toMatch(/^\s*\n|\n\s*$/);
      expect(html, JSON.stringify(input)).not.toContain('\r');
      expect(textOfHtml(html).replace(/\s+/g, ''), JSON.stringify(input)).toBe('ab'); // only whitespace went
    }
  });

  it('writes a carriage return in text as &#13;, so Markdown never sees a line end there', () => {
    // `&#13;` is text to the HTML parser; raw, two of them are a blank line to Markdown, which ended the
    // HTML block and rendered `[x](javascript:…)` after it as a link.
    for (const input of [
      '<p>a</p>&#13;&#13;[x](javascript:alert(1))',
      '<p>a&#13;&#13;![x](https://evil.example/x.png)</p>',
      '<p>a</p>&#13;  &#13;b',
    ]) {
      const html = clean(input);
      expect(html, input).not.toContain('\r');
      expect(html, input).not.toMatch(/\n[ \t\f]*\n/);
      expect(textOfHtml(html), input).toBe(textOfHtml(input));
    }
    // In <pre> one is a line break as typed (Windows line ends written as references).
    expect(textOf(only(clean('<pre>a&#13;&#10;b&#13;c</pre>'), 'pre'))).toBe('a\nb\nc');
  });

  it('keeps <pre> line breaks and indentation, as &#10; and spaces', () => {
    const code = 'function f() {\n    return 1;\n\n\n}\n\tend';
    const html = clean(`<pre><code>${code}</code></pre>`);
    expectHexoSafe(html);
    expect(html).not.toContain('\n');
    expect(html).toContain('&#10;    return 1;&#10;&#10;&#10;&#125;&#10;\tend');
    expect(textOf(only(html, 'code'))).toBe(code);
  });

  it('keeps <pre> line breaks written as \\r\\n', () => {
    const html = clean('<pre>a\r\n\r\nb\rc</pre>');
    expect(html).not.toMatch(/[\r\n]/);
    expect(textOf(only(html, 'pre'))).toBe('a\n\nb\nc');
  });

  it('keeps a leading newline in <pre> despite the first-newline rule', () => {
    for (const [input, text] of [
      ['<pre>\nfirst</pre>', 'first'], // the parser's own rule: this newline was never content
      ['<pre>\n\nsecond</pre>', '\nsecond'],
      ['<pre>\n\n\nthird</pre>', '\n\nthird'],
      ['<pre>&#10;&#10;x</pre>', '\nx'],
      ['<pre><code>\nin code</code></pre>', '\nin code'],
    ] as const) {
      const html = clean(input);
      expect(html, input).not.toContain('\n');
      expect(textOf(only(html, 'pre')), input).toBe(text);
      // and again: cleaning is stable
      expect(textOf(only(clean(html), 'pre')), input).toBe(text);
    }
  });

  it('keeps a leading newline in <pre> when an unwrapped or dropped node comes before it', () => {
    for (const input of [
      '<pre><font>\nx</font></pre>',
      '<pre><!-- c -->\nx</pre>',
      '<pre><script>s()</script>\nx</pre>',
      '<pre><span>\nx</span></pre>',
    ]) {
      const html = clean(input);
      expect(textOf(only(html, 'pre')), input).toBe('\nx');
    }
  });

  it('round-trips text exactly through a second parse (braces, entities, CJK, emoji, nbsp)', () => {
    const input =
      '<div><h2>标题 {{ title }}</h2><p>Tom &amp; Jerry &lt;3 {%raw%} {#x#} }}{{ &nbsp;non-breaking&nbsp; 🚀 <b>bold</b> <i>{</i>}</p>' +
      '<ul><li>one</li><li>two { three }</li></ul><pre>  x = {a: 1}\n    y = [x]</pre><blockquote>q &quot;quoted&quot; &#39;s</blockquote></div>';
    const html = clean(input);
    expectHexoSafe(html);
    expect(textOfHtml(html)).toBe(textOfHtml(input));
    expect(tagsOf(html)).toEqual(tagsOf(input));
  });
});

describe('robustness', () => {
  it('cleans MAX_ELEMENTS nested elements without overflowing the stack', () => {
    for (const tag of ['div', 'x-wrap', 'span']) {
      const { html, truncated } = cleanHtml(`<${tag}>`.repeat(MAX_ELEMENTS) + 'deep {{x}}', OPTIONS);
      const kept = tag === 'x-wrap' ? 0 : MAX_ELEMENTS; // an unknown element is unwrapped
      expect(truncated).toBe(false);
      expect(html).toBe(`<${tag}>`.repeat(kept) + 'deep &#123;&#123;x&#125;&#125;' + `</${tag}>`.repeat(kept));
    }
  });

  it('drops control characters and noncharacters from text and attributes (they break every XML reader of the site)', () => {
    const { html } = cleanHtml(
      '<p title="a\u0001b\u007f">x\u0000\u0008\u000b\u001b\u0085y\ufffe\uffff z\ud800</p><pre>k\u0007\tl</pre>',
      OPTIONS,
    );
    expect(html).toBe('<p title="ab">xy z\ufffd</p><pre>k\tl</pre>');
  });

  it('cuts content after MAX_ELEMENTS tags, closing what is open (100 000 nested elements took 100 MB to parse)', () => {
    const { html, truncated } = cleanHtml('<p>first</p>' + '<div>'.repeat(100_000) + 'deep', OPTIONS);
    expect(truncated).toBe(true);
    expect(html).toBe('<p>first</p>' + '<div>'.repeat(MAX_ELEMENTS - 1) + '</div>'.repeat(MAX_ELEMENTS - 1));
    const siblings = cleanHtml('<p>x</p>'.repeat(MAX_ELEMENTS + 10), OPTIONS);
    expect(siblings.truncated).toBe(true);
    expect(siblings.html.split('<p>').length - 1).toBe(MAX_ELEMENTS);
  });

  it('stays linear on inputs built to make regular expressions backtrack', () => {
    const n = 200_000;
    const inputs = [
      `<img src="/a.jpg" srcset="x${','.repeat(n)}y,">`,
      `<img src="/a.jpg" srcset="a.jpg ${'('.repeat(n)}">`,
      `<img src="/t.gif" width="1${' '.repeat(n)}x">`,
      `<img src="/t.gif" style="width:1${' '.repeat(n)}x">`,
      `<p>x${'\n \t'.repeat(n)}y</p>`,
      `<img src="data:image/png;base64,${'A'.repeat(n)}!">`,
    ];
    for (const input of inputs) {
      const started = performance.now();
      cleanHtml(input, OPTIONS);
      // Linear work takes milliseconds here; the quadratic versions took tens of seconds.
      expect(performance.now() - started, input.slice(0, 40)).toBeLessThan(2000);
    }
  });
});

describe('the golden post', () => {
  const seed = readFileSync(new URL('../../test/golden/000_4206ef1ae22bb898.txt', import.meta.url), 'utf8');
  const feed = readFileSync(new URL('../../test/golden/aljazeera-news.rss.xml', import.meta.url), 'utf8');
  const item = /<item>([\s\S]*?)<\/item>/.exec(feed)?.[1] ?? '';
  const description = /<description><!\[CDATA\[([\s\S]*?)\]\]><\/description>/.exec(item)?.[1];
  const link = /<link>([^<]+)<\/link>/.exec(item)?.[1];
  const seedBody = /\n<div>([\s\S]*)<\/div>\s*$/.exec(seed)?.[1];
  const headimg = /^headimg: '([^']*)'$/m.exec(seed)?.[1];

  const summarize = (html: string) =>
    elementsOf(html).map((element) => ({
      tag: element.tagName,
      text: textOf(element).replace(/\s+/g, ' ').trim(),
      src: attr(element, 'src'),
    }));

  it('finds the description, link, body and headimg in the fixtures', () => {
    expect(description).toMatch(/^<p>/);
    expect(link).toBe('https://chinese.aljazeera.net/news/2022/1/8/example-item');
    expect(seedBody).toContain('<h3>');
    expect(headimg).toMatch(/^https:\/\//);
  });

  it('cleans the fixture description into the seed body, element by element', () => {
    const { html, leadImage } = cleanHtml(description!, { baseUrl: link!, images: { referrerPolicy: 'no-referrer', lazy: true } });
    const expected = summarize(seedBody!);
    const actual = summarize(html);
    expect(actual.map((e) => e.tag)).toEqual(expected.map((e) => e.tag));
    expect(actual).toEqual(expected);
    const images = elementsOf(html).filter((e) => e.tagName === 'img');
    expect(images).toHaveLength(2);
    for (const image of images) expect(attr(image, 'referrerpolicy')).toBe('no-referrer');
    expect(leadImage).toBe(headimg);
    expectHexoSafe(html);
    // Stable: cleaning the published body again (as a re-sync would) gives it back byte for byte.
    expect(cleanHtml(html, { baseUrl: link!, images: { referrerPolicy: 'no-referrer', lazy: true } }).html).toBe(html);
  });
});

describe('property: any HTML-ish input', () => {
  const tag = fc.constantFrom(
    'p',
    'div',
    'a',
    'img',
    'pre',
    'code',
    'script',
    'style',
    'svg',
    'math',
    'iframe',
    'form',
    'input',
    'font',
    'table',
    'tr',
    'td',
    'template',
    'noscript',
    'textarea',
    'title',
    'xmp',
    'plaintext',
    'object',
    'embed',
    'base',
    'select',
    'option',
    'b',
    'li',
    'video',
    'source',
    'foreignObject',
    'mglyph',
    'malignmark',
    'desc',
    'annotation-xml',
    'noembed',
    'listing',
    'SCRIPT',
    'ScRiPt',
  );
  const attributeName = fc.constantFrom(
    'href',
    'src',
    'srcset',
    'data-src',
    'style',
    'onclick',
    'onerror',
    'ONLOAD',
    'class',
    'title',
    'width',
    'height',
    'xlink:href',
    'poster',
    'cite',
    'alt',
    'sandbox',
    'srcdoc',
    'encoding',
    'formaction',
    'action',
  );
  const attributeValue = fc.oneof(
    fc.constantFrom(
      'javascript:alert(1)',
      'jav&#x09;ascript:alert(1)',
      ' JaVaScRiPt:x',
      '&#106;avascript:x',
      'vbscript:x',
      'data:text/html,<script>x</script>',
      'data:image/png;base64,AAAA',
      '/a.jpg',
      '//cdn.example/x.jpg',
      '#top',
      '{{ x }}',
      '{%x%}',
      '1',
      'text/html',
      '"><script>x</script>',
      "'><img src=x onerror=alert(1)>",
      '\n\n',
      'x\n\ny',
    ),
    fc.string({ maxLength: 12 }),
  );
  const attribute = fc
    .tuple(attributeName, attributeValue, fc.constantFrom('"', "'", ''))
    .map(([name, value, quote]) => ` ${name}=${quote}${value}${quote}`);
  const piece = fc.oneof(
    fc
      .tuple(tag, fc.array(attribute, { maxLength: 3 }), fc.boolean())
      .map(([t, attrs, selfClose]) => `<${t}${attrs.join('')}${selfClose ? '/' : ''}>`),
    tag.map((t) => `</${t}>`),
    fc.constantFrom(
      '{{',
      '}}',
      '{%',
      '%}',
      '{#',
      '#}',
      '{',
      '}',
      '\n',
      '\n\n',
      '\r\n',
      '\r',
      ' \n \n',
      '\t',
      '<!--',
      '-->',
      '<!-- more -->',
      '<![CDATA[',
      ']]>',
      '&',
      '&lt;',
      '&#123;',
      '<',
      '>',
      '"',
      "'",
      '=',
      'text',
      '中文',
      'javascript:',
      'on',
      'onload=',
      '<!DOCTYPE html>',
      '</',
      '<?xml ?>',
      '\u0000',
      '`',
      '    ',
      '---',
      '&#10;',
      '&#13;',
    ),
    fc.string({ maxLength: 8 }),
  );
  const html = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));

  it('never throws and never emits script, handlers, javascript:, blank lines or Nunjucks tags', () => {
    fc.assert(
      fc.property(html, (input) => {
        const { html: output, leadImage } = cleanHtml(input, OPTIONS);
        // Text `<` and `>` are escaped, so every `<…>` in the output is a tag: look inside tags only
        // ("javascript:" or "onload=" as text, or in a title, is harmless and stays).
        // Every value is double-quoted with `"` escaped, so blanking values leaves only names.
        const names = output.replace(/="[^"]*"/g, '=""');
        expect(output).not.toMatch(/<script/i);
        expect(names).not.toMatch(/<[^>]*\son[a-z-]*\s*=/i);
        expect(output).not.toMatch(/<[^>]*\s(?:href|src|srcset|poster|cite)="\s*(?:javascript|vbscript):/i);
        expect(output).not.toMatch(/\n[ \t\f\r]*\n/);
        expect(output).not.toMatch(/\{[{%#]/);
        expect(output).not.toMatch(/[{}\r\0]/);
        expect(output).not.toMatch(/^[^\S\r\n]*(?:[-*+>]|\d+\.)?[^\S\r\n]*(?:`{3}|~{3})/m);
        expect(leadImage === '' || /^https?:\/\//.test(leadImage)).toBe(true);
        // Cleaning the output again changes nothing a reader could see. (Not always byte for byte: unwrapping
        // a <form> or <center> can leave <li><li>, which the parser re-nests as siblings.)
        const again = cleanHtml(output, OPTIONS).html;
        expect(textOfHtml(again)).toBe(textOfHtml(output));
        expect(tagsOf(again)).toEqual(tagsOf(output));
        // And nothing the parser sees in it is outside the allowlist.
        for (const element of elementsOf(output)) {
          expect(element.namespaceURI).toBe('http://www.w3.org/1999/xhtml');
          for (const a of element.attrs) {
            expect(a.name).not.toMatch(/^on|^style$|^srcdoc$|^xlink|^formaction$/i);
            // URL attributes: absolute with a safe scheme (so no javascript:), or an in-page anchor.
            if (/^(?:href|src|poster|cite)$/.test(a.name)) expect(a.value).toMatch(/^(?:https?:\/\/|mailto:|tel:|#|data:image\/)/);
            if (a.name === 'srcset') for (const candidate of a.value.split(', ')) expect(candidate).toMatch(/^https?:\/\//);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('options', () => {
  it('gives an <img> that has only a srcset its widest candidate as src', () => {
    const { html, leadImage } = cleanHtml('<img srcset="/a-320.jpg 320w, /a-1280.jpg 1280w, /a-640.jpg 640w">', OPTIONS);
    const img = only(html, 'img');
    expect(attr(img, 'src')).toBe('https://example.com/a-1280.jpg');
    expect(attr(img, 'srcset')).toContain('https://example.com/a-320.jpg 320w');
    expect(leadImage).toBe('https://example.com/a-1280.jpg');
  });

  it('embeds only from the configured hosts, *.host matching any subdomain', () => {
    const youtube = '<iframe src="https://www.youtube.com/embed/x"></iframe>';
    const own = '<iframe src="https://video.example.org/player/1"></iframe>';
    expect(tagsOf(clean(youtube + own))).toEqual(['iframe']);
    expect(tagsOf(clean(youtube + own, { embedHosts: ['*.example.org'] }))).toEqual(['iframe']);
    expect(attr(only(clean(own, { embedHosts: ['*.example.org'] }), 'iframe'), 'src')).toBe('https://video.example.org/player/1');
    expect(tagsOf(clean(youtube, { embedHosts: [] }))).toEqual([]);
  });

  it('converts text nodes only, never attributes or URLs', () => {
    const html = clean('<p title="漢">漢字<a href="https://example.com/漢">連結</a></p><img alt="漢" src="/漢.jpg">', {
      convertText: (text) => text.replaceAll('漢', '汉').replaceAll('連結', '链接'),
    });
    expect(textOfHtml(html)).toBe('汉字链接');
    expect(attr(only(html, 'p'), 'title')).toBe('漢');
    expect(attr(only(html, 'img'), 'alt')).toBe('漢');
    expect(decodeURI(attr(only(html, 'a'), 'href')!)).toBe('https://example.com/漢');
  });

  it('lists the remote images it shows, once each, and points mirrored ones at their local copy', () => {
    const input =
      '<img src="/a.jpg" srcset="/a.jpg 1x, /a2.jpg 2x" width="800"><img src="/a.jpg"><picture><source srcset="/b.webp"><img src="/b.jpg"></picture><video poster="/p.jpg" src="/v.mp4"></video><img src="/missing.jpg">';
    const first = cleanHtml(input, OPTIONS);
    expect(first.remoteImages).toEqual([
      'https://example.com/a.jpg',
      'https://example.com/b.jpg',
      'https://example.com/p.jpg',
      'https://example.com/missing.jpg',
    ]);
    const localImages = new Map([
      ['https://example.com/a.jpg', '/images/aa/1.jpg'],
      ['https://example.com/b.jpg', '/images/bb/2.jpg'],
      ['https://example.com/p.jpg', '/images/cc/3.jpg'],
    ]);
    const { html, leadImage } = cleanHtml(input, { ...OPTIONS, localImages });
    const images = elementsOf(html).filter((e) => e.tagName === 'img');
    expect(images.map((img) => attr(img, 'src'))).toEqual([
      '/images/aa/1.jpg',
      '/images/aa/1.jpg',
      '/images/bb/2.jpg',
      'https://example.com/missing.jpg',
    ]);
    expect(images.map((img) => attr(img, 'srcset'))).toEqual([undefined, undefined, undefined, undefined]);
    expect(tagsOf(html)).not.toContain('source'); // a remote <source> would win over the local <img>
    expect(attr(only(html, 'video'), 'poster')).toBe('/images/cc/3.jpg');
    expect(leadImage).toBe('/images/aa/1.jpg');
  });
});
