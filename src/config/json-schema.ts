/**
 * The JSON Schema of `newsstand.yml`, generated from the zod schema so the two cannot drift. Shipped as
 * `schema/newsstand.schema.json`; `node dist/config/json-schema.js` prints it.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { configSchema } from './schema.js';

export function configJsonSchema(): object {
  // 'input' describes what a user writes: keys with defaults are optional, values are the written strings.
  return z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' });
}

/** The file's exact text: two-space indent and a final newline, as committed. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.stdout.write(configJsonSchemaText());
