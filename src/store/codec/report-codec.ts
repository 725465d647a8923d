// Reads a JSON report back (for `perf-gate report` and `perf-gate publish`), validating the whole
// document against its schema: a report may come from a fork's workflow, and the comment renders it.
// Other kinds, versions and shapes are refused with a message naming the file and the fields.
import { DataError } from '../../contracts/errors.ts';
import { REPORT_KIND, REPORT_SCHEMA_VERSION, reportSchema } from '../../contracts/report.ts';
import type { ReportJson } from '../../report/model/report-json.ts';

export function decodeReportJson(text: string, source: string): ReportJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DataError(`${source}: not valid JSON (${(err as Error).message})`, source);
  }
  const d = data as { kind?: unknown; schemaVersion?: unknown } | null;
  if (!d || typeof d !== 'object' || d.kind !== REPORT_KIND) {
    throw new DataError(`${source}: not a perf-gate report (expected "kind": "${REPORT_KIND}")`, source);
  }
  if (d.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new DataError(
      `${source}: report schema version ${JSON.stringify(d.schemaVersion)} is not supported (expected ${REPORT_SCHEMA_VERSION})`,
      source,
    );
  }
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    throw new DataError(`${source}: invalid report: ${shown}${more}`, source);
  }
  // The schema checks the verdict and comparison only as far as the renderer reads them (loose objects);
  // their full types are the writer's, as ReportJson states.
  return parsed.data as unknown as ReportJson;
}
