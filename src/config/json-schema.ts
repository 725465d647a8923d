// JSON schemas (draft 2020-12) of perf-gate.yml and of scenario files, generated from the zod schemas so
// that editors can validate and complete the files, and of the RunResult JSON that runs write. docs/schemas/ holds the generated files
// (`npx tsx scripts/gen-schemas.ts`); a test keeps them in sync with the code.

import { z } from 'zod';
import { configSchema, scenarioSchema } from './parse/schema.ts';
import { runResultSchema } from '../contracts/run-result.ts';
import { reportSchema } from '../contracts/report.ts';

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    // The files are what users write: fields with defaults are optional.
    io: 'input',
    override: ({ jsonSchema }) => {
      const json = jsonSchema as JsonSchema;
      // zod spells out the safe-integer range of every integer and names its own `startsWith` format:
      // noise for a reader, and not standard JSON schema.
      if (json.maximum === Number.MAX_SAFE_INTEGER) delete json.maximum;
      if (json.minimum === Number.MIN_SAFE_INTEGER) delete json.minimum;
      if (json.format === 'starts_with') delete json.format;
    },
  }) as JsonSchema;
}

/** JSON schema of perf-gate.yml. */
export function configJsonSchema(): JsonSchema {
  return toJsonSchema(configSchema);
}

/** JSON schema of a scenario file. */
export function scenarioJsonSchema(): JsonSchema {
  return toJsonSchema(scenarioSchema);
}

/** The generated files, by path relative to the repository root, with their exact content. */
export function schemaFiles(): { path: string; content: string }[] {
  return [
    {
      path: 'docs/schemas/perf-gate.schema.json',
      content: `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
    },
    {
      path: 'docs/schemas/scenario.schema.json',
      content: `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`,
    },
    {
      path: 'docs/schemas/run-result.schema.json',
      content: `${JSON.stringify(z.toJSONSchema(runResultSchema, { target: 'draft-2020-12' }), null, 2)}\n`,
    },
    {
      path: 'docs/schemas/report.schema.json',
      content: `${JSON.stringify(z.toJSONSchema(reportSchema, { target: 'draft-2020-12' }), null, 2)}\n`,
    },
  ];
}
