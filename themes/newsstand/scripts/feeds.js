/* global hexo */

// Feeds out: Atom 1.0 and JSON Feed 1.1 for the whole site (/atom.xml, /feed.json) and for each top-level
// category, beside its page (categories/<slug>/atom.xml, feed.json).

// The characters no text may carry, as newsstand's src/xml-text.ts defines them (which says why): C0 controls
// but tab, LF and CR, DEL, C1 controls and U+FFFE/U+FFFF removed, each unpaired surrogate first made U+FFFD.
// A copy, because this theme runs in the site's Hexo, which does not load newsstand's modules, and the site
// keeps its copy of the theme across newsstand upgrades; themes/newsstand/_scripts.test.ts checks the two agree.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function withoutNonXmlCharacters(value) {
  return String(value ?? '')
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(NOT_XML, '');
}

function xmlText(value) {
  return withoutNonXmlCharacters(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function jsonText(value) {
  return withoutNonXmlCharacters(value);
}

function isoDate(value) {
  if (!value) return '';
  const date = typeof value.toDate === 'function' ? value.toDate() : new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

function imageType(url) {
  const extension = /\.(jpe?g|png|gif|webp|avif|svg)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  if (!extension) return 'image/jpeg';
  return { jpg: 'image/jpeg', jpeg: 'image/jpeg', svg: 'image/svg+xml' }[extension] ?? `image/${extension}`;
}

/** What both formats say about one post. */
function entryOf(ctx, post) {
  const helper = (name) => hexo.extend.helper.get(name).bind(ctx);
  const fullUrl = helper('full_url_for');
  const image = helper('ns_safe_url')(post.headimg || post.thumbnail);
  const published = isoDate(post.date);
  // Without `updated` in the front matter Hexo uses the file's mtime, which says when the file was last written,
  // not when the item changed. Asked of any Hexo post (hand-written ones too), so read off Hexo's own front-matter
  // block: newsstand's posts always carry `updated` (src/post/ writes them).
  const frontMatter = /^-{3,}\s*\n([\s\S]*?)\n-{3,}/.exec(post.raw ?? '')?.[1] ?? '';
  const updated = /^updated:/m.test(frontMatter) ? isoDate(post.updated) : '';
  return {
    id: typeof post.newsstand_id === 'string' && post.newsstand_id ? `urn:newsstand:${post.newsstand_id}` : fullUrl(post.path),
    url: fullUrl(post.path),
    original: helper('ns_safe_url')(post.original_url),
    title: post.title || '',
    published,
    updated: updated > published ? updated : published,
    author: helper('ns_author')(post),
    summary: helper('ns_plain_text')(post.content, 300),
    content: post.content || '',
    image: image?.startsWith('/') ? fullUrl(image) : image,
    categories: helper('ns_category_chain')(post.categories).map((category) => category.name),
  };
}

function atom(feed) {
  const entries = feed.entries.map((entry) =>
    [
      '  <entry>',
      `    <title type="text">${xmlText(entry.title)}</title>`,
      `    <id>${xmlText(entry.id)}</id>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(entry.url)}"/>`,
      entry.original ? `    <link rel="related" type="text/html" href="${xmlText(entry.original)}"/>` : '',
      entry.image ? `    <link rel="enclosure" type="${imageType(entry.image)}" href="${xmlText(entry.image)}"/>` : '',
      `    <published>${entry.published}</published>`,
      `    <updated>${entry.updated}</updated>`,
      entry.author ? `    <author><name>${xmlText(entry.author)}</name></author>` : '',
      ...entry.categories.map((name) => `    <category term="${xmlText(name)}"/>`),
      `    <summary type="text">${xmlText(entry.summary)}</summary>`,
      `    <content type="html">${xmlText(entry.content)}</content>`,
      '  </entry>',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  const updated =
    feed.entries.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), '') || new Date(0).toISOString();
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    // xml:base resolves the root-relative URLs of mirrored images in the content.
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="${xmlText(feed.siteUrl)}"${feed.language ? ` xml:lang="${xmlText(feed.language)}"` : ''}>`,
    `  <title type="text">${xmlText(feed.title)}</title>`,
    feed.description ? `  <subtitle type="text">${xmlText(feed.description)}</subtitle>` : '',
    `  <id>${xmlText(feed.atomUrl)}</id>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(feed.atomUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(feed.homeUrl)}"/>`,
    `  <updated>${updated}</updated>`,
    feed.author ? `  <author><name>${xmlText(feed.author)}</name></author>` : '',
    '  <generator>newsstand</generator>',
    ...entries,
    '</feed>',
    '',
  ]
    .filter(Boolean)
    .join('\n');
}

function jsonFeed(feed) {
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title: jsonText(feed.title),
    home_page_url: feed.homeUrl,
    feed_url: feed.jsonUrl,
    ...(feed.description ? { description: jsonText(feed.description) } : {}),
    ...(feed.language ? { language: feed.language } : {}),
    ...(feed.author ? { authors: [{ name: jsonText(feed.author) }] } : {}),
    items: feed.entries.map((entry) => ({
      id: entry.id,
      url: entry.url,
      ...(entry.original ? { external_url: entry.original } : {}),
      title: jsonText(entry.title),
      content_html: jsonText(entry.content),
      summary: jsonText(entry.summary),
      ...(entry.image ? { image: entry.image } : {}),
      date_published: entry.published,
      date_modified: entry.updated,
      ...(entry.author ? { authors: [{ name: jsonText(entry.author) }] } : {}),
      tags: entry.categories.map(jsonText),
    })),
  };
  return JSON.stringify(document, null, 2) + '\n';
}

hexo.extend.generator.register('newsstand-feeds', function (locals) {
  const fullUrl = hexo.extend.helper.get('full_url_for').bind(this);
  const language = hexo.extend.helper.get('ns_lang').call(this);
  const limit = Number(this.theme.config.feeds?.limit) || 50;
  const newest = (posts) =>
    posts
      .sort('-date')
      .limit(limit)
      .toArray()
      .map((post) => entryOf(this, post));
  const feeds = [
    { dir: '', title: this.config.title, description: this.config.description || this.config.subtitle, posts: locals.posts },
    ...hexo.extend.helper
      .get('ns_top_categories')
      .call(this, locals.categories)
      .map((category) => ({
        dir: category.path,
        title: `${this.config.title} · ${category.name}`,
        description: '',
        posts: category.posts,
      })),
  ];
  return feeds.flatMap(({ dir, title, description, posts }) => {
    const feed = {
      title,
      description,
      language,
      author: this.config.author,
      siteUrl: fullUrl('/'),
      homeUrl: fullUrl(dir),
      atomUrl: fullUrl(`${dir}atom.xml`),
      jsonUrl: fullUrl(`${dir}feed.json`),
      entries: newest(posts),
    };
    return [
      { path: `${dir}atom.xml`, data: atom(feed) },
      { path: `${dir}feed.json`, data: jsonFeed(feed) },
    ];
  });
});

// For themes/newsstand/_scripts.test.ts; Hexo ignores what a script exports.
module.exports = { withoutNonXmlCharacters, xmlText, jsonText };
