import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/load.js';
import { addOutcome, emptySummary } from '../../sync/summary.js';
import { formatSummary } from './summary.js';

const source = { key: 'url:x' } as SourceConfig;
const counts = { created: 3, updated: 1, pruned: 2, unchanged: 5, duplicates: 1, tooOld: 4, beyondMaxItems: 0 };

describe('formatSummary', () => {
  it('counts sources of the chosen ones and says how many were not due, then posts, then each failure, warning and note', () => {
    const summary = emptySummary(5, 2, false);
    addOutcome(summary, {
      source,
      name: '新华网',
      ok: true,
      notModified: false,
      counts,
      filtered: 2,
      warning: 'images: 1 of 2 not mirrored',
      keptOut: '4 items older than retention.maxAge (90d) not published',
    });
    addOutcome(summary, { source, name: '坏源', ok: false, error: 'HTTP 500 from x', errorKind: 'http-5xx' });
    expect(formatSummary(summary).split('\n')).toEqual([
      'Sources: 1 ok, 1 failed (of 2 fetched; 0 not modified, 3 not due).',
      'Posts: 3 new, 1 updated, 2 pruned (5 unchanged, 1 duplicates skipped, 2 filtered out, 4 kept out by retention).',
      '  ✗ 坏源: [http-5xx] HTTP 500 from x',
      '  ! 新华网: images: 1 of 2 not mirrored',
      '  · 新华网: 4 items older than retention.maxAge (90d) not published',
    ]);
  });

  it('says a dry run and an interrupted run for what they are', () => {
    const summary = { ...emptySummary(1, 1, true), interrupted: true };
    expect(formatSummary(summary).split('\n')).toEqual([
      'Dry run — nothing written. Interrupted — stopped between sources. Sources: 0 ok, 0 failed (of 1 fetched; 0 not modified).',
      'Posts would be: 0 new, 0 updated, 0 pruned (0 unchanged, 0 duplicates skipped, 0 filtered out).',
    ]);
  });
});
