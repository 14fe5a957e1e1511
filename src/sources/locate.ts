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
  const code = createHash('md5').update(pathAndQuery.split('?')[0]! + accessKey).digest('hex');
  return `${url}${url.includes('?') ? '&' : '?'}code=${code}`;
}
