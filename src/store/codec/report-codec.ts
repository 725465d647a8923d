// Reads a JSON report back (for `perf-gate report` and `perf-gate publish`), refusing other kinds and
// versions with a message naming the file.
import { DataError } from '../../engine/errors.ts';
import { REPORT_SCHEMA_VERSION, type ReportJson } from '../../report/model/report-json.ts';

export function decodeReportJson(text: string, source: string): ReportJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DataError(`${source}: not valid JSON (${(err as Error).message})`, source);
  }
  const d = data as Partial<ReportJson> | null;
  if (!d || d.kind !== 'perf-gate/report') {
    throw new DataError(`${source}: not a perf-gate report (expected "kind": "perf-gate/report")`, source);
  }
  if (d.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new DataError(
      `${source}: report schema version ${JSON.stringify(d.schemaVersion)} is not supported (expected ${REPORT_SCHEMA_VERSION})`,
      source,
    );
  }
  if (!d.verdict || !d.candidate || !d.context) {
    throw new DataError(`${source}: incomplete report (verdict, candidate and context are required)`, source);
  }
  return d as ReportJson;
}
