import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { expandEnv } from './env-expansion.js';
import { loadConfig } from './load.js';
import { formatPath } from './yaml-positions.js';

/** Writes `text` as newsstand.yml in a fresh directory and returns its path. */
async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newsstand-config-'));
  const file = path.join(dir, 'newsstand.yml');
  await writeFile(file, text);
  return file;
}

/** `text` expanded with `env`: the data, the unset variables with their lines, the problems with their key paths. */
function expanded(text: string, env: NodeJS.ProcessEnv) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const unset: string[] = [];
  const problems = expandEnv(doc, env, (offset, name) => unset.push(`${lineCounter.linePos(offset).line}: ${name}`));
  return { data: doc.toJS() as unknown, unset, problems: problems.map((problem) => `${formatPath(problem.path)}: ${problem.message}`) };
}

describe('expandEnv', () => {
  it('expands values in maps and lists, never keys', () => {
    const { data, unset, problems } = expanded('${K}: a ${V} b\nlist:\n  - "${V}"\n  - x${V:-fallback}y\n', { K: 'key', V: 'v' });
    expect(data).toEqual({ '${K}': 'a v b', list: ['v', 'xvy'] });
    expect(unset).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('takes the fallback when the variable is unset or empty, and reports an unset variable without one', () => {
    const { data, unset } = expanded('a: ${A:-1x}\nb: ${B:-}\nc: "<${C}>"\nd: ${D}\n', { B: '' });
    expect(data).toEqual({ a: '1x', b: '', c: '<>', d: '' });
    expect(unset).toEqual(['3: C', '4: D']);
  });

  it('retypes an unquoted value as YAML reads the text; a quoted one stays text', () => {
    const env = { N: '8', F: '-1.5', T: 'true', S: '08:00' };
    expect(expanded('n: ${N}\nf: ${F}\nt: ${T}\ns: ${S}\nq: "${N}"\nw: ${N} items\n', env).data).toEqual({
      n: 8,
      f: -1.5,
      t: true,
      s: '08:00',
      q: '8',
      w: '8 items',
    });
  });

  it('reads $${ as a literal ${ and leaves values without a reference alone', () => {
    expect(expanded('a: $${X} ${X}\nb: $ {X} $X\nc: 5\n', { X: 'x' }).data).toEqual({ a: '${X} x', b: '$ {X} $X', c: 5 });
  });

  it('reports malformed and unclosed references at their key paths, keeping the text as written', () => {
    const { data, problems } = expanded('a:\n  - "${BAD NAME}"\n  - ${1X}\nb: "x ${Y"\n', { Y: 'y' });
    expect(data).toEqual({ a: ['${BAD NAME}', '${1X}'], b: 'x ${Y' });
    expect(problems).toEqual([
      'a[0]: "${BAD NAME}" is not a variable reference (write ${NAME} or ${NAME:-fallback}; $${ for a literal ${)',
      'a[1]: "${1X}" is not a variable reference (write ${NAME} or ${NAME:-fallback}; $${ for a literal ${)',
      'b: unclosed "${" (write ${NAME} or ${NAME:-fallback}; $${ for a literal ${)',
    ]);
  });
});

describe('loadConfig: ${VAR} expansion', () => {
  const load = async (text: string, env: NodeJS.ProcessEnv) => loadConfig(await configFile(text), { env });

  it('substitutes variables anywhere in a string value', async () => {
    const config = await load('rsshub:\n  instances: ["https://${HOST}/x"]\n  accessKey: ${KEY}\n', {
      HOST: 'rss.example',
      KEY: 'k-1',
    });
    expect(config.rsshub).toEqual({ instances: ['https://rss.example/x'], accessKey: 'k-1', language: 'zh' });
    expect(config.warnings).toEqual([]);
  });

  it.each([
    ['unset', {}, 'fb'],
    ['empty', { UA: '' }, 'fb'],
    ['set', { UA: 'mine' }, 'mine'],
  ])('uses the fallback of ${NAME:-fallback} when the variable is %s', async (_, env, expected) => {
    const config = await load('fetch:\n  userAgent: ${UA:-fb}\n', env);
    expect(config.fetch.userAgent).toBe(expected);
    expect(config.warnings).toEqual([]);
  });

  it('turns an unset variable into "" with a warning naming the file and line', async () => {
    const file = await configFile('fetch:\n  retries: 1\n  userAgent: "ua ${MISSING} x"\n');
    const config = await loadConfig(file, { env: {} });
    expect(config.fetch.userAgent).toBe('ua  x');
    expect(config.warnings).toEqual([`${file}:3: \${MISSING} is not set`]);
  });

  it('keeps a variable that is set to "" without a warning', async () => {
    const config = await load('rsshub:\n  accessKey: ${KEY}\n', { KEY: '' });
    expect(config.rsshub.accessKey).toBe('');
    expect(config.warnings).toEqual([]);
  });

  it('reads $${ as a literal ${', async () => {
    const config = await load('fetch:\n  userAgent: "$${UA} and ${UA}"\n', { UA: 'x' });
    expect(config.fetch.userAgent).toBe('${UA} and x');
  });

  it('does not expand keys, only values', async () => {
    await expect(load('fetch:\n  ${K}: 1\n', { K: 'retries' })).rejects.toThrow('fetch.${K}: unknown key');
  });

  it('reads an unquoted expansion as YAML would read the text, so numbers stay numbers', async () => {
    const config = await load('fetch:\n  concurrency: ${C:-12}\n  retries: ${R}\n', { R: '0' });
    expect(config.fetch.concurrency).toBe(12);
    expect(config.fetch.retries).toBe(0);
  });

  it('uses process.env when no environment is given', async () => {
    const name = 'NEWSSTAND_CONFIG_TEST_UA';
    process.env[name] = 'from-process';
    try {
      const config = await loadConfig(await configFile(`fetch:\n  userAgent: \${${name}}\n`));
      expect(config.fetch.userAgent).toBe('from-process');
    } finally {
      delete process.env[name];
    }
  });
});
