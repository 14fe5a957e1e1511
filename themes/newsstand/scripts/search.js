/* global hexo */

// Search on a static host, over the whole text of every post, in the browser. The index is lib/search-index.js
// (what its files hold is described there): this generator puts every post into it and writes its files, and
// the search page:
//
//   search.json, search/p/<n>.json, search/d/<n>.json   the index
//   search/index.html   the page (layout search.ejs, scripts js/search-fold-table.js, search-core.js, search.js)
//
// A query reads the manifest, the one posting shard of each of its keys, and the document shards of the
// results it shows (20 at a time): bench/parts/search.mjs measures how much.
//
// lib/ is outside scripts/ because Hexo runs every file there; its package.json keeps it CommonJS whatever the
// site's package says.

const { SearchIndex } = require('../lib/search-index.js');

/**
 * A post as the index stores it: [title, url, date, source, names, text]. Its key is its URL, which a
 * renderer that keeps the index between builds knows as well (the files depend on the keys).
 */
function searchDocument(post, helpers) {
  const names = helpers.chainOf(post.categories).map((category) => category.name);
  // The source is the site a post comes from: the second level of newsstand's categories (ns_source says
  // what else stands for it in a post without them).
  const source = names[1] || helpers.sourceOf(post) || '';
  const author = typeof post.author === 'string' ? post.author.trim() : '';
  const others = [...names, author].filter((name, i, all) => name && name !== source && all.indexOf(name) === i);
  return [
    String(post.title || ''),
    helpers.urlFor(post.path),
    post.date.toISOString(),
    source,
    others.join(' · '),
    helpers.plainText(post.content),
  ];
}

hexo.extend.generator.register('newsstand-search', function (locals) {
  const helper = (name) => hexo.extend.helper.get(name).bind(this);
  const helpers = {
    urlFor: helper('url_for'),
    chainOf: helper('ns_category_chain'),
    sourceOf: helper('ns_source'),
    plainText: helper('ns_plain_text'),
  };
  const index = new SearchIndex();
  locals.posts.forEach((post) => {
    const doc = searchDocument(post, helpers);
    index.put(doc[1], doc);
  });
  return [
    // Each file's text is made when Hexo writes it, not all held at once: 20,000 posts' texts are ~80 MB.
    ...index.files().map((file) => ({ path: file.path, data: () => file.data })),
    { path: 'search/index.html', layout: ['search'], data: { type: 'search', title: '' } },
  ];
});
