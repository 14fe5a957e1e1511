/* global hexo */
'use strict';

// Helpers the layouts use. The feed and search generators use them too (through hexo.extend.helper), so the
// rules for source names, category chains and plain text are written once.

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
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

/** Text of an HTML fragment: no tags, entities decoded, whitespace collapsed, cut at `maxLength` characters. */
hexo.extend.helper.register('ns_plain_text', function (html, maxLength) {
  const text = decodeEntities(
    String(html ?? '')
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<[^>]*>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
  const characters = Array.from(text);
  return maxLength && characters.length > maxLength ? characters.slice(0, maxLength).join('') + '…' : text;
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

/** The name a post's source goes by: its author, else the site level of its categories. */
hexo.extend.helper.register('ns_source', function (post) {
  if (typeof post.author === 'string' && post.author.trim()) return post.author.trim();
  const chain = hexo.extend.helper.get('ns_category_chain').call(this, post.categories);
  return chain[1]?.name ?? chain[0]?.name ?? '';
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

/**
 * A date as `<time>`: absolute in the site's timezone, machine-readable in `datetime` (newsstand.js adds the
 * relative form). A helper rather than a partial: a partial copies the whole template context and re-binds
 * every helper per call, which was most of the rendering time of a large site (one per card).
 */
hexo.extend.helper.register('ns_time', function (value) {
  const datetime = this.escape_html(this.date_xml(value));
  return `<time class="time" datetime="${datetime}">${this.escape_html(this.full_date(value, 'YYYY-MM-DD HH:mm'))}</time>`;
});
