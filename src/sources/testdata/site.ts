/** Sites for the tests of naming sources and of the commands that manage them: newsstand.yml as given, beside feeds/local.xml. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../config/load.js';

export const INSTANCES = 'rsshub:\n  instances: [https://rsshub.app, https://hub.example.net/rsshub]\n';

const dirs: string[] = [];

/** A site directory with this newsstand.yml; returns its loaded configuration. */
export async function site(yml: string): Promise<Config> {
  const dir = mkdtempSync(join(tmpdir(), 'newsstand-manage-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'feeds'));
  writeFileSync(join(dir, 'feeds/local.xml'), '<rss version="2.0"><channel><title>Local</title></channel></rss>');
  writeFileSync(join(dir, 'newsstand.yml'), yml);
  return loadConfig(join(dir, 'newsstand.yml'));
}

/** Deletes every site made by `site` (for afterAll). */
export function removeSites(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
