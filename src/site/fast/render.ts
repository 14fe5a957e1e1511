import { join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type Hexo from 'hexo';
import { bindHelpersOnUse, i18nPerLanguages, urlForByPath } from '../hexo-tuning.js';
import type { SiteLocals } from './model.js';
import { pageUrlFor } from './page-url.js';

/** A route as the generators made it: a page rendered through the first layout the theme has, or data as it is. */
export interface GeneratedRoute {
  path: string;
  /** The layouts to try, in order; null for a route whose data is its bytes (feeds, assets, search files). */
  layout: string[] | null;
  data: unknown;
}

/** Every route the generators make from this model, by path (as Hexo's router, a later route of a path wins). */
export async function generateRoutes(hexo: Hexo, locals: SiteLocals, skip: ReadonlySet<string>): Promise<Map<string, GeneratedRoute>> {
  const generators = hexo.extend.generator.list() as unknown as Record<string, (this: Hexo, locals: SiteLocals) => unknown>;
  const results: Array<{ path?: string; layout?: string | string[]; data?: unknown }> = [];
  for (const [name, generator] of Object.entries(generators)) {
    if (skip.has(name)) continue;
    const made = await Reflect.apply(generator, hexo, [locals]);
    if (Array.isArray(made)) results.push(...(made as typeof results));
    else if (made && typeof made === 'object') results.push(made as (typeof results)[number]);
  }
  const byPath = new Map<string, GeneratedRoute>();
  for (const result of results) {
    if (!result || typeof result !== 'object' || result.path == null) continue;
    const path = hexo.route.format(result.path);
    const layout = result.layout ? [...new Set(Array.isArray(result.layout) ? result.layout : [result.layout])] : null;
    byPath.set(path, { path, layout, data: result.data });
  }
  return byPath;
}

/**
 * Renders pages of this model as Hexo's router would: template locals, the first layout the theme has, injectors,
 * after_render:html.
 */
export function pageRenderer(hexo: Hexo, site: SiteLocals): (path: string, layouts: readonly string[], data: unknown) => Promise<Buffer> {
  urlForByPath(hexo);
  i18nPerLanguages(hexo);
  bindHelpersOnUse(hexo);
  const Locals = localsClass(hexo, site);
  const { injector } = hexo.extend as unknown as { injector: { exec(html: string, locals: unknown): string } };
  return async (path, layouts, data) => {
    const locals = await hexo.execFilter('template_locals', new Locals(path, (data ?? {}) as object), { context: hexo });
    for (const name of layouts) {
      const view = hexo.theme.getView(name);
      if (!view) continue;
      const html = await view.render(locals);
      const result = await hexo.execFilter('_after_html_render', injector.exec(html, locals), { context: hexo, args: [locals] });
      return Buffer.from(String(result ?? ''));
    }
    throw new Error(`No layout for ${path} (${layouts.join(', ')}) in the theme`);
  };
}

/** Hexo's template locals (hexo/index.js _generateLocals), with this build's site instead of Hexo's database. */
function localsClass(hexo: Hexo, site: SiteLocals) {
  const { config, env, theme } = hexo;
  const themeDir = (hexo as unknown as { theme_dir: string }).theme_dir;
  const fullUrlFor = (hexo.extend.helper.get('full_url_for') as (this: unknown, path: string) => string).bind({
    config: { url: config.url },
  });
  const urlOf = pageUrlFor(String(config.url), fullUrlFor);
  return class Locals {
    page: Record<string, unknown>;
    path: string;
    url: string;
    config = config;
    theme = theme.config;
    layout = 'layout';
    env = env;
    view_dir = join(themeDir, 'layout') + sep;
    site = site;
    cache = false;
    constructor(path: string, data: object) {
      this.page = { ...data };
      if (this.page.path == null) this.page.path = path;
      this.path = path;
      this.url = urlOf(path);
    }
  };
}

/** A route's data as Hexo's router streams it: a string, a Buffer, an object (as JSON), or a function of these or a stream. */
export async function routeBytes(hexo: Hexo, path: string, data: unknown): Promise<Buffer> {
  hexo.route.set(path, data as never);
  const stream = hexo.route.get(path) as unknown as Readable;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  hexo.route.remove(path);
  return Buffer.concat(chunks);
}
