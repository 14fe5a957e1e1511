import { describe, expect, it } from 'vitest';
import { withReferrerMeta } from './referrer-meta.js';

describe('withReferrerMeta', () => {
  it('puts the meta first in the head', () => {
    expect(withReferrerMeta('<!DOCTYPE html><html><head lang="x"><title>t</title></head><body></body></html>')).toBe(
      '<!DOCTYPE html><html><head lang="x"><meta name="referrer" content="no-referrer"><title>t</title></head><body></body></html>',
    );
  });

  it('leaves a page that states its own referrer policy alone', () => {
    const page = '<html><head><meta content="origin" name="referrer"></head></html>';
    expect(withReferrerMeta(page)).toBe(page);
    const ours = '<html><head><meta name=referrer content=no-referrer></head></html>';
    expect(withReferrerMeta(ours)).toBe(ours);
  });

  it('leaves HTML without a head alone (fragments, feeds)', () => {
    expect(withReferrerMeta('<div><header>x</header></div>')).toBe('<div><header>x</header></div>');
  });
});
