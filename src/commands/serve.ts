/** `newsstand serve`: the preview server of site/serve.ts, loaded only when asked for (it brings Hexo), until SIGINT/SIGTERM. */
import type { ServeOptions } from '../site/serve.js';
import { withInterrupt } from './interrupt.js';

export async function servePreview(options: Omit<ServeOptions, 'signal'>): Promise<void> {
  const { serveSite } = await import('../site/serve.js');
  await withInterrupt(
    (signal) => serveSite({ ...options, signal }),
    () => options.log('stopping…'),
  );
}
