/* global hexo */
'use strict';

// Search on a static host: /search.json holds every post's title, source, categories and the start of its
// text; /search/ (layout search.ejs, script js/search.js) matches the query against it in the browser.

hexo.extend.generator.register('newsstand-search', function (locals) {
  const helper = (name) => hexo.extend.helper.get(name).bind(this);
  const textLength = Number(this.theme.config.search?.text_length) || 300;
  const index = locals.posts
    .sort('-date')
    .toArray()
    .map((post) => ({
      title: post.title || '',
      url: helper('url_for')(post.path),
      source: helper('ns_source')(post),
      date: post.date.toISOString(),
      categories: helper('ns_category_chain')(post.categories).map((category) => category.name),
      text: helper('ns_plain_text')(post.content, textLength),
    }));
  return [
    { path: 'search.json', data: JSON.stringify(index) },
    { path: 'search/index.html', layout: ['search'], data: { type: 'search', title: '' } },
  ];
});
