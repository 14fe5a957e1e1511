import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NEWSSTAND_VERSION, PACKAGE_ROOT, packagePath } from './own-package.js';

const REPO = dirname(dirname(fileURLToPath(import.meta.url)));

describe("newsstand's own package", () => {
  it('is the directory of the nearest package.json above the module, with its version', () => {
    expect(PACKAGE_ROOT).toBe(REPO);
    expect(NEWSSTAND_VERSION).toBe((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('holds the files the commands use: the theme, the site templates', () => {
    expect(existsSync(packagePath('themes', 'newsstand', 'layout'))).toBe(true);
    expect(existsSync(packagePath('templates', 'site', 'gitignore'))).toBe(true);
  });
});
