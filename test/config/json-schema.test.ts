import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, scenarioJsonSchema, schemaFiles } from '../../src/config/json-schema.ts';

const root = new URL('../../', import.meta.url);

describe('JSON schemas', () => {
  it('docs/schemas/*.json are up to date (run `npx tsx scripts/gen-schemas.ts` after changing schema.ts)', () => {
    for (const file of schemaFiles()) {
      let onDisk: string;
      try {
        onDisk = readFileSync(new URL(file.path, root), 'utf8');
      } catch {
        onDisk = '<missing>';
      }
      expect(onDisk, `${file.path} is stale: run \`npx tsx scripts/gen-schemas.ts\``).toBe(file.content);
    }
  });

  it('are draft 2020-12, strict, and describe every field', () => {
    for (const schema of [configJsonSchema(), scenarioJsonSchema()]) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.additionalProperties).toBe(false);
      expect(typeof schema.title).toBe('string');
      const properties = schema.properties as Record<string, { description?: string }>;
      for (const [key, property] of Object.entries(properties)) {
        expect(property.description, `${key} has no description`).toEqual(expect.any(String));
      }
    }
    const defaults = (
      configJsonSchema().properties as Record<string, { properties: Record<string, unknown> }>
    ).defaults;
    expect(defaults?.properties.warmup).toMatchObject({ type: 'string', default: '5s' });
  });
});

/** Every property below a JSON schema node, with its path. */
function properties(node: unknown, path: string): Array<[string, Record<string, unknown>]> {
  if (typeof node !== 'object' || node === null) return [];
  const n = node as Record<string, unknown>;
  const own = Object.entries((n.properties ?? {}) as Record<string, Record<string, unknown>>).flatMap(
    ([key, value]) => [
      [`${path}.${key}`, value] as [string, Record<string, unknown>],
      ...properties(value, `${path}.${key}`),
    ],
  );
  const nested = [n.items, ...((n.anyOf ?? []) as unknown[])].flatMap((child) => properties(child, path));
  return [...own, ...nested];
}

describe('the thresholds section of the JSON schema', () => {
  it('documents every field of thresholds, overrides and approvals', () => {
    const thresholds = (configJsonSchema().properties as Record<string, unknown>).thresholds;
    const fields = properties(thresholds, 'thresholds');
    expect(fields.map(([path]) => path)).toEqual(
      expect.arrayContaining([
        'thresholds.p95',
        'thresholds.budgets',
        'thresholds.overrides.scenario',
        'thresholds.approve.reason',
      ]),
    );
    for (const [path, field] of fields)
      expect(field.description, `${path} has no description`).toEqual(expect.any(String));
  });
});
