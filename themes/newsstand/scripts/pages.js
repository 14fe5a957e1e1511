/* global hexo */

// The listing pages — home, each category, the archives — laid out so that a new post changes a handful of
// pages, not every page of every list it is in (a site of 20,000 posts had ~5,000 pages move by one post each
// time one was added). A list's posts are cut into numbered pages counted from the oldest: page 1 holds the
// oldest `per_page` posts, page 2 the next, and so on; a post stays on its page for life. The list's own page
// (`/`, `/categories/<category>/`, `/archives/<year>/<month>/`) shows the newest `per_page` posts and links to
// the numbered page holding the next older one. So a new post changes the list's own page and its newest
// numbered page; the others change only when a page fills up or a post is pruned. Pages link to the newer and
// the older page, with no page count, which would change them all.
//
// Archives are by month; /archives/ and /archives/<year>/ list the months with their counts.
//
// Registered when the site is generated, after every plugin has loaded: they replace the index, archive and
// category generators of the plugins newsstand bundles, whatever order those were loaded in.

/** The pages of one list: `posts` newest first; `base` its own page's path; `data` what every page carries. */
function listing({ base, posts, perPage, paginationDir, layout, data }) {
  const total = posts.length;
  const size = perPage > 0 ? perPage : Math.max(total, 1);
  const pages = Math.ceil(total / size);
  // Numbered page n (counted from the oldest) as a slice of the newest-first list.
  const pageOf = (n) => posts.slice(Math.max(0, total - n * size), total - (n - 1) * size);
  const pagePath = (n) => `${base}${paginationDir}/${n}/`;
  // The page holding the newest post the list's own page does not show.
  const olderThanFront = total > size ? Math.floor((total - size - 1) / size) + 1 : 0;
  const routes = [
    {
      path: base,
      layout,
      data: {
        ...data,
        base,
        front: true,
        current: 1,
        prev: 0,
        prev_link: '',
        posts: posts.slice(0, size),
        ...older(olderThanFront, pagePath),
      },
    },
  ];
  for (let n = 1; n <= pages; n++) {
    const newer = n < pages ? { prev: n + 1, prev_link: pagePath(n + 1) } : { prev: 1, prev_link: base };
    routes.push({
      path: pagePath(n),
      layout,
      data: { ...data, base, front: false, current: n, posts: pageOf(n), ...newer, ...older(n - 1, pagePath) },
    });
  }
  return routes;
}

/** Hexo's names for the link to the older page (`next`), when there is one. */
function older(n, pagePath) {
  return n >= 1 ? { next: n, next_link: pagePath(n) } : { next: 0, next_link: '' };
}

function newestFirst(posts) {
  return posts.sort('-date').toArray();
}

function generatorConfig(config, name) {
  const own = config[`${name}_generator`] || {};
  return {
    perPage: own.per_page ?? config.per_page ?? 10,
    paginationDir: own.pagination_dir || config.pagination_dir || 'page',
  };
}

function indexPages(locals) {
  const { perPage, paginationDir } = generatorConfig(this.config, 'index');
  const base = this.config.index_generator?.path || '';
  const layout = this.config.index_generator?.layout || ['index', 'archive'];
  return listing({ base, posts: newestFirst(locals.posts), perPage, paginationDir, layout, data: { __index: true } });
}

function categoryPages(locals) {
  const { perPage, paginationDir } = generatorConfig(this.config, 'category');
  return locals.categories.toArray().flatMap((category) =>
    category.length > 0
      ? listing({
          base: category.path,
          posts: newestFirst(category.posts),
          perPage,
          paginationDir,
          layout: ['category', 'archive', 'index'],
          data: { category: category.name },
        })
      : [],
  );
}

const pad = (n) => String(n).padStart(2, '0');

function archivePages(locals) {
  const { perPage, paginationDir } = generatorConfig(this.config, 'archive');
  const dir = `${this.config.archive_dir || 'archives'}/`;
  const months = new Map();
  for (const post of newestFirst(locals.posts)) {
    const key = post.date.format('YYYY/MM');
    if (!months.has(key)) months.set(key, { year: post.date.year(), month: post.date.month() + 1, path: `${dir}${key}/`, posts: [] });
    months.get(key).posts.push(post);
  }
  const summaries = [...months.values()].map(({ year, month, path, posts }) => ({ year, month, path, count: posts.length }));
  const layout = ['archive', 'index'];
  const routes = [{ path: dir, layout, data: { archive: true, base: dir, months: summaries, posts: [] } }];
  for (const year of new Set(summaries.map((summary) => summary.year))) {
    const base = `${dir}${year}/`;
    routes.push({
      path: base,
      layout,
      data: { archive: true, base, year, months: summaries.filter((summary) => summary.year === year), posts: [] },
    });
  }
  for (const { year, month, posts } of months.values()) {
    routes.push(
      ...listing({ base: `${dir}${year}/${pad(month)}/`, posts, perPage, paginationDir, layout, data: { archive: true, year, month } }),
    );
  }
  return routes;
}

hexo.extend.filter.register('before_generate', () => {
  hexo.extend.generator.register('index', indexPages);
  hexo.extend.generator.register('category', categoryPages);
  hexo.extend.generator.register('archive', archivePages);
});

// For themes/newsstand/_scripts.test.ts; Hexo ignores what a script exports.
module.exports = { listing };
