/**
 * Generators of hostile feed documents, shared by the in-process and the CLI tests. Each builds its document
 * on demand (some are megabytes) and is deterministic, so a failure can be reproduced by calling it again.
 */

const RSS_OPEN = '<?xml version="1.0" encoding="UTF-8"?>\n';

function rssDocument(items: string, options: { prolog?: string; channel?: string } = {}): string {
  return (
    RSS_OPEN +
    (options.prolog ?? '') +
    '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Hostile</title>' +
    '<link>https://hostile.example/</link><description>hostile input</description>' +
    (options.channel ?? '') +
    items +
    '</channel></rss>\n'
  );
}

function item(fields: { title: string; link?: string; guid?: string; pubDate?: string; description?: string; extra?: string }): string {
  return (
    '<item>' +
    `<title>${fields.title}</title>` +
    (fields.link === undefined ? '' : `<link>${fields.link}</link>`) +
    (fields.guid === undefined ? '' : `<guid isPermaLink="false">${fields.guid}</guid>`) +
    `<pubDate>${fields.pubDate ?? new Date().toUTCString()}</pubDate>` +
    (fields.description === undefined ? '' : `<description>${fields.description}</description>`) +
    (fields.extra ?? '') +
    '</item>'
  );
}

/**
 * External entities of every kind pointing at `secretFile` and at `origin` (a loopback server): a general
 * entity used in the title, link and description, an external DTD, and a parameter entity.
 */
export function externalEntities(secretFile: string, origin: string): string {
  const prolog =
    `<!DOCTYPE rss SYSTEM "${origin}/external.dtd" [\n` +
    `  <!ENTITY secret SYSTEM "file://${secretFile}">\n` +
    `  <!ENTITY remote SYSTEM "${origin}/entity">\n` +
    `  <!ENTITY % parameter SYSTEM "${origin}/parameter">\n` +
    '  %parameter;\n' +
    ']>\n';
  return rssDocument(
    item({
      title: 'XXE &secret; &remote;',
      link: 'https://hostile.example/xxe',
      description: '<![CDATA[<p>before</p>]]>&secret;&remote;',
    }) + item({ title: 'after the entities', link: 'https://hostile.example/xxe-2', description: '<p>plain</p>' }),
    { prolog },
  );
}

/** The same attack in Atom, with the entity inside an XHTML content element and an attribute. */
export function externalEntitiesAtom(secretFile: string, origin: string): string {
  return (
    RSS_OPEN +
    `<!DOCTYPE feed [<!ENTITY secret SYSTEM "file://${secretFile}"><!ENTITY remote SYSTEM "${origin}/atom-entity">]>\n` +
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>Hostile Atom &secret;</title><id>urn:hostile</id>' +
    '<entry><id>urn:hostile:1</id><title>Atom &secret;&remote;</title><link href="https://hostile.example/atom-1"/>' +
    `<updated>${new Date().toISOString()}</updated>` +
    '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p title="&secret;">x &secret; &remote;</p></div></content></entry></feed>\n'
  );
}

/** Billion laughs (10^9 "lol"s if expanded) and a quadratic blow-up (one 50 KB entity used 20,000 times). */
export function entityExpansion(): string {
  const levels = ['<!ENTITY lol0 "lol">'];
  for (let level = 1; level <= 9; level++) levels.push(`<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`);
  const prolog = `<!DOCTYPE rss [\n${levels.join('\n')}\n<!ENTITY big "${'x'.repeat(50_000)}">\n]>\n`;
  return rssDocument(
    item({ title: 'laughs &lol9;', link: 'https://hostile.example/laughs', description: `&lol9;${'&big;'.repeat(20_000)}` }),
    { prolog },
  );
}

export const DEPTH = 100_000;

/** 100,000 levels of elements: unknown elements in the channel, inside an item, and escaped HTML in a description. */
export function deepNesting(): string {
  const deep = (tag: string) => `<${tag}>`.repeat(DEPTH) + 'bottom' + `</${tag}>`.repeat(DEPTH);
  return rssDocument(
    item({ title: 'deep element', link: 'https://hostile.example/deep-1', extra: deep('x') }) +
      item({
        title: 'deep HTML',
        link: 'https://hostile.example/deep-2',
        description: `${'&lt;div&gt;'.repeat(DEPTH)}deep text${'&lt;/div&gt;'.repeat(DEPTH)}`,
      }) +
      item({
        title: 'deep unclosed HTML',
        link: 'https://hostile.example/deep-3',
        description: `<![CDATA[${'<b><i>'.repeat(DEPTH / 2)}unclosed]]>`,
      }),
    { channel: deep('y') },
  );
}

/** The same depth in JSON Feed: nested arrays in an extension field and nested HTML. */
export function deepJson(): string {
  return (
    '{"version":"https://jsonfeed.org/version/1.1","title":"Deep JSON","_x":' +
    '['.repeat(DEPTH) +
    ']'.repeat(DEPTH) +
    ',"items":[{"id":"deep-json","url":"https://hostile.example/deep-json","title":"deep json",' +
    `"date_published":"${new Date().toISOString()}","content_html":${JSON.stringify('<div>'.repeat(DEPTH) + 'deep')}}]}`
  );
}

/** Declared UTF-8 with invalid sequences and NUL bytes in every field. */
export function invalidUtf8(): Buffer {
  const bad = Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xe4, 0xb8, 0x00]);
  const parts: Array<string | Buffer> = [
    RSS_OPEN,
    '<rss version="2.0"><channel><title>Bad ',
    bad,
    ' bytes</title><link>https://hostile.example/</link>',
    '<item><title>NUL\u0000in',
    bad,
    'title\u0000</title><link>https://hostile.example/utf8-1\u0000</link><guid>g\u0000',
    bad,
    `</guid><pubDate>${new Date().toUTCString()}</pubDate><description>&lt;p&gt;body `,
    bad,
    ' \u0000 end&lt;/p&gt;</description></item>',
    `<item><title>second item</title><link>https://hostile.example/utf8-2</link><pubDate>${new Date().toUTCString()}</pubDate></item>`,
    '</channel></rss>\n',
  ];
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)));
}

/** Undeclared bytes that are neither UTF-8 nor GB18030, NULs included: decoded as windows-1252, never a crash. */
export function undeclaredGarbage(): Buffer {
  return Buffer.concat([
    Buffer.from('<rss version="2.0"><channel><title>x</title><item><title>'),
    Buffer.from([0x80, 0x00, 0xff, 0x81, 0x00, 0xfe, 0x30]),
    Buffer.from(
      `</title><link>https://hostile.example/garbage</link><pubDate>${new Date().toUTCString()}</pubDate></item></channel></rss>`,
    ),
  ]);
}

/**
 * `count` items listed oldest first, one minute apart, the newest a minute before `now`: a cap that kept
 * the first N in document order would keep the oldest. Titles are `Item <n>`, n = 0 the oldest.
 */
export function manyItems(count: number, now = Date.now()): string {
  const parts: string[] = [];
  for (let n = 0; n < count; n++) {
    const date = new Date(now - (count - n) * 60_000).toUTCString();
    parts.push(
      `<item><title>Item ${n}</title><link>https://many.example/${n}</link><pubDate>${date}</pubDate><description>&lt;p&gt;n${n}&lt;/p&gt;</description></item>`,
    );
  }
  return rssDocument(parts.join('\n'));
}

/** The same in JSON Feed. */
export function manyItemsJson(count: number, now = Date.now()): string {
  const items = [];
  for (let n = 0; n < count; n++) {
    items.push({
      id: `j${n}`,
      url: `https://many-json.example/${n}`,
      title: `Item ${n}`,
      date_published: new Date(now - (count - n) * 60_000).toISOString(),
      content_html: `<p>${n}</p>`,
    });
  }
  return JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Many', items });
}

/**
 * A title of about 1 MB: emoji (surrogate pairs) placed so that a cut at 299 or 300 code units would split
 * one, YAML-significant characters, markup, a flag and a family emoji (multi-code-point graphemes); plus a
 * 1 MB author, category and link.
 */
export function hugeFields(): string {
  const unit = "😀a: '#[\u00e9\u0301]&amp;&lt;b&gt;🇨🇳👨‍👩‍👧 ";
  const title = ('x'.repeat(299) + unit.repeat(Math.ceil(1_000_000 / unit.length))).slice(0, 1_000_000);
  const huge = 'y'.repeat(1_000_000);
  return rssDocument(
    item({ title, link: 'https://hostile.example/huge-title', description: '<p>body</p>' }) +
      item({
        title: 'huge fields',
        link: `https://hostile.example/${huge}`,
        guid: huge,
        extra: `<author>${huge}</author><dc:creator>${huge}</dc:creator><category>${huge}</category>`,
      }) +
      item({
        title: '&lt;a'.repeat(200_000),
        link: 'https://hostile.example/huge-markup',
        extra: `<author>${'&lt;('.repeat(200_000)}</author>`,
      }),
  );
}

/** Guids, titles and links built to name files outside the posts directory or reserved device names. */
export const ESCAPING_NAMES = [
  '../../../../etc/passwd',
  '/etc/passwd',
  '..',
  '.',
  'C:\\Windows\\win.ini',
  'CON',
  'NUL',
  'aux.txt',
  'com1',
  'LPT1.md',
  '.htaccess',
  '~',
  '%2e%2e%2fsecret',
  '',
];

export function escapingNames(): string {
  return rssDocument(
    ESCAPING_NAMES.map((name, index) =>
      item({
        title: name === '' ? '' : name.replace(/&/g, '&amp;').replace(/</g, '&lt;'),
        guid: name,
        link: index % 2 === 0 ? `file://${name}` : `https://hostile.example/names/${index}`,
        description: `<p>name ${index}</p>`,
      }),
    ).join(''),
  );
}
