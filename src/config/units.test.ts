import { describe, expect, it } from 'vitest';
import { filenameProblem, isHttpUrl, isTimezone, parseDuration, parseSize, regexProblem } from './units.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['1w', 604_800_000],
    ['1.5h', 5_400_000],
  ])('%s is %d ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each(['', '30', '0s', '0.0m', '-5m', '30 minutes', '30M', '1y', 'm', '1.h'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseSize', () => {
  it.each([
    ['100B', 100],
    ['512KB', 512 * 1024],
    ['20MB', 20 * 1024 ** 2],
    ['20mb', 20 * 1024 ** 2],
    ['1GB', 1024 ** 3],
    ['1.5kB', 1536],
  ])('%s is %d bytes', (text, expected) => {
    expect(parseSize(text)).toBe(expected);
  });

  it.each(['', '20', '0MB', '20 MB', '20MiB', '1TB', 'MB'])('rejects %j', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
});

describe('isTimezone', () => {
  it.each(['', 'Asia/Shanghai', 'UTC', 'America/New_York', '+08:00', '-05:30'])('accepts %j', (text) => {
    expect(isTimezone(text)).toBe(true);
  });
  it.each(['Mars/Base', '+8', '+25:00', '08:00', 'GMT+8 '])('rejects %j', (text) => {
    expect(isTimezone(text)).toBe(false);
  });
});

describe('isHttpUrl', () => {
  it.each([
    ['https://rsshub.app', true],
    ['HTTP://example.com/feed?x=1', true],
    ['ftp://example.com/', false],
    ['www.example.com/feed', false],
    ['https://', false],
  ])('%j → %s', (text, expected) => {
    expect(isHttpUrl(text)).toBe(expected);
  });
});

describe('regexProblem', () => {
  it('accepts a pattern that compiles with the i and u flags', () => {
    expect(regexProblem('AI|芯片')).toBeUndefined();
  });
  it("gives the engine's short reason for one that does not", () => {
    expect(regexProblem('(AI')).toBe('missing closing ): `(AI`');
    expect(regexProblem('[z-a]')).toBe('invalid character class range: `z-a`');
  });

  it('refuses what a linear-time engine cannot do, saying why', () => {
    expect(regexProblem('AI(?!芯片)')).toBe(
      'invalid or unsupported Perl syntax: `(?!` (lookaround and backreferences are not supported: patterns run in linear time)',
    );
  });
});

describe('filenameProblem', () => {
  it.each([':year-:month-:day-:id', ':id', ':source_:title.:id', 'news-:hour:minute-:id'])('accepts %j', (pattern) => {
    expect(filenameProblem(pattern)).toBeUndefined();
  });

  it.each([
    [':year-:month-:day', 'must contain :id, which keeps every post file name unique'],
    [':year/:id', 'may not contain a path separator'],
    [':year\\:id', 'may not contain a path separator'],
    [':yr-:id', 'unknown placeholder ":yr" (use :year :month :day :hour :minute :id :title :source)'],
    [':id post', 'may not contain " " (literal text is limited to letters, digits, "_", "." and "-")'],
    [':id-新闻', 'may not contain "新" (literal text is limited to letters, digits, "_", "." and "-")'],
    ['_:id', 'may not start with "_" or ".": Hexo ignores such files'],
    ['', 'must contain :id, which keeps every post file name unique'],
  ])('%j: %s', (pattern, problem) => {
    expect(filenameProblem(pattern)).toBe(problem);
  });
});
