import { describe, expect, it } from 'vitest';
import { helperExecArgv } from './build-helper.js';

describe('helperExecArgv', () => {
  it("adds a heap growing factor to the build's flags", () => {
    expect(helperExecArgv([])).toEqual(['--heap-growing-percent=50']);
    expect(helperExecArgv(['--max-old-space-size=1736', '--import=x.mjs'])).toEqual([
      '--max-old-space-size=1736',
      '--import=x.mjs',
      '--heap-growing-percent=50',
    ]);
  });

  it('keeps a factor the user gave Node, in either spelling', () => {
    expect(helperExecArgv(['--heap-growing-percent=20'])).toEqual(['--heap-growing-percent=20']);
    expect(helperExecArgv(['--heap_growing_percent=80', '--trace-gc'])).toEqual(['--heap_growing_percent=80', '--trace-gc']);
  });
});
