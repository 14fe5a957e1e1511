// The CLI's bundle (scripts/bundle-cli.mjs), which `npm test` builds first and every CLI test runs through
// bin/newsstand.js. These are the ways a bundle goes wrong that those tests would not all see.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/site.js';

const BUNDLE = join(REPO, 'dist', 'cli-bundle');
const chunks = () => readdirSync(BUNDLE).filter((name) => name.endsWith('.js'));

describe("the CLI's bundle", () => {
  it('finds every file a chunk names relative to itself (the writer thread)', () => {
    const named = new Set<string>();
    for (const chunk of chunks()) {
      const text = readFileSync(join(BUNDLE, chunk), 'utf8');
      for (const [, relative] of text.matchAll(/new URL\("(\.{1,2}\/[^"]*)", import\.meta\.url\)/g)) named.add(relative!);
      for (const [, relative] of text.matchAll(/\brequire(?:\$\d+)?\("(\.{1,2}\/[^"]*)"\)/g)) named.add(relative!);
    }
    // The one this code base has today (src/post/writer-thread.ts); a new one is checked as well. Paths into the
    // package go through own-package.ts: a module's depth below the root differs in the bundle.
    expect([...named]).toContain('./writer-thread-worker.js');
    for (const relative of named) expect(existsSync(join(BUNDLE, relative)), relative).toBe(true);
  });

  it("finds newsstand's package.json from the bundle's directory (own-package.ts): --version", () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const result = spawnSync(process.execPath, [join(REPO, 'bin', 'newsstand.js'), '--version'], { encoding: 'utf8' });
    expect(result.stdout.trim()).toBe(version);
  });

  it('leaves better-sqlite3 and Hexo to be loaded from node_modules', () => {
    const text = chunks()
      .map((chunk) => readFileSync(join(BUNDLE, chunk), 'utf8'))
      .join('\n');
    expect(text).toContain('from "better-sqlite3"');
    expect(text).not.toMatch(/^\/\/ node_modules\/(better-sqlite3|hexo)/m);
    // The bundled dependencies are in it, so Node does not load their modules one by one.
    for (const bundled of ['zod', 'yaml', 'commander', 'feedsmith']) expect(text).toMatch(new RegExp(`^// node_modules/${bundled}/`, 'm'));
  });

  it('the writer thread loads only the atomic write', () => {
    const imports = [...readFileSync(join(BUNDLE, 'writer-thread-worker.js'), 'utf8').matchAll(/from "([^"]+)"/g)].map(([, from]) => from);
    expect(imports.filter((from) => from.startsWith('./'))).toEqual([expect.stringMatching(/^\.\/atomic-write-[\w-]+\.js$/)]);
  });

  it('bin/newsstand.js without a bundle says to build, without a stack trace', () => {
    const copy = mkdtempSync(join(tmpdir(), 'newsstand-nobundle-'));
    try {
      cpSync(join(REPO, 'bin'), join(copy, 'bin'), { recursive: true });
      const result = spawnSync(process.execPath, [join(copy, 'bin', 'newsstand.js'), '--version'], { encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('run "npm run build" in');
      expect(result.stderr).toContain(copy);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
