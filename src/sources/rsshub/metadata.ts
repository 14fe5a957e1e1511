import type { Config } from '../../config/load.js';
import type { HttpClient } from '../../fetch/http-client.js';
import type { StateStore } from '../../store/state.js';
import { rsshubUrl, signRedirect } from '../locate.js';
import { categoryDisplayName } from './categories.js';
import type { RsshubInstances } from './instances.js';
import { matchRoute } from './route-pattern.js';

interface NamespaceMetadata {
  name?: string;
  categories?: string[];
  zh?: { name?: string };
  routes?: Record<string, { path?: string | string[]; name?: string; categories?: string[] }>;
}

/** Metadata newer than this is used without asking the API again. */
const FRESH_MS = 24 * 60 * 60 * 1000;

/**
 * Categories for RSSHub sources that configure none, from the instance's metadata API: the route matching
 * the source's path gives [category display name, namespace name, route name]. Namespace metadata is cached
 * in the state database, so a run works when every instance's API is down.
 */
export class RsshubMetadata {
  private readonly loaded = new Map<string, Promise<NamespaceMetadata | null>>();

  constructor(
    private readonly options: {
      rsshub: Config['rsshub'];
      client: HttpClient;
      instances: RsshubInstances;
      store: StateStore;
      now: number;
      signal?: AbortSignal;
    },
  ) {}

  /** [category, site, channel] for a route such as `/aljazeera/chinese/news?limit=20`, or null when unknown. */
  async categoriesFor(route: string): Promise<string[] | null> {
    const segments = (route.split('?')[0] ?? '').split('/').filter(Boolean);
    if (segments.length === 0) return null;
    // Most namespaces are one segment; a few nest (`a/b`): try the short one first.
    for (const length of segments.length > 2 ? [1, 2] : [1]) {
      const namespace = segments.slice(0, length).join('/');
      const metadata = await this.namespace(namespace);
      if (metadata) return categoriesFrom(metadata, `/${segments.slice(length).join('/')}`, this.options.rsshub.language);
    }
    return null;
  }

  private namespace(namespace: string): Promise<NamespaceMetadata | null> {
    let pending = this.loaded.get(namespace);
    if (!pending) this.loaded.set(namespace, (pending = this.load(namespace)));
    return pending;
  }

  private async load(namespace: string): Promise<NamespaceMetadata | null> {
    const { store, now } = this.options;
    const cached = store.rsshubNamespaces.get(namespace);
    if (cached && now - cached.fetchedAt < FRESH_MS) return parse(cached.metadata);
    const fetched = await this.fetchNamespace(namespace);
    if (fetched) {
      store.rsshubNamespaces.save(namespace, fetched, now);
      return parse(fetched);
    }
    return cached ? parse(cached.metadata) : null;
  }

  /** The namespace's JSON from the first live instance that has it; null when none answers with it. */
  private async fetchNamespace(namespace: string): Promise<string | null> {
    const { rsshub, client, instances, signal } = this.options;
    for (const instance of instances.alive(rsshub.instances)) {
      const url = rsshubUrl(instance, `/api/namespace/${namespace}`, rsshub.accessKey);
      try {
        const response = await instances.use(instance, () =>
          client.get(url, {
            signal,
            retries: 0,
            headers: { accept: 'application/json' },
            redirectTo: signRedirect(instance, rsshub.accessKey),
          }),
        );
        const text = Buffer.from(response.bytes).toString('utf8');
        if (parse(text)?.routes) return text;
      } catch {
        // a dead instance (now marked), or one without this namespace: ask the next
      }
    }
    return null;
  }
}

function categoriesFrom(metadata: NamespaceMetadata, path: string, language: 'zh' | 'en'): string[] | null {
  let best: { name: string; categories: string[]; score: number } | null = null;
  for (const route of Object.values(metadata.routes ?? {})) {
    const patterns = Array.isArray(route.path) ? route.path : [route.path ?? ''];
    for (const pattern of patterns) {
      const match = matchRoute(pattern, path);
      if (match && (!best || match.score > best.score))
        best = { name: route.name ?? '', categories: route.categories ?? [], score: match.score };
    }
  }
  if (!best) return null;
  const categoryId = [...best.categories, ...(metadata.categories ?? [])].find((id) => id !== 'popular') ?? 'other';
  const site = (language === 'zh' ? metadata.zh?.name : undefined) || metadata.name || '';
  return [categoryDisplayName(categoryId, language), site, best.name].map((part) => part.trim()).filter(Boolean);
}

function parse(text: string): NamespaceMetadata | null {
  try {
    const data: unknown = JSON.parse(text);
    return data && typeof data === 'object' ? (data as NamespaceMetadata) : null;
  } catch {
    return null;
  }
}
