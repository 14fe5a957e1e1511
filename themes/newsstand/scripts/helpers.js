/* global hexo */

// Helpers the layouts use. The feed and search generators use them too (through hexo.extend.helper), so the
// rules for source names, category chains and plain text are written once.

const { isoDate } = require('../lib/iso-date.js');

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text) {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML text or a quoted attribute (Hexo's escape_html also turns "/" into &#x2F;, ugly in URLs). */
function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

function toArray(list) {
  if (!list) return [];
  return typeof list.toArray === 'function' ? list.toArray() : Array.from(list);
}

/** The page's language: Hexo allows a list, whose first entry is the site's. */
hexo.extend.helper.register('ns_lang', function () {
  const language = Array.isArray(this.config.language) ? this.config.language[0] : this.config.language;
  return language && language !== 'default' ? String(language) : 'en';
});

// Tags that break a line in HTML, as newsstand's src/feed/text.ts lists them. Only these stand for a space:
// an inline tag (<b>, <a>) is dropped without a trace, as are comments and scripts, or `a<b>b</b>c` would read
// "a b c" where the page shows "abc". themes/newsstand/_scripts.test.ts checks the two agree.
const LINE_BREAKING_TAG = /^<\/?(?:br|p|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|blockquote|pre|hr|section|article|header|footer)\b/i;

/** Text of an HTML fragment: no tags, entities decoded, whitespace collapsed, cut at `maxLength` characters. */
function plainText(html, maxLength) {
  let text = String(html ?? '');
  if (text.includes('<')) {
    text = text
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<[^>]*>/g, (tag) => (LINE_BREAKING_TAG.test(tag) ? ' ' : ''));
  }
  text = decodeEntities(text).replace(/\s+/g, ' ').trim();
  // Cut in characters, not UTF-16 units: a text within maxLength units is within it in characters too.
  if (!maxLength || text.length <= maxLength) return text;
  const characters = Array.from(text);
  return characters.length > maxLength ? characters.slice(0, maxLength).join('') + '…' : text;
}

hexo.extend.helper.register('ns_plain_text', function (html, maxLength) {
  return plainText(html, maxLength);
});

// The excerpts made of each post, by the post. A post is on a handful of listing pages (the front page's, the
// archive's, each of its categories'); its excerpt is made once, not read and stripped of its tags on each.
// A post whose text changes is another post object: Hexo replaces the document, newsstand's build makes it anew.
const excerpts = new WeakMap();

/** The start of a post's text, as ns_plain_text(post.content, maxLength) gives it. */
hexo.extend.helper.register('ns_excerpt', function (post, maxLength) {
  let made = excerpts.get(post);
  if (!made) excerpts.set(post, (made = new Map()));
  let excerpt = made.get(maxLength);
  if (excerpt === undefined) made.set(maxLength, (excerpt = plainText(post.content, maxLength)));
  return excerpt;
});

/** A front-matter URL the theme may put in src/href: absolute http(s) or root-relative (mirrored images), else ''. */
hexo.extend.helper.register('ns_safe_url', function (url) {
  const value = typeof url === 'string' ? url.trim() : '';
  return /^https?:\/\//i.test(value) || /^\/(?!\/)/.test(value) ? value : '';
});

/**
 * A post's categories from the top level down (category › site › channel). Hexo links a post to every level
 * of its hierarchy but keeps no order, so the chain is walked up from the one category no other one names
 * as its parent.
 */
hexo.extend.helper.register('ns_category_chain', function (categories) {
  const all = toArray(categories);
  const byId = new Map(all.map((category) => [category._id, category]));
  const parents = new Set(all.map((category) => category.parent).filter(Boolean));
  let current = all.find((category) => !parents.has(category._id));
  const chain = [];
  while (current && !chain.includes(current)) {
    chain.unshift(current);
    current = current.parent ? byId.get(current.parent) : undefined;
  }
  return chain;
});

/** The original site of a post, from its `original_url`: host (without "www.") and home page, else null. */
function originalSite(post) {
  const value = typeof post.original_url === 'string' ? post.original_url.trim() : '';
  if (!/^https?:\/\//i.test(value)) return null;
  try {
    const url = new URL(value);
    return url.hostname ? { host: url.hostname.replace(/^www\./i, ''), url: `${url.protocol}//${url.host}/` } : null;
  } catch {
    return null;
  }
}

/**
 * Where a post came from. `name`: the site level of its categories ([category, site, channel]: the source's
 * name by design), else the original site's host, else its author, else its top category. `url`: that
 * category's page on this site (every post of the source), else the original site. `site`: the original
 * site's host and home page, from `original_url`. `author`: the item's author when it is not the source's
 * name (a post's `author` falls back to the source's name), else ''.
 */
function sourceOf(context, post) {
  const chain = hexo.extend.helper.get('ns_category_chain').call(context, post.categories);
  const site = originalSite(post);
  const author = typeof post.author === 'string' ? post.author.trim() : '';
  const category = chain.length > 1 ? chain[1] : null;
  const name = category?.name || site?.host || author || chain[0]?.name || '';
  const url = category ? hexo.extend.helper.get('url_for').call(context, category.path) : (site?.url ?? '');
  return { name: String(name), url, site, author: author && author !== name ? author : '' };
}

hexo.extend.helper.register('ns_source_of', function (post) {
  return sourceOf(this, post);
});

/**
 * A source as the meta line of a card or post shows it: its name, linked to its page on this site (else the
 * original site), then the author when that is someone else. `options.site`: also the original site's host,
 * linked; `options.byline`: the author as "作者：…" rather than the bare name. A helper for the reason ns_time
 * is one.
 */
hexo.extend.helper.register('ns_source_html', function (source, options = {}) {
  const parts = [];
  if (source.name) {
    const title = source.site && source.site.host !== source.name ? ` title="${escapeHtml(source.site.host)}"` : '';
    parts.push(
      source.url
        ? `<a class="source" href="${escapeHtml(source.url)}"${title}>${escapeHtml(source.name)}</a>`
        : `<span class="source">${escapeHtml(source.name)}</span>`,
    );
  }
  if (options.site && source.site && source.site.host !== source.name) {
    parts.push(
      `<a class="source-site" href="${escapeHtml(source.site.url)}" rel="noopener noreferrer nofollow">${escapeHtml(source.site.host)}</a>`,
    );
  }
  if (source.author) {
    parts.push(`<span class="author">${escapeHtml(options.byline ? this.__('by_author', source.author) : source.author)}</span>`);
  }
  return parts.join('\n');
});

/** The name a post's source goes by (see ns_source_of). */
hexo.extend.helper.register('ns_source', function (post) {
  return sourceOf(this, post).name;
});

/** Who wrote a post: its author (the front matter falls back to the source's name), else the source's name. */
hexo.extend.helper.register('ns_author', function (post) {
  const author = typeof post.author === 'string' ? post.author.trim() : '';
  return author || sourceOf(this, post).name;
});

/** The lead image above the article, unless the article's own first image is that image already. */
hexo.extend.helper.register('ns_show_headimg', function (post) {
  const headimg = hexo.extend.helper.get('ns_safe_url').call(this, post.headimg);
  if (!headimg) return false;
  const firstImage = /<img\b[^>]*?\ssrc\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(post.content ?? '');
  const firstSrc = firstImage ? decodeEntities(firstImage[2] ?? firstImage[3] ?? firstImage[4] ?? '') : '';
  return firstSrc !== headimg;
});

/** Top-level categories, by name. */
hexo.extend.helper.register('ns_top_categories', function (categories) {
  return toArray(categories ?? this.site.categories)
    .filter((category) => !category.parent && category.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN'));
});

/** The category a category page (any of its pages) shows. */
hexo.extend.helper.register('ns_page_category', function () {
  return toArray(this.site.categories).find((category) => category.path === this.page.base);
});

/** A category's own sub-categories, by name. */
hexo.extend.helper.register('ns_child_categories', function (category) {
  return toArray(this.site.categories)
    .filter((child) => child.parent === category._id && child.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN'));
});

/** The ancestors of a category and the category itself, from the top level down. */
hexo.extend.helper.register('ns_category_ancestry', function (category) {
  const byId = new Map(toArray(this.site.categories).map((each) => [each._id, each]));
  const chain = [];
  for (let current = category; current && !chain.includes(current); current = byId.get(current.parent)) chain.unshift(current);
  return chain;
});

/** "UTC+8", "UTC-3:30", "UTC" for a moment offset such as "+08:00". */
function utcLabel(offset) {
  const match = /^([+-])(\d\d):(\d\d)$/.exec(offset);
  if (!match) return '';
  const hours = Number(match[2]);
  const minutes = Number(match[3]);
  if (!hours && !minutes) return 'UTC';
  return `UTC${match[1]}${hours}${minutes ? ':' + match[3] : ''}`;
}

/** The language Hexo's date helpers format in (hexo/dist/plugins/helper/date.js getLanguage): what a kept date depends on. */
function dateLanguage(helpers) {
  return helpers.page.lang || helpers.page.language || helpers.config.language;
}

// The <time> last made of each post's date, by the date: a post is on a handful of listing pages besides its
// own, and formatting a date three ways through moment was most of what those cards cost. Kept with what the
// text depends on — the instant, the site's timezone, the page's language, the zone shown or not — so a date
// read under other settings is made anew. One per date: a post's own page (with the zone) is rendered once.
const times = new WeakMap();

/**
 * A date as `<time>`: visible in the site's timezone ("2026-03-02 10:00", with `zone` also "UTC+8"), the
 * timezone in its title, machine-readable in `datetime`; newsstand.js adds the relative form after it,
 * inside the same `.when` (one piece of a meta line that wraps). A helper rather than a partial: a partial
 * copies the whole template context and re-binds every helper per call, which was most of the rendering
 * time of a large site (one per card).
 */
hexo.extend.helper.register('ns_time', function (value, zone) {
  if (value === null || typeof value !== 'object') return timeElement(this, value, zone);
  const key = `${value.valueOf()}\u0000${this.config.timezone}\u0000${dateLanguage(this)}\u0000${zone ? 1 : 0}`;
  let made = times.get(value);
  if (made?.key !== key) times.set(value, (made = { key, html: timeElement(this, value, zone) }));
  return made.html;
});

function timeElement(helpers, value, zone) {
  const datetime = escapeHtml(isoDate(value, (date) => helpers.date_xml(date)));
  // One moment made and formatted, not two: the time and the offset, apart at the last "|" (not "[|]", which
  // moment formats three times slower).
  const both = helpers.full_date(value, 'YYYY-MM-DD HH:mm|Z');
  const cut = both.lastIndexOf('|');
  const local = cut < 0 ? both : both.slice(0, cut);
  const offset = cut < 0 ? '' : utcLabel(both.slice(cut + 1));
  const text = zone && offset ? `${local} ${offset}` : local;
  const title = offset ? `${local} (${[helpers.config.timezone, offset].filter(Boolean).join(', ')})` : local;
  return `<span class="when"><time class="time" datetime="${datetime}" title="${escapeHtml(title)}">${escapeHtml(text)}</time></span>`;
}

// The footer's year, made through moment once a minute rather than on every page (45,000 of them at 20,000 posts),
// for the site's timezone and the page's language.
let currentYear = { key: '', text: '' };

/** The current year, as date(new Date(), 'YYYY') gives it. */
hexo.extend.helper.register('ns_year', function () {
  const key = `${Math.floor(Date.now() / 60_000)}\u0000${this.config.timezone}\u0000${dateLanguage(this)}`;
  if (currentYear.key !== key) currentYear = { key, text: this.date(new Date(), 'YYYY') };
  return currentYear.text;
});
