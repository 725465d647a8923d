// Reads and writes RunResult JSON. Reading validates the whole document: a corrupt or unknown-version
// file is an error naming the file, never silently treated as "no baseline".
import { DataError } from '../../contracts/errors.ts';
import {
  RUN_RESULT_KIND,
  RUN_RESULT_SCHEMA_VERSION,
  runResultSchema,
  type RunResult,
} from '../../contracts/run-result.ts';

export function encodeRunResult(run: RunResult): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}

/** Parses and validates a RunResult; `source` names the file in every error. */
export function decodeRunResult(text: string, source: string): RunResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DataError(`${source}: not valid JSON (${(err as Error).message}); the file is corrupt`, source);
  }
  if (typeof data !== 'object' || data === null || (data as { kind?: unknown }).kind !== RUN_RESULT_KIND) {
    throw new DataError(
      `${source}: not a perf-gate run result (expected "kind": "${RUN_RESULT_KIND}")`,
      source,
    );
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== RUN_RESULT_SCHEMA_VERSION) {
    throw new DataError(
      `${source}: run result schema version ${JSON.stringify(version)} is not supported ` +
        `(this perf-gate reads version ${RUN_RESULT_SCHEMA_VERSION}); re-create the baseline with this version`,
      source,
    );
  }
  const parsed = runResultSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new DataError(`${source}: invalid run result: ${first}`, source);
  }
  return parsed.data;
}
