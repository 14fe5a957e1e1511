/// <reference lib="dom" />
/**
 * The sanitizer proven in a real browser. Every vector of test/xss/vectors.ts becomes a feed item; the real
 * pipeline (sync, then Hexo) publishes it; Chromium opens each post with every request, dialog, console
 * line, navigation and popup watched, pokes every element with the events handlers listen to, and
 * inspects the DOM it built. The benign rich content of src/content/testdata/rich/ goes the same way and
 * must keep its structure in the rendered page.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EMBED_HOSTS } from '../src/config/defaults.js';
import { buildSite } from '../src/site/build.js';
import { syncSite } from '../src/sync/sync.js';
import { launchChromium, restrictRequests, watchPage, type PageActivity, type PageWatch } from './helpers/browser.js';
import { makeSite, REPO, rss, type TestSite } from './helpers/site.js';
import { serveDirectory, type StaticServer } from './helpers/static-server.js';
import { XSS_VECTORS, type XssVector } from './xss/vectors.js';

type Parse5Element = DefaultTreeAdapterTypes.Element;

const RICH_DIR = join(REPO, 'src/content/testdata/rich');
const RICH_NAMES = readdirSync(RICH_DIR)
  .filter((name) => name.endsWith('.input.html'))
  .map((name) => name.slice(0, -'.input.html'.length))
  .sort();
/** Where the articles of the corpus live: relative URLs in vectors resolve here, and nothing is served. */
const CONTENT_HOST = 'news.example';
/** Content vectors also sent as entity-escaped RSS description text, and as Atom `<content type="html">`. */
const VARIANTS_PER_ENCODING = 30;
/** A post page that has not loaded and been inspected by then is reported and replaced. */
const VISIT_LIMIT_MS = 10_000;
/** Posts visited at once: a visit mostly waits on the browser, so three finish sooner than one, even on two cores. */
const WORKERS = 3;

/**
 * How a run's HTML reaches the parser: RSS `<description>` in CDATA or as escaped text, Atom `<content>`, or
 * the content-only RSS items of the wild — `<body>` (here holding CDATA), `<fullitem>` (escaped) and inline
 * XHTML in `<xhtml:body>` (XHTML_BODY_VECTORS, which are well-formed XML).
 */
type Encoding = 'cdata' | 'entities' | 'atom' | 'body' | 'fullitem' | 'xhtml-body';

/** Vectors written as well-formed XHTML, so that they can stand inline in an `<xhtml:body>`. */
const XHTML_BODY_VECTORS: XssVector[] = [
  { html: "<xhtml:script>alert('XSS:$ID')</xhtml:script><xhtml:p>after the script</xhtml:p>", literal: 'after the script' },
  { html: `<xhtml:img src="x" onerror="alert('XSS:$ID')"/><xhtml:p>an image</xhtml:p>`, literal: 'an image' },
  { html: `<xhtml:a href="javascript:alert('XSS:$ID')">a link</xhtml:a>`, literal: 'a link' },
  { html: `<xhtml:p onmouseover="alert('XSS:$ID')" style="background:url(http://CANARY/$ID)">hover here</xhtml:p>`, literal: 'hover here' },
  { html: '<xhtml:iframe src="http://CANARY/$ID"/><xhtml:p>no frame</xhtml:p>', literal: 'no frame' },
  { html: `<svg xmlns="http://www.w3.org/2000/svg"><script>alert('XSS:$ID')</script></svg><xhtml:p>no svg</xhtml:p>`, literal: 'no svg' },
  {
    html: `<xhtml:form action="http://CANARY/$ID"><xhtml:input name="q" autofocus="autofocus" onfocus="alert('XSS:$ID')"/></xhtml:form><xhtml:p>no form</xhtml:p>`,
    literal: 'no form',
  },
  {
    html: '<xhtml:object data="http://CANARY/$ID"/><xhtml:embed src="http://CANARY/$ID"/><xhtml:p>no object</xhtml:p>',
    literal: 'no object',
  },
  { html: '<xhtml:a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</xhtml:a>', literal: 'data link' },
  {
    html: '<xhtml:meta http-equiv="refresh" content="0;url=http://CANARY/$ID"/><xhtml:base href="http://CANARY/"/><xhtml:p>no refresh</xhtml:p>',
    literal: 'no refresh',
  },
].map(({ html, literal }, index) => {
  const id = `xhtml-body-${index + 1}`;
  return { id, class: 'xhtml-body', html: html.replaceAll('$ID', id), literal };
});

/** One item of the corpus feeds: a vector in one encoding. */
interface Run {
  key: string;
  vector: XssVector;
  encoding: Encoding;
  /** The vector's text with the canary's address in place of CANARY. */
  html: string;
  literal?: string;
}

interface PageReport {
  url: string;
  status: number | null;
  activity: PageActivity;
  /** What the DOM inspection found that the policy forbids. */
  findings: string[];
  contentText: string;
  titleText: string;
}

interface RichSummary {
  tags: string[];
  text: string;
  tableRows: number[];
  tableCells: number[];
  figuresWithCaption: boolean[];
  code: string[];
  listItems: number;
  iframes: Array<{ src: string | null; sandbox: string | null }>;
  /** What legacy markup means to the browser: computed styles and states, in document order. */
  legacy: {
    hiddenShown: boolean[];
    fontColors: string[];
    centered: string[];
    nowrapCells: string[];
    cellPadding: string[];
    cellBorders: string[];
    imageMargins: string[];
    mapLinks: string[][];
    meters: number[];
    anchorTargets: boolean[];
  };
}

// ---- the feeds ----

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[character]!);
}

/** CDATA that may itself contain `]]>`: the section is closed and reopened around it. */
function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

const linkOf = (run: Run) => `https://${CONTENT_HOST}/xss/${run.key}`;
const titleOf = (run: Run) => `XSS ${run.key}`;
const dateOf = (index: number) => new Date(Date.UTC(2025, 0, 1) + index * 60_000);

function rssItem(run: Run, index: number): string {
  const where = run.vector.where ?? 'content';
  const description = where === 'content' ? run.html : `<p>${where} vector ${run.key}</p>`;
  // Content-only items have no title and no description, as they come in the wild.
  const body = {
    body: `<body>${cdata(run.html)}</body>`,
    fullitem: `<fullitem>${escapeXml(run.html)}</fullitem>`,
    'xhtml-body': `<xhtml:body>${run.html}</xhtml:body>`,
  };
  if (run.encoding === 'body' || run.encoding === 'fullitem' || run.encoding === 'xhtml-body') {
    return [
      '<item>',
      `<link>${linkOf(run)}</link>`,
      `<guid isPermaLink="false">xss-${run.key}</guid>`,
      `<pubDate>${dateOf(index).toUTCString()}</pubDate>`,
      body[run.encoding],
      '</item>',
    ].join('\n');
  }
  return [
    '<item>',
    `<title>${where === 'title' ? cdata(run.html) : escapeXml(titleOf(run))}</title>`,
    where === 'link' ? run.html : `<link>${linkOf(run)}</link>`,
    where === 'link' && run.html.includes('<guid') ? '' : `<guid isPermaLink="false">xss-${run.key}</guid>`,
    `<pubDate>${dateOf(index).toUTCString()}</pubDate>`,
    where === 'image' ? run.html : '',
    `<description>${run.encoding === 'entities' ? escapeXml(description) : cdata(description)}</description>`,
    '</item>',
  ].join('\n');
}

function rssFeed(items: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:xhtml="http://www.w3.org/1999/xhtml">
<channel>
<title>XSS corpus</title>
<link>https://${CONTENT_HOST}/</link>
<description>every vector, one item each</description>
${items.join('\n')}
</channel>
</rss>`;
}

function atomFeed(runs: Array<{ run: Run; index: number }>): string {
  const entries = runs.map(
    ({ run, index }) => `<entry>
<id>urn:newsstand-xss:${run.key}</id>
<title>${escapeXml(titleOf(run))}</title>
<link href="${linkOf(run)}"/>
<updated>${dateOf(index).toISOString()}</updated>
<content type="html">${escapeXml(run.html)}</content>
</entry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>urn:newsstand-xss</id>
<title>XSS corpus (Atom)</title>
<link href="https://${CONTENT_HOST}/"/>
<updated>2025-01-01T00:00:00Z</updated>
${entries.join('\n')}
</feed>`;
}

/** Every content vector once in CDATA, and a spread of them again in each other encoding. */
function corpusRuns(canaryHost: string): Run[] {
  const run = (vector: XssVector, encoding: Encoding): Run => ({
    key: encoding === 'cdata' ? vector.id : `${vector.id}/${encoding}`,
    vector,
    encoding,
    html: vector.html.replaceAll('CANARY', canaryHost),
    literal: vector.literal?.replaceAll('CANARY', canaryHost),
  });
  const content = XSS_VECTORS.filter((vector) => (vector.where ?? 'content') === 'content');
  const step = Math.floor(content.length / VARIANTS_PER_ENCODING);
  const spread = (offset: number) => content.filter((_, index) => index % step === offset).slice(0, VARIANTS_PER_ENCODING);
  return [
    ...XSS_VECTORS.map((vector) => run(vector, 'cdata')),
    ...spread(0).map((vector) => run(vector, 'entities')),
    ...spread(Math.floor(step / 2)).map((vector) => run(vector, 'atom')),
    ...spread(Math.floor(step / 4)).map((vector) => run(vector, 'body')),
    ...spread(Math.floor((3 * step) / 4)).map((vector) => run(vector, 'fullitem')),
    ...XHTML_BODY_VECTORS.map((vector) => run(vector, 'xhtml-body')),
  ];
}

// ---- the site: a minimal theme that renders what a real theme renders, and nothing of its own ----

const PROBE_THEME: Record<string, string> = {
  'layout/layout.ejs': `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title><%= page.title || config.title %></title>
</head>
<body>
<main id="probe-main"><%- body %></main>
<footer id="probe-footer">probe</footer>
<link rel="stylesheet" href="/probe.css">
<script data-probe-own>
// A theme's own script reads globals and ids it owns; content must not be able to shadow them.
(function () {
  var clobbered = [];
  if (typeof window.probeSettings !== 'undefined') clobbered.push('window.probeSettings');
  ['getElementById', 'querySelector', 'createElement'].forEach(function (name) {
    if (typeof document[name] !== 'function') clobbered.push('document.' + name);
  });
  if (typeof document.cookie !== 'string') clobbered.push('document.cookie');
  if (!(document.body instanceof HTMLBodyElement)) clobbered.push('document.body');
  if (document.defaultView !== window) clobbered.push('document.defaultView');
  if (!(document.currentScript instanceof HTMLScriptElement)) clobbered.push('document.currentScript');
  var main = typeof document.getElementById === 'function' && document.getElementById('probe-main');
  var footer = typeof document.getElementById === 'function' && document.getElementById('probe-footer');
  if (!main || main.tagName !== 'MAIN') clobbered.push('#probe-main');
  if (!footer || footer.tagName !== 'FOOTER') clobbered.push('#probe-footer');
  if (clobbered.length) console.log('XSS:clobbered ' + clobbered.join(' '));
})();
</script>
</body>
</html>
`,
  'layout/post.ejs': `<article class="probe-post">
<h1 class="probe-title"><%= page.title %></h1>
<% if (page.headimg) { %><img class="probe-headimg" src="<%= page.headimg %>" alt=""><% } %>
<% if (page.original_url) { %><a class="probe-source" href="<%= page.original_url %>" title="<%= page.title %>">original</a><% } %>
<div class="probe-content"><%- page.content %></div>
</article>
`,
  'layout/index.ejs': `<ul id="probe-index">
<% page.posts.each(function (post) { %><li><a class="probe-post-link" href="<%- url_for(post.path) %>" data-original-url="<%= post.original_url || '' %>" data-title="<%= post.title %>">post</a></li>
<% }) %></ul>
`,
  'layout/archive.ejs': '<p>archive</p>\n',
  'layout/category.ejs': '<p>category</p>\n',
  'layout/page.ejs': '<div class="probe-page"><%- page.content %></div>\n',
  'source/probe.css': 'body { font-family: sans-serif; }\n',
};

function useProbeTheme(site: TestSite): void {
  for (const [path, text] of Object.entries(PROBE_THEME)) {
    const file = join(site.dir, 'themes/probe', path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  const configFile = join(site.dir, '_config.yml');
  const config = readFileSync(configFile, 'utf8')
    .replace(/^theme: .*$/m, 'theme: probe')
    // Every post on the index page, which is how the test finds them.
    .replace(/^(index_generator:\n {2}path: ''\n {2}per_page:) \d+$/m, '$1 0');
  expect(config).toMatch(/^ {2}per_page: 0$/m);
  writeFileSync(configFile, config);
}

/** Post pages on the index, as [original_url, title, path]. */
function indexedPosts(publicDir: string): Array<{ originalUrl: string; title: string; path: string }> {
  const posts: Array<{ originalUrl: string; title: string; path: string }> = [];
  const visit = (node: DefaultTreeAdapterTypes.Node) => {
    if ('tagName' in node) {
      const element = node as Parse5Element;
      const attribute = (name: string) => element.attrs.find((a) => a.name === name)?.value ?? '';
      if (element.tagName === 'a' && attribute('class') === 'probe-post-link') {
        posts.push({ originalUrl: attribute('data-original-url'), title: attribute('data-title'), path: attribute('href') });
      }
    }
    if ('childNodes' in node) for (const child of node.childNodes) visit(child);
  };
  visit(parse(readFileSync(join(publicDir, 'index.html'), 'utf8')));
  return posts;
}

// ---- the loopback canary: any request to it is a vector that got through ----

interface Canary {
  host: string;
  hits: Array<{ method: string; url: string }>;
  close(): Promise<void>;
}

async function startCanary(): Promise<Canary> {
  const hits: Canary['hits'] = [];
  const record = (request: IncomingMessage) => hits.push({ method: request.method ?? '', url: request.url ?? '' });
  const server = createServer((request, response) => {
    record(request);
    response.writeHead(404).end();
  });
  server.on('upgrade', (request, socket) => {
    record(request);
    socket.destroy();
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

// ---- in the page ----

/**
 * Attacks the post and inspects what is left. Fires every event an attribute handler could listen to on
 * every element of the post, gives timers, media and frame loads a moment, then reports what the DOM holds
 * that the policy forbids (elements, handlers, styles, unsafe URLs, frames) and the text the post shows.
 * One function, so that one round trip to the browser does it all.
 */
async function attackPost(embedHosts: string[]): Promise<{ findings: string[]; contentText: string; titleText: string }> {
  // Link clicks and form submissions must not leave the page (a surviving javascript: URL is found by the
  // DOM inspection instead); handlers still see the events.
  document.addEventListener('click', (event) => event.preventDefault(), true);
  document.addEventListener('submit', (event) => event.preventDefault(), true);
  const types = [
    'mouseover',
    'mouseenter',
    'mousemove',
    'mousedown',
    'mouseup',
    'mouseout',
    'mouseleave',
    'click',
    'dblclick',
    'auxclick',
    'contextmenu',
    'pointerover',
    'pointerenter',
    'pointerdown',
    'pointerup',
    'pointermove',
    'pointerrawupdate',
    'touchstart',
    'touchend',
    'focus',
    'focusin',
    'blur',
    'focusout',
    'keydown',
    'keypress',
    'keyup',
    'beforeinput',
    'input',
    'change',
    'select',
    'selectstart',
    'copy',
    'cut',
    'paste',
    'drag',
    'dragstart',
    'dragend',
    'dragenter',
    'dragover',
    'drop',
    'scroll',
    'scrollend',
    'wheel',
    'animationstart',
    'animationend',
    'animationiteration',
    'transitionend',
    'transitionrun',
    'toggle',
    'beforetoggle',
    'load',
    'error',
    'abort',
    'loadstart',
    'progress',
    'canplay',
    'play',
    'playing',
    'ended',
    'submit',
    'reset',
    'invalid',
    'search',
    'start',
    'finish',
    'bounce',
    'begin',
    'end',
    'repeat',
    'show',
    'close',
    'cancel',
    'resize',
  ];
  const targets: Element[] = [
    document.documentElement,
    document.body,
    ...document.querySelectorAll('article.probe-post, article.probe-post *'),
  ];
  for (const target of targets) {
    if (target instanceof HTMLElement || target instanceof SVGElement) target.focus();
    for (const type of types) target.dispatchEvent(new Event(type, { bubbles: true, cancelable: true }));
    if (target instanceof HTMLElement) target.click();
  }
  for (const type of ['load', 'pageshow', 'hashchange', 'popstate', 'resize', 'scroll', 'message', 'focus', 'blur']) {
    window.dispatchEvent(new Event(type));
  }

  await new Promise((resolve) => setTimeout(resolve, 50));

  const findings: string[] = [];
  const HTML = 'http://www.w3.org/1999/xhtml';
  const FORBIDDEN = new Set([
    'script',
    'style',
    'link',
    'meta',
    'base',
    'object',
    'embed',
    'applet',
    'param',
    'form',
    'input',
    'button',
    'select',
    'textarea',
    'option',
    'keygen',
    'isindex',
    'frame',
    'frameset',
    'template',
    'noscript',
    'portal',
    'svg',
    'math',
    'marquee',
    'xmp',
    'plaintext',
    'noembed',
    'noframes',
    'slot',
  ]);
  const URL_ATTRIBUTES =
    /^(?:href|src|srcset|action|formaction|poster|background|data|code|codebase|cite|xlink:href|ping|lowsrc|dynsrc|longdesc|usemap|manifest|icon|profile|archive|classid)$/;
  const RASTER_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|avif|bmp)[;,]/i;
  const article = document.querySelector('article.probe-post');
  if (!article) return { findings: ['no article.probe-post on the page'], contentText: '', titleText: '' };

  // A <body onload> in content would give its attributes to the page's own <body>.
  for (const attribute of document.body.attributes) findings.push(`<body ${attribute.name}>`);
  for (const attribute of document.documentElement.attributes) if (attribute.name !== 'lang') findings.push(`<html ${attribute.name}>`);
  for (const base of document.querySelectorAll('base')) findings.push(`<base href=${base.getAttribute('href')}>`);
  for (const meta of document.querySelectorAll('meta[http-equiv]')) findings.push(`<meta http-equiv=${meta.getAttribute('http-equiv')}>`);
  for (const script of document.querySelectorAll('script:not([data-probe-own])'))
    findings.push(`<script> ${script.outerHTML.slice(0, 80)}`);

  for (const element of article.querySelectorAll('*')) {
    const name = element.localName;
    if (element.namespaceURI !== HTML) findings.push(`<${name}> in ${element.namespaceURI}`);
    if (FORBIDDEN.has(name)) findings.push(`<${name}>`);
    if (element.shadowRoot) findings.push(`<${name}> has a shadow root`);
    if (name === 'iframe') {
      const src = element.getAttribute('src') ?? '';
      let host = '';
      try {
        host = new URL(src, document.baseURI).hostname;
      } catch {
        // an unparsable src is reported as a host outside the list
      }
      if (!embedHosts.includes(host)) findings.push(`<iframe src=${src}> from a host outside the embed list`);
      const sandbox = element.getAttribute('sandbox');
      if (sandbox === null) findings.push('<iframe> without sandbox');
      else if (/allow-(?:top-navigation|popups-to-escape-sandbox|forms|modals)/.test(sandbox)) findings.push(`<iframe sandbox=${sandbox}>`);
    }
    for (const attribute of element.attributes) {
      const attributeName = attribute.name.toLowerCase();
      const label = `<${name} ${attribute.name}=${attribute.value.slice(0, 80)}>`;
      if (attributeName.startsWith('on')) findings.push(label);
      if (['style', 'srcdoc', 'autoplay', 'autofocus', 'contenteditable', 'formaction', 'action', 'form', 'ping'].includes(attributeName)) {
        findings.push(label);
      }
      // Anchors and image maps are named like ids: prefixed, so that they clobber nothing of the page's.
      if (attributeName === 'name' && !(['a', 'map'].includes(name) && attribute.value.startsWith('user-content-'))) findings.push(label);
      if (attributeName === 'id' && !attribute.value.startsWith('user-content-')) findings.push(label);
      if (attributeName === 'usemap' && !attribute.value.startsWith('#user-content-')) findings.push(label);
      if (!URL_ATTRIBUTES.test(attributeName)) continue;
      const urls =
        attributeName === 'srcset'
          ? attribute.value.split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
          : [attribute.value];
      for (const value of urls) {
        let protocol = '';
        try {
          protocol = new URL(value, document.baseURI).protocol;
        } catch {
          continue; // not a URL the browser would follow
        }
        const dataImage = name === 'img' && attributeName === 'src' && RASTER_DATA_IMAGE.test(value.trim());
        if (!['http:', 'https:', 'mailto:', 'tel:'].includes(protocol) && !dataImage) findings.push(label);
      }
    }
  }
  return {
    findings,
    contentText: document.querySelector('.probe-content')?.textContent ?? '',
    titleText: document.querySelector('.probe-title')?.textContent ?? '',
  };
}

/** The structure of rendered rich content and of its golden file, measured by the same browser. */
function richSummaries(golden: string): { rendered: RichSummary | null; expected: RichSummary } {
  const summarize = (root: ParentNode): RichSummary => {
    const all = [...root.querySelectorAll('*')];
    return {
      tags: all.map((element) => element.localName),
      text: (root.textContent ?? '').replace(/\s+/g, ' ').trim(),
      tableRows: [...root.querySelectorAll('table')].map((table) => (table as HTMLTableElement).rows.length),
      tableCells: [...root.querySelectorAll('table')].map((table) => table.querySelectorAll('td, th').length),
      figuresWithCaption: [...root.querySelectorAll('figure')].map((figure) => figure.querySelector(':scope > figcaption') !== null),
      code: [...root.querySelectorAll('pre')].map((pre) => pre.textContent ?? ''),
      listItems: root.querySelectorAll('li').length,
      iframes: [...root.querySelectorAll('iframe')].map((frame) => ({
        src: frame.getAttribute('src'),
        sandbox: frame.getAttribute('sandbox'),
      })),
      legacy: {
        hiddenShown: [...root.querySelectorAll('[hidden]')].map((element) => element.checkVisibility()),
        fontColors: [...root.querySelectorAll('font')].map((font) => getComputedStyle(font).color),
        centered: [...root.querySelectorAll('center')].map((center) => getComputedStyle(center).textAlign),
        nowrapCells: [...root.querySelectorAll('td[nowrap], th[nowrap]')].map((cell) => getComputedStyle(cell).whiteSpace),
        cellPadding: [...root.querySelectorAll('table[cellpadding] td')].map((cell) => getComputedStyle(cell).paddingTop),
        cellBorders: [...root.querySelectorAll('table[border] td')].map((cell) => getComputedStyle(cell).borderTopStyle),
        imageMargins: [...root.querySelectorAll('img[hspace], img[vspace]')].map(
          (image) => `${getComputedStyle(image).marginLeft} ${getComputedStyle(image).marginTop}`,
        ),
        // An image map works when the image's usemap finds its <map> in the page.
        mapLinks: [...root.querySelectorAll('img[usemap]')].map((image) => {
          const map = document.getElementsByName((image as HTMLImageElement).useMap.slice(1))[0];
          return map ? [...map.querySelectorAll('area')].map((area) => (area as HTMLAreaElement).href) : [];
        }),
        meters: [...root.querySelectorAll('meter, progress')].map((gauge) => (gauge as HTMLMeterElement | HTMLProgressElement).value),
        // An in-page link lands on an anchor written as `<a name>` or an id.
        anchorTargets: [...root.querySelectorAll('a[href^="#"]')].map((link) => {
          const target = decodeURIComponent((link.getAttribute('href') ?? '').slice(1));
          return document.getElementById(target) !== null || document.getElementsByName(target).length > 0;
        }),
      },
    };
  };
  // The golden file is measured in the same page (styles need a document), then taken out again.
  const expectedRoot = document.createElement('div');
  expectedRoot.innerHTML = golden;
  // renderPost wraps the body in one <div>; the golden file is what goes inside it.
  const wrapper = document.querySelector('.probe-content > div');
  const rendered = wrapper ? summarize(wrapper) : null;
  document.body.append(expectedRoot);
  const expected = summarize(expectedRoot);
  expectedRoot.remove();
  return { rendered, expected };
}

// ----------------------------------------------------------------------------------------------------

/** The promise's value, or null when it has not settled within `ms`. */
function within<T>(ms: number, promise: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((settle) => (timer = setTimeout(() => settle(null), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

const RASTER_DATA_IMAGE_URL = /^data:image\/(?:png|gif|jpe?g|webp|avif|bmp)[;,]/i;
const EMBED_HOST_PATTERN = /(?:^|\.)(?:youtube\.com|youtube-nocookie\.com|vimeo\.com|bilibili\.com|qq\.com|youku\.com)$/;

/** A request a post may make: the site itself, the article's own host (aborted), the embed players (aborted). */
function isExpectedRequest(url: string, siteOrigin: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.origin === siteOrigin) return true;
  if (parsed.protocol === 'data:') return RASTER_DATA_IMAGE_URL.test(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  const host = parsed.hostname;
  return host === CONTENT_HOST || host.endsWith(`.${CONTENT_HOST}`) || EMBED_HOST_PATTERN.test(host);
}

describe('the XSS corpus through sync, Hexo and Chromium', () => {
  let site: TestSite;
  let server: StaticServer | undefined;
  let canary: Canary | undefined;
  let browser: Browser | undefined;
  let runs: Run[] = [];
  const reports = new Map<string, PageReport>();
  const richReports = new Map<string, { report: PageReport; summaries: { rendered: RichSummary | null; expected: RichSummary } | null }>();
  const posts = new Map<string, string>();

  beforeAll(async () => {
    canary = await startCanary();
    site = makeSite();
    runs = corpusRuns(canary.host);

    const rssRuns = runs.map((run, index) => ({ run, index })).filter(({ run }) => run.encoding !== 'atom');
    const atomRuns = runs.map((run, index) => ({ run, index })).filter(({ run }) => run.encoding === 'atom');
    const corpusFeed = site.writeFeed('xss.xml', rssFeed(rssRuns.map(({ run, index }) => rssItem(run, index))));
    const corpusAtom = site.writeFeed('xss-atom.xml', atomFeed(atomRuns));
    const richFeed = site.writeFeed(
      'rich.xml',
      rss(
        RICH_NAMES.map((name, index) => ({
          title: `Rich ${name}`,
          link: `https://${CONTENT_HOST}/rich/${name}`,
          guid: `rich-${name}`,
          pubDate: dateOf(runs.length + index).toUTCString(),
          description: readFileSync(join(RICH_DIR, `${name}.input.html`), 'utf8'),
        })),
      ),
    );
    site.writeConfig({
      defaults: { retention: { maxAge: '36500d', maxItems: 5000 } },
      sources: [
        { file: corpusFeed, categories: ['XSS', 'Corpus', 'Items'] },
        { file: corpusAtom, categories: ['XSS', 'Corpus', 'Atom'] },
        { file: richFeed, categories: ['XSS', 'Rich', 'Items'] },
      ],
    });
    useProbeTheme(site);
    await syncSite({ config: await site.config() });
    await buildSite({ root: site.dir });

    const publicDir = join(site.dir, 'public');
    for (const post of indexedPosts(publicDir)) {
      const key =
        /^https:\/\/news\.example\/(?:xss|rich)\/(.+)$/.exec(post.originalUrl)?.[1] ??
        /^XSS (.+)$/.exec(post.title)?.[1] ??
        `unmatched: ${post.title}`;
      posts.set(key, post.path);
    }
    server = await serveDirectory(publicDir);
    const siteOrigin = server.origin;
    const embedHosts = [...DEFAULT_EMBED_HOSTS];

    const started = Date.now();
    browser = await launchChromium();
    // One page per worker, reused: a fresh page costs more than the visit. Between posts the page goes to
    // about:blank, so what a post's document does on unload is still counted as that post's doing.
    const visitor = async () => {
      const context = await browser!.newContext();
      let page: Page;
      let watch: PageWatch;
      const openPage = async () => {
        page = await context.newPage();
        watch = watchPage(page);
        await restrictRequests(page, (url) => url.startsWith(`${siteOrigin}/`));
      };
      await openPage();
      /**
       * Leaves the post for about:blank and returns what it did. A post that will not let go (one that keeps
       * navigating, or loops on dialogs: a vector that got through) is closed and a new page takes its place.
       */
      const leave = async (stuck: boolean): Promise<PageActivity> => {
        let left = false;
        // A meta refresh firing just then interrupts the first try.
        for (let attempt = 0; attempt < 2 && !stuck && !left; attempt++) {
          left = await page.goto('about:blank', { timeout: 3000 }).then(
            () => true,
            () => false,
          );
        }
        const activity = watch.take();
        if (activity.navigations.at(-1) === 'about:blank') activity.navigations.pop();
        if (!left) {
          // Closing such a page can hang as well; it is left to go with its context.
          await within(
            2000,
            page.close({ runBeforeUnload: false }).catch(() => undefined),
          );
          await openPage();
        }
        return activity;
      };
      /** Opens a post; with `golden` (rich content) measures its structure, else attacks and inspects it. */
      const visit = async (path: string, golden?: string) => {
        const url = `${siteOrigin}${path}`;
        const visited = (async () => {
          const response = await page.goto(url, { waitUntil: 'load' }).catch(() => null);
          const attacked =
            golden === undefined
              ? await page
                  .evaluate(attackPost, embedHosts)
                  .catch((error: Error) => ({ findings: [`attack failed: ${error.message}`], contentText: '', titleText: '' }))
              : { findings: [], contentText: '', titleText: '' };
          const summaries = golden === undefined ? null : await page.evaluate(richSummaries, golden).catch(() => null);
          return { status: response?.status() ?? null, ...attacked, summaries };
        })();
        const outcome = await within(VISIT_LIMIT_MS, visited);
        const activity = await leave(outcome === null);
        const { summaries, ...result } = outcome ?? {
          status: null,
          findings: [`the page did not settle in ${VISIT_LIMIT_MS} ms`],
          contentText: '',
          titleText: '',
          summaries: null,
        };
        return { report: { url, activity, ...result }, summaries };
      };
      return { visit, close: () => within(5000, context.close()) };
    };
    const queue = [...runs];
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        const { visit, close } = await visitor();
        for (let run = queue.shift(); run; run = queue.shift()) {
          const path = posts.get(run.key);
          if (path) reports.set(run.key, (await visit(path)).report);
        }
        await close();
      }),
    );
    const { visit, close } = await visitor();
    for (const name of RICH_NAMES) {
      const path = posts.get(name);
      if (!path) continue;
      const { report, summaries } = await visit(path, readFileSync(join(RICH_DIR, `${name}.expected.html`), 'utf8'));
      richReports.set(name, { report, summaries });
    }
    await close();
    // For whoever reads the output; speed targets belong in a benchmark (DEVELOPERS.md).
    console.info(`xss: ${reports.size} corpus pages and ${richReports.size} rich pages in Chromium in ${Date.now() - started} ms`);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await canary?.close();
    site?.remove();
  });

  it('has at least 300 distinct vectors, each with a unique id', () => {
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(XSS_VECTORS.map((vector) => vector.id)).size).toBe(XSS_VECTORS.length);
    expect(new Set(XSS_VECTORS.map((vector) => `${vector.where ?? 'content'}:${vector.html}`)).size).toBe(XSS_VECTORS.length);
    expect(runs.filter((run) => run.encoding === 'entities')).toHaveLength(VARIANTS_PER_ENCODING);
    expect(runs.filter((run) => run.encoding === 'atom')).toHaveLength(VARIANTS_PER_ENCODING);
    expect(runs.filter((run) => run.encoding === 'body')).toHaveLength(VARIANTS_PER_ENCODING);
    expect(runs.filter((run) => run.encoding === 'fullitem')).toHaveLength(VARIANTS_PER_ENCODING);
    expect(runs.filter((run) => run.encoding === 'xhtml-body')).toHaveLength(XHTML_BODY_VECTORS.length);
  });

  it('publishes a post page for every vector in every encoding', () => {
    const missing = runs.filter((run) => !posts.has(run.key)).map((run) => run.key);
    expect(missing, `no post page for: ${missing.join(', ')}`).toEqual([]);
    const failedLoads = [...reports].filter(([, report]) => report.status !== 200).map(([key, report]) => `${key} (${report.status})`);
    expect(failedLoads, `post pages that did not load: ${failedLoads.join(', ')}`).toEqual([]);
  });

  it('no vector runs script, reaches the canary or another origin, navigates, opens a window or leaves unsafe DOM', () => {
    const failures: string[] = [];
    for (const run of runs) {
      const report = reports.get(run.key);
      if (!report) continue; // reported by the test above
      const problems: string[] = [];
      const { activity } = report;
      for (const dialog of activity.dialogs) problems.push(`${dialog.type} dialog: ${dialog.message}`);
      for (const message of activity.console) if (message.text.includes('XSS')) problems.push(`console.${message.type}: ${message.text}`);
      for (const request of activity.requests) {
        if (!isExpectedRequest(request.url, new URL(report.url).origin))
          problems.push(`${request.resourceType} request to ${request.url.slice(0, 160)}`);
      }
      for (const socket of activity.webSockets) problems.push(`WebSocket to ${socket}`);
      for (const url of activity.navigations.slice(1)) problems.push(`navigated to ${url}`);
      if (activity.navigations[0] !== undefined && activity.navigations[0] !== report.url)
        problems.push(`opened as ${activity.navigations[0]}`);
      for (const url of activity.popups) problems.push(`opened a window: ${url}`);
      problems.push(...report.findings.map((finding) => `in the DOM: ${finding}`));
      if (run.literal !== undefined) {
        const shown = (run.vector.where === 'title' ? report.titleText : report.contentText).replace(/\s+/g, ' ');
        if (!shown.includes(run.literal.replace(/\s+/g, ' '))) problems.push(`does not show ${JSON.stringify(run.literal)} verbatim`);
      }
      if (problems.length)
        failures.push(`${run.key} [${run.vector.class}] ${JSON.stringify(run.html).slice(0, 200)}\n    ${problems.join('\n    ')}`);
    }
    expect(failures, `${failures.length} vector(s) got through:\n${failures.join('\n')}`).toEqual([]);
  });

  it('the canary origin received no request at all', () => {
    const hits = canary!.hits.map((hit) => `${hit.method} ${hit.url}`);
    expect(hits, `canary hits (the path names the vector): ${hits.join(', ')}`).toEqual([]);
  });

  it('Hexo and Chromium keep the structure of benign rich content', () => {
    expect(RICH_NAMES.length).toBeGreaterThanOrEqual(14);
    for (const name of RICH_NAMES) {
      const rich = richReports.get(name);
      expect(rich, `no rendered post for rich content ${name}`).toBeDefined();
      const { report, summaries } = rich!;
      expect(report.activity.dialogs, name).toEqual([]);
      expect(report.activity.navigations, name).toEqual([report.url]);
      expect(summaries?.rendered, `${name}: no post body in the page`).toBeTruthy();
      expect(summaries!.rendered, name).toEqual(summaries!.expected);
    }
    // The comparison above covers what matters only if the set has it: say so.
    const all = [...richReports.values()].map(({ summaries }) => summaries!.expected);
    expect(all.some((summary) => summary.tableRows.some((rows) => rows >= 3) && summary.tableCells.some((cells) => cells >= 6))).toBe(true);
    expect(all.some((summary) => summary.figuresWithCaption.includes(true))).toBe(true);
    expect(all.some((summary) => summary.code.some((code) => code.includes('{{') && code.includes('<') && /\n {2,}\S/.test(code)))).toBe(
      true,
    );
    expect(all.some((summary) => summary.listItems >= 6)).toBe(true);
    const iframes = all.flatMap((summary) => summary.iframes);
    expect(iframes.some((frame) => frame.src?.startsWith('https://www.youtube.com/'))).toBe(true);
    expect(iframes.some((frame) => frame.src?.startsWith('https://player.bilibili.com/'))).toBe(true);
    for (const frame of iframes) expect(frame.sandbox, frame.src ?? '').toBeTruthy();
    // Legacy markup means in the page what it meant to its author (testdata/rich/legacy).
    const { legacy } = richReports.get('legacy')!.summaries!.rendered!;
    expect(legacy).toEqual({
      hiddenShown: [false],
      fontColors: ['rgb(204, 0, 0)'],
      centered: ['-webkit-center'],
      nowrapCells: ['nowrap', 'nowrap'],
      cellPadding: ['6px', '6px'],
      cellBorders: ['inset', 'inset'],
      imageMargins: ['8px 4px'],
      mapLinks: [['https://news.example/lines/red', 'https://news.example/lines/blue']],
      meters: [0.7, 32],
      anchorTargets: [true],
    });
  });
});
