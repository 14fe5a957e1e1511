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
import { linkKey } from '../identity.js';
import { normalizeRoute, routeOnInstance } from './rsshub/routes.js';

/** One string per feed: equal for two sources that read the same feed. */
export function feedIdentity(kind: SourceConfig['kind'], location: string, rsshub: Config['rsshub']): string {
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
function identifiers(source: SourceConfig, config: Config, names: Array<string | undefined>): { exact: Set<string>; identity: string } {
  const exact = new Set<string>([source.location, source.key, source.key.slice(source.key.indexOf(':') + 1)]);
  for (const name of names) if (name) exact.add(name);
  return { exact, identity: feedIdentity(source.kind, source.location, config.rsshub) };
}

/** What `wanted` (as typed) identifies as a feed, when it is a URL, a route or a file path. */
function wantedIdentities(wanted: string, config: Config): string[] {
  const identities: string[] = [];
  if (isHttpUrl(wanted)) identities.push(feedIdentity('url', wanted, config.rsshub));
  const route = wanted.startsWith('rsshub:') ? wanted.slice('rsshub:'.length).trim() : wanted.startsWith('/') ? wanted : null;
  if (route?.startsWith('/')) identities.push(`rsshub:${normalizeRoute(route)}`);
  // A file path as typed (relative to here), or as written in newsstand.yml (relative to its directory).
  if (!isHttpUrl(wanted) && !wanted.startsWith('rsshub:')) {
    identities.push(`file:${path.resolve(wanted)}`, `file:${path.resolve(config.dir, wanted)}`);
  }
  return identities;
}

/**
 * The configured sources `wanted` names: exact matches on name, URL, route, file or key; else the same feed
 * under another spelling of its URL; else a name matching without regard to case.
 */
export function matchSources(config: Config, wanted: string, stateNames: ReadonlyMap<string, string> = new Map()): SourceConfig[] {
  const text = wanted.trim();
  const described = config.sources.map((source) => ({ source, ...identifiers(source, config, [source.name, stateNames.get(source.key), displayName(source, stateNames.get(source.key))]) }));
  const exact = described.filter(({ exact }) => exact.has(text));
  if (exact.length > 0) return exact.map(({ source }) => source);
  const identities = wantedIdentities(text, config);
  const same = described.filter(({ identity }) => identities.includes(identity));
  if (same.length > 0) return same.map(({ source }) => source);
  const lower = text.toLowerCase();
  return described
    .filter(({ source }) => [source.name, stateNames.get(source.key), displayName(source, stateNames.get(source.key))].some((name) => name && name.toLowerCase() === lower))
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
    throw new ConfigError(`${config.file}: ${JSON.stringify(wanted)} names ${matches.length} sources — give its URL, route or file instead:\n${list}`);
  }
  throw new ConfigError(`${config.file}: no source matches ${JSON.stringify(wanted)} (give a source's name, URL, route or file; "newsstand sources" lists them)`);
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
  const identity = feedIdentity(kind, kind === 'file' ? path.resolve(config.dir, rest) : rest, config.rsshub);
  return wantedIdentities(text, config).includes(identity);
}
