#!/usr/bin/env node
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node ≥ 22.1 keeps compiled code between runs: start-up is most of a cron run in which no feed changed.
module.enableCompileCache?.();
// The CLI as one bundle (scripts/bundle-cli.mjs), which `npm run build` makes after tsc.
const bundle = new URL('../dist/cli-bundle/main.js', import.meta.url);
if (!existsSync(bundle)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(`newsstand: ${fileURLToPath(bundle)} is missing: run "npm run build" in ${root}, then try again.\n`);
  process.exit(1);
}
const { main } = await import(bundle.href);

process.exitCode = await main(process.argv.slice(2));
