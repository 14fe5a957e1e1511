// A post as the search index stores it, for scripts/search.js and for a renderer that keeps the index between
// builds (newsstand's incremental build): both must make the same document of the same post.

const { isoDate } = require('./iso-date.js');

/**
 * The helpers a document needs, bound as a generator has them (`this` of a generator is Hexo).
 * @param {object} hexo
 * @param {object} context what the helpers are bound to
 */
function searchHelpers(hexo, context) {
  const helper = (name) => hexo.extend.helper.get(name).bind(context);
  return {
    urlFor: helper('url_for'),
    chainOf: helper('ns_category_chain'),
    sourceOf: helper('ns_source'),
    plainText: helper('ns_plain_text'),
  };
}

/**
 * A post as the index stores it: [title, url, date, source, names, text]. Its key is its URL (doc[1]), which a
 * renderer that keeps the index knows as well (the files depend on the keys).
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
    isoDate(post.date, (date) => date.toISOString()),
    source,
    others.join(' · '),
    helpers.plainText(post.content),
  ];
}

module.exports = { searchDocument, searchHelpers };
