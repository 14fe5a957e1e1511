/**
 * Schema issues in the words users read and at the place in the file they are about: zod's built-in issues
 * get messages of their own, and an unknown key is given the key it was probably meant to be.
 */
import type { Document } from 'yaml';
import { z } from 'zod';
import { configSchema, showValue } from './schema.js';
import { formatPath, locate, type KeyPath, type Problem } from './yaml-positions.js';

/** Messages for zod's built-in issues; the schema's own messages (durations, URLs, …) take precedence. */
export function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const hint =
        issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean')
          ? ` (quote it: "${String(issue.input)}")`
          : '';
      return issue.input === undefined ? `is required (${expected})` : `expected ${expected}, got ${showValue(issue.input)}${hint}`;
    }
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} item(s)`;
      return `must be at least ${String(issue.minimum)}, got ${showValue(issue.input)}`;
    case 'too_big':
      if (issue.origin === 'array') return `may have at most ${String(issue.maximum)} item(s)`;
      return `must be at most ${String(issue.maximum)}, got ${showValue(issue.input)}`;
    case 'invalid_value':
      return `${showValue(issue.input)} is not allowed (use one of ${issue.values.map(String).join(', ')})`;
    default:
      return undefined;
  }
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a map (key: value lines)',
  array: 'a list',
};

/** A schema issue as problems at their places: one per unknown key (with a suggestion), else one. */
export function issueProblems(doc: Document, issue: z.core.$ZodIssue): Problem[] {
  const keyPath = issue.path.filter(isSegment);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      offset: locate(doc, [...keyPath, key], 'key'),
      path: [...keyPath, key],
      message: `unknown key ${suggestion(keyPath, key)}`.trimEnd(),
    }));
  }
  return [{ offset: locate(doc, keyPath, 'value'), path: keyPath, message: issue.message }];
}

function isSegment(segment: PropertyKey): segment is string | number {
  return typeof segment !== 'symbol';
}

/** `(did you mean "postsDir"?)` for a near miss, else the keys allowed here. */
function suggestion(parent: KeyPath, key: string): string {
  const known = knownKeys(parent);
  const near = known
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ candidate, distance }) => distance <= Math.ceil(key.length / 3) || (key.length >= 3 && candidate.startsWith(key)))
    .sort((a, b) => a.distance - b.distance)[0];
  if (near) return `(did you mean "${near.candidate}"?)`;
  // A key put one level too high, e.g. `interval` at the top instead of under `defaults`.
  const nested = known.find((candidate) => knownKeys([...parent, candidate]).includes(key));
  if (nested) return `(did you mean ${formatPath([...parent, nested, key])}?)`;
  return known.length > 0 ? `(expected one of ${known.join(', ')})` : '';
}

/** Keys the schema allows at `keyPath`, found by walking the zod definition. */
function knownKeys(keyPath: KeyPath): string[] {
  let schema: unknown = configSchema;
  for (const segment of keyPath) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, unknown>)[String(segment)];
    else if (schema instanceof z.ZodArray) schema = schema.element;
    else return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: unknown): unknown {
  // Optional, default and prefault all wrap the schema that has the shape in `def.innerType`.
  while (schema instanceof z.ZodType && 'innerType' in schema.def) schema = schema.def.innerType;
  return schema;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
