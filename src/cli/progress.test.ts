import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../config/load.js';
import { addOutcome, emptySummary, type SourceOutcome } from '../sync/summary.js';
import { Output } from './output.js';
import { progressReporter } from './progress.js';

function capture() {
  const out = { text: '', isTTY: true, write: (chunk: string) => ((out.text += chunk), true) };
  const err = { text: '', isTTY: true, write: (chunk: string) => ((err.text += chunk), true) };
  return { out, err };
}

const source = { key: 'url:x' } as SourceConfig;
const ok: SourceOutcome = {
  source,
  name: '新华网',
  ok: true,
  notModified: false,
  counts: { created: 3, updated: 1, pruned: 0, unchanged: 0, duplicates: 0, tooOld: 12, beyondMaxItems: 0 },
  filtered: 0,
  warning: '',
  keptOut: '12 items older than retention.maxAge (90d) not published',
};
const failed: SourceOutcome = { source, name: '坏源', ok: false, error: 'HTTP 500 from x', errorKind: 'http-5xx' };

function run(output: Output) {
  const reporter = progressReporter(output);
  const summary = emptySummary(3, 2, false);
  reporter.sourceStarted?.(source);
  reporter.sourceStarted?.(source);
  addOutcome(summary, ok);
  reporter.sourceDone(ok, summary);
  addOutcome(summary, failed);
  reporter.sourceDone(failed, summary);
}

describe('progress', () => {
  it('rewrites one live line on a terminal: sources done/total, in flight, posts written', () => {
    const { out, err } = capture();
    run(new Output({ interactive: true }, out, err));
    expect(out.text).toContain('\r\x1b[2K[1/2] sources done · 1 in flight · 4 posts written — 新华网');
    expect(out.text).toContain('[2/2] sources done · 0 in flight · 4 posts written — 坏源');
    expect(out.text).not.toContain('✓');
    // The failure's message is the summary's to print, once.
    expect(out.text + err.text).not.toContain('HTTP 500 from x');
  });

  it('prints one plain line per source when piped or in CI', () => {
    const { out, err } = capture();
    run(new Output({ interactive: false }, out, err));
    expect(out.text.split('\n').filter(Boolean)).toEqual([
      '✓ 新华网: 3 new, 1 updated, 12 kept out by retention',
      '✗ 坏源: failed (http-5xx; see the summary)',
    ]);
    expect(out.text).not.toContain('\r');
    expect(err.text).toBe('');
  });

  it('prints nothing per source with --quiet (the summary names each failure)', () => {
    const { out, err } = capture();
    run(new Output({ quiet: true, interactive: true }, out, err));
    expect(out.text).toBe('');
    expect(err.text).toBe('');
  });
});

describe('the live line', () => {
  it('is cut to the terminal width, counting CJK characters as two columns', () => {
    const { out, err } = capture();
    Object.assign(out, { columns: 30 });
    run(new Output({ interactive: true }, out, err));
    for (const line of out.text
      .split('\r\x1b[2K')
      .map((l) => l.trim())
      .filter(Boolean)) {
      expect(line.endsWith('…')).toBe(true);
      expect([...line].length).toBeLessThanOrEqual(29);
    }
  });
});
