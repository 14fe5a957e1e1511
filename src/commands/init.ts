/** `newsstand init`: a new site scaffolded by site/init.ts, loaded only when asked for. */
import type { InitOptions } from '../site/init.js';

/** Returns the site's directory, absolute. */
export async function createSite(options: InitOptions): Promise<{ root: string }> {
  const { initSite } = await import('../site/init.js');
  return { root: await initSite(options) };
}
