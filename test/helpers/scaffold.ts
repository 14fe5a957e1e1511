import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { runCli } from './site.js';

/**
 * `newsstand init DIR --no-install`, then the new newsstand.yml cut down to its local example feed: its real
 * feeds are on the web, and tests fetch nothing from the network. Returns the configuration file.
 */
export async function scaffoldOfflineSite(dir: string): Promise<string> {
  const init = await runCli(['init', dir, '--no-install']);
  if (init.code !== 0) throw new Error(`newsstand init failed (${init.code}): ${init.stderr}`);
  const configFile = join(dir, 'newsstand.yml');
  keepOnlyExampleFeed(configFile);
  return configFile;
}

export function keepOnlyExampleFeed(configFile: string): void {
  const document = parseDocument(readFileSync(configFile, 'utf8'));
  const sources = document.get('sources') as { items: unknown[] };
  sources.items = sources.items.slice(0, 1);
  writeFileSync(configFile, document.toString());
}
