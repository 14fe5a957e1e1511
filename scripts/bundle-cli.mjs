#!/usr/bin/env node
// The CLI's bundle, the second step of `npm run build` (tsc, then this): bin/newsstand.js loads
// dist/cli-bundle/main.js, made from tsc's dist/cli/main.js and the modules it imports. Node 20 resolves, reads
// and links each ES module on its own: a sync loaded ~500 of them (~100 of ours, zod's 95, yaml's 72,
// feedsmith's 132) where the bundle loads ~60: `--version` takes 0.11 s instead of 0.17, a first sync of 2,000
// items ~0.12 s less. dist/ stays as tsc wrote it, for the library (dist/index.js), the Hexo worker process
// (dist/site/hexo-generate.js) and tools.
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const warnings = [];
await build({
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  input: {
    main: 'dist/cli/main.js',
    // writer-thread.js starts it from beside itself (`new URL('./writer-thread-worker.js', import.meta.url)`),
    // and every chunk is written to one directory.
    'writer-thread-worker': 'dist/post/writer-thread-worker.js',
  },
  platform: 'node',
  // better-sqlite3 finds its native addon from its own package directory; Hexo and its plugins are loaded by
  // Hexo from the site's node_modules, in the worker process.
  external: ['better-sqlite3', 'hexo', /^hexo-/],
  onLog: (level, log) => warnings.push(`${level}: ${log.message}`),
  output: {
    dir: 'dist/cli-bundle',
    format: 'esm',
    cleanDir: true,
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
  },
});
// Shown, not fatal: a warning (a dynamic import that also is static, say) costs start-up time, not correctness.
for (const warning of warnings) process.stderr.write(`bundle-cli: ${warning}\n`);
