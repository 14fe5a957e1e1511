import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { describeIssue, issueProblems } from './issue-messages.js';
import { configSchema } from './schema.js';
import { formatPath, position } from './yaml-positions.js';

/** The schema's issues with `text`, as `line:col: key path: message`. */
function issues(text: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const parsed = configSchema.safeParse(doc.toJS(), { error: describeIssue });
  if (parsed.success) return [];
  return parsed.error.issues
    .flatMap((issue) => issueProblems(doc, issue))
    .map((problem) => `${position(lineCounter.linePos(problem.offset))}: ${formatPath(problem.path)}: ${problem.message}`);
}

describe('unknown keys', () => {
  it('suggest the nearest known key, whatever its case, or the known key it begins', () => {
    expect(issues('site:\n  postdir: x\n')).toEqual(['2:3: site.postdir: unknown key (did you mean "postsDir"?)']);
    expect(issues('site:\n  POSTSDIR: x\n')).toEqual(['2:3: site.POSTSDIR: unknown key (did you mean "postsDir"?)']);
    expect(issues('sources:\n  - url: https://a.example/\n    cat: [a]\n')).toEqual([
      '3:5: sources[0].cat: unknown key (did you mean "categories"?)',
    ]);
  });

  it('suggest the place one level down where the key belongs', () => {
    expect(issues('retention: { maxItems: 5 }\n')).toEqual(['1:1: retention: unknown key (did you mean defaults.retention?)']);
  });

  it('list the keys allowed when nothing is near', () => {
    expect(issues('rsshub:\n  zzz: 1\n')).toEqual(['2:3: rsshub.zzz: unknown key (expected one of instances, accessKey, language)']);
  });

  it('are each reported at the key', () => {
    expect(issues('fetch: { aaa: 1, retries: 1, bbb: 2 }\n')).toEqual([
      expect.stringMatching(/^1:10: fetch\.aaa: unknown key /),
      expect.stringMatching(/^1:30: fetch\.bbb: unknown key /),
    ]);
  });
});

describe("zod's own issues", () => {
  it('say what was expected and what was found, at the value', () => {
    expect(issues('fetch:\n  concurrency: eight\n')).toEqual(['2:16: fetch.concurrency: expected a number, got "eight"']);
    expect(issues('fetch:\n  retries: 1.5\n')).toEqual(['2:12: fetch.retries: expected a whole number, got 1.5']);
    expect(issues('defaults:\n  comments: maybe\n')).toEqual(['2:13: defaults.comments: expected true or false, got "maybe"']);
    expect(issues('site: [a]\n')).toEqual(['1:7: site: expected a map (key: value lines), got a list']);
  });

  it('tell to quote a number or boolean where text belongs', () => {
    expect(issues('sources:\n  - url: https://a.example/\n    name: true\n')).toEqual([
      '3:11: sources[0].name: expected text, got true (quote it: "true")',
    ]);
  });

  it('give the bounds of a number out of range', () => {
    expect(issues('fetch:\n  perHost: 0\n')).toEqual(['2:12: fetch.perHost: must be at least 1, got 0']);
    expect(issues('fetch:\n  perHost: 99\n')).toEqual(['2:12: fetch.perHost: must be at most 16, got 99']);
  });
});
