/**
 * Naming a source: which configured source a user means (`sync --source`, remove, disable, enable), and when
 * two sources are the same feed (add, import). A source is named by its name, URL, route or file, with URLs
 * compared as the product compares links (scheme, trailing slash, tracking parameters do not matter) and an
 * RSSHub URL on a configured instance taken as its route.
 */
import path from 'node:path';
import type { Config, SourceConfig } from '../config/load.js';
import { isHttpUrl } from '../config/units.js';
import { ConfigError } from '../errors.js';
import { linkKey } from '../item-identity.js';
import { normalizeRoute, routeOnInstance } from './rsshub/routes.js';

/**
 * One string per feed, for comparing sources: equal for two sources that read the same feed however they are
 * spelled. Looser than a source's identity (SourceConfig.key, config/source-key.ts), which is stored and must
 * never change: `http://` and `https://`, a trailing slash, tracking parameters, an RSSHub instance's URL and
 * its route, a relative and an absolute path make different keys but one feed. Never stored.
 */
export function sameFeedKey(kind: SourceConfig['kind'], location: string, rsshub: Config['rsshub']): string {
  if (kind === 'rsshub') return `rsshub:${normalizeRoute(location)}`;
  if (kind === 'file') return `file:${path.resolve(location)}`;
  const route = routeOnInstance(location, rsshub.instances);
  return route ? `rsshub:${normalizeRoute(route)}` : `url:${linkKey(location) || location}`;
}

/** How a source is shown: its name, else its site category, else the name it was last fetched under, else where it is. */
export function displayName(source: SourceConfig, stateName?: string): string {
  return source.name || source.categories[1] || stateName || (source.kind === 'rsshub' ? `rsshub:${source.location}` : source.location);
}

/** The strings `wanted` may be compared with to mean this source (name, URL, route, file, key). */
function identifiers(source: SourceConfig, config: Config, names: Array<string | undefined>): { exact: Set<string>; sameFeed: string } {
  const exact = new Set<string>([source.location, source.key, source.key.slice(source.key.indexOf(':') + 1)]);
  for (const name of names) if (name) exact.add(name);
  return { exact, sameFeed: sameFeedKey(source.kind, source.location, config.rsshub) };
}

/** The same-feed keys of what `wanted` (as typed) names, when it is a URL, a route or a file path. */
function wantedFeedKeys(wanted: string, config: Config): string[] {
  const keys: string[] = [];
  if (isHttpUrl(wanted)) keys.push(sameFeedKey('url', wanted, config.rsshub));
  const route = wanted.startsWith('rsshub:') ? wanted.slice('rsshub:'.length).trim() : wanted.startsWith('/') ? wanted : null;
  if (route?.startsWith('/')) keys.push(`rsshub:${normalizeRoute(route)}`);
  // A file path as typed (relative to here), or as written in newsstand.yml (relative to its directory).
  if (!isHttpUrl(wanted) && !wanted.startsWith('rsshub:')) {
    keys.push(`file:${path.resolve(wanted)}`, `file:${path.resolve(config.dir, wanted)}`);
  }
  return keys;
}

/**
 * The configured sources `wanted` names: exact matches on name, URL, route, file or key; else the same feed
 * under another spelling of its URL; else a name matching without regard to case.
 */
export function matchSources(config: Config, wanted: string, stateNames: ReadonlyMap<string, string> = new Map()): SourceConfig[] {
  const text = wanted.trim();
  const described = config.sources.map((source) => ({
    source,
    ...identifiers(source, config, [source.name, stateNames.get(source.key), displayName(source, stateNames.get(source.key))]),
  }));
  const exact = described.filter(({ exact }) => exact.has(text));
  if (exact.length > 0) return exact.map(({ source }) => source);
  const feedKeys = wantedFeedKeys(text, config);
  const same = described.filter(({ sameFeed }) => feedKeys.includes(sameFeed));
  if (same.length > 0) return same.map(({ source }) => source);
  const lower = text.toLowerCase();
  return described
    .filter(({ source }) =>
      [source.name, stateNames.get(source.key), displayName(source, stateNames.get(source.key))].some(
        (name) => name && name.toLowerCase() === lower,
      ),
    )
    .map(({ source }) => source);
}

/**
 * The one source `wanted` names, or a ConfigError (exit 2) that lists the candidates when it names several
 * or says how to find the name when it names none.
 */
export function onlySource(config: Config, wanted: string, stateNames: ReadonlyMap<string, string> = new Map()): SourceConfig {
  const matches = matchSources(config, wanted, stateNames);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const list = matches.map((source) => `  ${describeSource(source, stateNames.get(source.key))} (line ${source.line})`).join('\n');
    throw new ConfigError(
      `${config.file}: ${JSON.stringify(wanted)} names ${matches.length} sources — give its URL, route or file instead:\n${list}`,
    );
  }
  throw new ConfigError(
    `${config.file}: no source matches ${JSON.stringify(wanted)} (give a source's name, URL, route or file; "newsstand sources" lists them)`,
  );
}

export function describeSource(source: SourceConfig, stateName?: string): string {
  const where = source.kind === 'file' ? `file:${source.key.slice('file:'.length)}` : `${source.kind}:${source.location}`;
  const name = displayName(source, stateName);
  return name === where || name === source.location ? where : `${name} — ${where}`;
}

/** Whether a state row's source (no longer configured) is the one `wanted` names, for `remove --purge`. */
export function stateRowMatches(row: { key: string; name: string }, wanted: string, config: Config): boolean {
  const text = wanted.trim();
  const kind = row.key.slice(0, row.key.indexOf(':')) as SourceConfig['kind'];
  const rest = row.key.slice(row.key.indexOf(':') + 1);
  if ([row.key, rest, row.name].includes(text) || row.name.toLowerCase() === text.toLowerCase()) return true;
  if (kind !== 'url' && kind !== 'rsshub' && kind !== 'file') return false;
  return wantedFeedKeys(text, config).includes(sameFeedKey(kind, kind === 'file' ? path.resolve(config.dir, rest) : rest, config.rsshub));
}
