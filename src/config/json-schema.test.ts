import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configJsonSchemaText } from './json-schema.js';

const schemaFile = fileURLToPath(new URL('../../schema/newsstand.schema.json', import.meta.url));

describe('schema/newsstand.schema.json', () => {
  // Regenerate after changing schema.ts: UPDATE_SCHEMA=1 npx vitest run src/config/json-schema.test.ts
  it('is what the generator prints', async () => {
    if (process.env.UPDATE_SCHEMA) await writeFile(schemaFile, configJsonSchemaText());
    expect(await readFile(schemaFile, 'utf8')).toBe(configJsonSchemaText());
  });

  it('describes what a user writes: strict maps, written units, one kind per source', () => {
    const schema = configJsonSchema() as {
      additionalProperties: boolean;
      required?: string[];
      properties: {
        fetch: { properties: { timeout: { type: string; default: string } } };
        sources: { items: { additionalProperties: boolean; oneOf: { required: string[] }[] } };
      };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toBeUndefined(); // every section is optional
    expect(schema.properties.fetch.properties.timeout).toMatchObject({ type: 'string', default: '20s' });
    expect(schema.properties.sources.items.additionalProperties).toBe(false);
    expect(schema.properties.sources.items.oneOf).toEqual([{ required: ['rsshub'] }, { required: ['url'] }, { required: ['file'] }]);
  });
});
