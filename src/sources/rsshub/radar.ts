import type { Config } from '../../config/load.js';
import type { HttpClient } from '../../fetch/http-client.js';
import { rsshubUrl, signRedirect } from '../locate.js';
import { fillRoute, matchRoute } from './route-pattern.js';

export interface RouteSuggestion {
  route: string;
  title: string;
}

interface RadarRule {
  title?: string;
  source?: string[] | string;
  target?: string;
}

/**
 * RSSHub routes for a web page, from an instance's radar rules (`/api/radar/rules/<domain>`): the rules of
 * the page's subdomain whose source patterns match its path, their targets filled from the match.
 */
export async function suggestRoutes(
  pageUrl: string,
  options: { rsshub: Config['rsshub']; client: HttpClient },
): Promise<RouteSuggestion[]> {
  const page = new URL(pageUrl);
  const host = page.hostname.toLowerCase().replace(/^www\./, '');
  for (const domain of candidateDomains(host)) {
    const rules = await fetchRules(domain, options);
    if (!rules) continue;
    const subdomain = page.hostname.toLowerCase() === domain ? '.' : page.hostname.toLowerCase().slice(0, -(domain.length + 1));
    // The query too: some rules name the page by it (`/news/?classid=24`, `/details?id=:id`).
    const suggestions = matchRules(rules[subdomain] ?? (subdomain === 'www' ? rules['.'] : undefined), page.pathname + page.search);
    if (suggestions.length > 0) return suggestions;
  }
  return [];
}

/** `news.example.com.cn` → news.example.com.cn, example.com.cn, com.cn: the registrable domain is among them. */
function candidateDomains(host: string): string[] {
  const labels = host.split('.');
  const candidates: string[] = [];
  for (let start = 0; labels.length - start >= 2; start++) candidates.push(labels.slice(start).join('.'));
  return candidates;
}

async function fetchRules(
  domain: string,
  { rsshub, client }: { rsshub: Config['rsshub']; client: HttpClient },
): Promise<Record<string, RadarRule[]> | null> {
  for (const instance of rsshub.instances) {
    try {
      const url = rsshubUrl(instance, `/api/radar/rules/${domain}`, rsshub.accessKey);
      const response = await client.get(url, {
        retries: 0,
        headers: { accept: 'application/json' },
        redirectTo: signRedirect(instance, rsshub.accessKey),
      });
      const text = Buffer.from(response.bytes).toString('utf8').trim();
      if (!text) return null; // RSSHub answers an empty body for a domain it has no rules for
      const data: unknown = JSON.parse(text);
      return data && typeof data === 'object' ? (data as Record<string, RadarRule[]>) : null;
    } catch {
      // this instance cannot tell; ask the next
    }
  }
  return null;
}

function matchRules(rules: RadarRule[] | undefined, path: string): RouteSuggestion[] {
  const found = new Map<string, RouteSuggestion>();
  for (const rule of Array.isArray(rules) ? rules : []) {
    const sources = Array.isArray(rule.source) ? rule.source : rule.source ? [rule.source] : [];
    for (const source of sources) {
      const match = matchRoute(source, path);
      const route = match && rule.target ? fillRoute(rule.target, match.params) : null;
      if (route && !found.has(route)) found.set(route, { route, title: rule.title ?? '' });
    }
  }
  return [...found.values()];
}
