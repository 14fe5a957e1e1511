/** RSSHub routes as users and other readers write them: a route's one spelling, and the route an instance URL names. */

/**
 * The route an RSSHub URL names when it is on one of `instances` (scheme aside), without the access
 * parameters (`key`, `code`) that belong to the instance, not the route; else null.
 */
export function routeOnInstance(url: string, instances: readonly string[]): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  for (const instance of instances) {
    let base: URL;
    try {
      base = new URL(instance);
    } catch {
      continue;
    }
    if (base.host.toLowerCase() !== parsed.host.toLowerCase()) continue;
    const prefix = base.pathname.replace(/\/+$/, '');
    if (!parsed.pathname.startsWith(`${prefix}/`)) continue;
    const route = parsed.pathname.slice(prefix.length);
    if (route === '/') continue;
    // The query as written (re-encoding it through URLSearchParams would change the route's own parameters).
    const query = parsed.search
      .slice(1)
      .split('&')
      .filter((parameter) => parameter !== '' && !/^(?:key|code)(?:=|$)/i.test(parameter))
      .join('&');
    return query ? `${route}?${query}` : route;
  }
  return null;
}

/** A route with its path's trailing slashes dropped: `/a/b/` and `/a/b` are one route. */
export function normalizeRoute(route: string): string {
  const [routePath = '', ...query] = route.split('?');
  const trimmed = routePath.length > 1 ? routePath.replace(/\/+$/, '') : routePath;
  return query.length > 0 ? `${trimmed}?${query.join('?')}` : trimmed;
}
