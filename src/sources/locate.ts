import { createHash } from 'node:crypto';
import type { Config, SourceConfig } from '../config/load.js';

export interface FeedLocation {
  /** A URL or a file path. */
  url: string;
  /** The RSSHub instance (as configured) this URL is on; null for other sources. */
  instance: string | null;
}

/**
 * Where a source's feed can be read, in the order to try: one URL or path, or for an RSSHub route one URL
 * per configured instance (the route's query kept as written).
 */
export function feedLocations(source: SourceConfig, rsshub: Config['rsshub']): FeedLocation[] {
  if (source.kind !== 'rsshub') return [{ url: source.location, instance: null }];
  const route = source.location.startsWith('/') ? source.location : `/${source.location}`;
  return rsshub.instances.map((instance) => ({ url: rsshubUrl(instance, route, rsshub.accessKey), instance }));
}

/**
 * A path on an RSSHub instance. With an access key, RSSHub expects `code` = md5(path without query + key),
 * which proves the key without sending it.
 */
export function rsshubUrl(instance: string, pathAndQuery: string, accessKey: string): string {
  const url = instance.replace(/\/+$/, '') + pathAndQuery;
  if (!accessKey) return url;
  // Appended by hand: rebuilding the query through URLSearchParams would re-encode the route's own parameters.
  return `${url}${url.includes('?') ? '&' : '?'}code=${accessCode(pathAndQuery.split('?')[0]!, accessKey)}`;
}

/**
 * What a redirect's target becomes before it is followed from an RSSHub instance: a move within the instance
 * (RSSHub's own routes redirect) is signed anew for its new path, since the old code proves only the old one.
 * Anywhere else is followed as it is, and never given a code.
 */
export function signRedirect(instance: string, accessKey: string): ((target: string) => string) | undefined {
  if (!accessKey) return undefined;
  const home = new URL(instance);
  const basePath = home.pathname.replace(/\/+$/, '');
  return (target) => {
    const url = new URL(target);
    if (url.origin !== home.origin || !url.pathname.startsWith(`${basePath}/`)) return target;
    const query = url.search
      .slice(1)
      .split('&')
      .filter((pair) => pair !== '' && !/^code(?:=|$)/.test(pair));
    query.push(`code=${accessCode(url.pathname.slice(basePath.length), accessKey)}`);
    return `${url.origin}${url.pathname}?${query.join('&')}`;
  };
}

/**
 * RSSHub hashes the path as the request carries it, percent-encoded (`/test/1/%E4%B8%AD%E6%96%87`), not as the
 * route is written (`/test/1/中文`): the path is encoded here as the request will encode it.
 */
function accessCode(path: string, accessKey: string): string {
  const sent = new URL(path, 'http://rsshub.invalid').pathname;
  return createHash('md5')
    .update(sent + accessKey)
    .digest('hex');
}
