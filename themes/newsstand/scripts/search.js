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
const { searchDocument, searchHelpers } = require('../lib/search-document.js');

// The index's files. newsstand's incremental build replaces this generator (by its name) with one that keeps the
// index between builds and puts only the posts that changed: the files come out the same.
hexo.extend.generator.register('newsstand-search', function (locals) {
  const helpers = searchHelpers(hexo, this);
  const index = new SearchIndex();
  locals.posts.forEach((post) => {
    const doc = searchDocument(post, helpers);
    index.put(doc[1], doc);
  });
  // Each file's text is made when Hexo writes it, not all held at once: 20,000 posts' texts are ~80 MB.
  return index.files().map((file) => ({ path: file.path, data: () => file.data }));
});

hexo.extend.generator.register('newsstand-search-page', () => ({
  path: 'search/index.html',
  layout: ['search'],
  data: { type: 'search', title: '' },
}));
