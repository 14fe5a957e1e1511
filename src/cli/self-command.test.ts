import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configArgument, selfCommand } from './self-command.js';

const dir = mkdtempSync(join(tmpdir(), 'newsstand-self-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = join(dir, 'checkout/bin/newsstand.js');
mkdirSync(join(dir, 'checkout/bin'), { recursive: true });
writeFileSync(script, '');
const globalBin = join(dir, 'prefix/bin');
mkdirSync(globalBin, { recursive: true });
symlinkSync(script, join(globalBin, 'newsstand'));

describe('selfCommand', () => {
  it('is "newsstand" when that name on PATH is the running script (a global install or npm link)', () => {
    expect(selfCommand({ script, env: { PATH: `/usr/bin:${globalBin}` }, cwd: dir })).toBe('newsstand');
  });

  it('is "npx newsstand" under npx', () => {
    expect(selfCommand({ script, env: { PATH: globalBin, npm_command: 'exec' }, cwd: dir })).toBe('npx newsstand');
  });

  it("names the script when it is not on the user's PATH (npm's own node_modules/.bin during a script does not count)", () => {
    const npmBin = join(dir, 'checkout/node_modules/.bin');
    mkdirSync(npmBin, { recursive: true });
    symlinkSync(script, join(npmBin, 'newsstand'));
    const env = { PATH: `${npmBin}:/usr/bin`, npm_lifecycle_event: 'start' };
    expect(selfCommand({ script, env, cwd: join(dir, 'checkout') })).toBe('node bin/newsstand.js');
    expect(selfCommand({ script, env, cwd: join(dir, 'elsewhere') })).toBe(`node ${script}`);
  });
});

describe('configArgument', () => {
  it("is empty for the working directory's newsstand.yml, else -c with a relative or absolute path, quoted when needed", () => {
    expect(configArgument('/site/newsstand.yml', '/site')).toBe('');
    expect(configArgument('/repo/examples/newsstand.yml', '/repo')).toBe(' -c examples/newsstand.yml');
    expect(configArgument('/other/my site/newsstand.yml', '/repo')).toBe(" -c '/other/my site/newsstand.yml'");
  });
});
