// Writes docs/schemas/*.json from the zod schemas of src/config. Run after changing src/config/parse/schema.ts or
// src/config/thresholds/schema.ts:
//   npx tsx scripts/gen-schemas.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaFiles } from '../src/config/json-schema.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const file of schemaFiles()) {
  const target = path.join(root, file.path);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, file.content);
  console.log(`wrote ${file.path}`);
}
