import { createHash } from 'node:crypto';
import type { Config, SourceConfig } from '../config/load.js';

/**
 * Where a source's feed can be read, in the order to try: one URL or path, or for an RSSHub route one URL
 * per configured instance. With an access key, RSSHub expects `code` = md5(route path + key).
 */
export function feedLocations(source: SourceConfig, rsshub: Config['rsshub']): string[] {
  if (source.kind !== 'rsshub') return [source.location];
  const route = source.location.startsWith('/') ? source.location : `/${source.location}`;
  const path = route.split('?')[0] ?? route;
  const code = rsshub.accessKey ? createHash('md5').update(path + rsshub.accessKey).digest('hex') : '';
  return rsshub.instances.map((instance) => {
    const url = new URL(instance.replace(/\/+$/, '') + route);
    if (code) url.searchParams.set('code', code);
    return url.href;
  });
}
