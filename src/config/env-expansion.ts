/**
 * `${VAR}` expansion, done on the YAML nodes (values only, never keys) so each warning knows its line.
 * `${NAME}` is the variable (unset: "" and a warning), `${NAME:-fallback}` the fallback when it is unset or
 * empty, `$${` a literal `${`.
 */
import { Scalar, isMap, isScalar, isSeq, type Document } from 'yaml';
import { keyName, type KeyPath, type Problem } from './yaml-positions.js';

const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const VARIABLE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Expands every `${…}` in the document's values in place. An unquoted value is retyped as YAML would read the
 * expanded text; `unset` hears of each variable that is not set; malformed references are the problems returned.
 */
export function expandEnv(doc: Document, env: NodeJS.ProcessEnv, unset: (offset: number, name: string) => void): Problem[] {
  const problems: Problem[] = [];
  eachScalar(doc.contents, [], (node, keyPath) => {
    if (typeof node.value !== 'string' || !node.value.includes('${')) return;
    const offset = node.range?.[0] ?? 0;
    const expanded = node.value.replace(REFERENCE, (match, body: string | undefined) => {
      if (match === '$${') return '${';
      const variable = body === undefined ? null : VARIABLE.exec(body);
      if (!variable) {
        problems.push({
          offset,
          path: keyPath,
          message: `${match === '${' ? 'unclosed "${"' : `"${match}" is not a variable reference`} (write \${NAME} or \${NAME:-fallback}; $\${ for a literal \${)`,
        });
        return match;
      }
      const [, name = '', fallback] = variable;
      const value = env[name];
      if (fallback !== undefined) return value === undefined || value === '' ? fallback : value;
      if (value === undefined) unset(offset, name);
      return value ?? '';
    });
    // An unquoted `${N:-8}` should behave like an unquoted 8, so `concurrency: ${N:-8}` is a number.
    node.value = node.type === Scalar.PLAIN ? retype(expanded) : expanded;
  });
  return problems;
}

function retype(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^[-+]?\d+(?:\.\d+)?$/.test(text)) return Number(text);
  return text;
}

function eachScalar(node: unknown, keyPath: KeyPath, visit: (node: Scalar, keyPath: KeyPath) => void): void {
  if (isMap(node)) {
    for (const pair of node.items) eachScalar(pair.value, [...keyPath, keyName(pair.key)], visit);
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) eachScalar(item, [...keyPath, index], visit);
  } else if (isScalar(node)) {
    visit(node, keyPath);
  }
}
