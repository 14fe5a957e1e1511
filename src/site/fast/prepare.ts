import type Hexo from 'hexo';
import { BuildCache, buildCachePath } from './build-cache.js';
import type { BuildMemory } from './memory.js';
import { cachedSiteModel } from './model.js';
import { restoreSearch, searchStatePath, themeHasSearch } from './search.js';

/**
 * Reads into a kept worker's memory what its first build would read — build.db's posts, categories and routes, the
 * search state — and makes the model's posts, before any build is asked for: watch and serve start their worker so,
 * and even the first new post they build is a warm build. Reads only, without the site's lock (one read
 * transaction, and the generation it read at: a build by another process since makes it stale, as always). Reads
 * nothing when there is no cache for this environment: the first build makes everything anyway.
 */
export async function prepareFastBuild(
  hexo: Hexo,
  request: { root: string; postsDir: string; environment: string; memory: BuildMemory; now: number },
): Promise<void> {
  const cache = BuildCache.read(buildCachePath(request.root), request.environment);
  if (!cache) return;
  try {
    const { generation, posts, categories, routes } = cache.snapshot();
    if (generation === undefined || routes.length === 0) return;
    await hexo.theme.process();
    cachedSiteModel({ hexo, cache, posts, categories, postsDir: request.postsDir, now: request.now, memory: request.memory });
    const search = themeHasSearch(hexo)
      ? await restoreSearch({ hexo, statePath: searchStatePath(request.root), environment: request.environment, generation })
      : null;
    request.memory.keep({
      generation,
      posts: new Map(posts.map((post) => [post.name, post])),
      routes: new Map(routes.map((route) => [route.path, route])),
      search,
    });
  } finally {
    cache.close();
  }
}
