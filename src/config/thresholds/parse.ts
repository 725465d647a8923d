// Thresholds from a plain value, for callers without a perf-gate.yml (the library, tests): the same
// schema the config loader applies, with the same readable issues, but without file positions.
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../compare/rules.ts';
import { describeValue } from '../parse/errors.ts';
import { mapZodIssue, type MappedIssue } from '../parse/zod-issues.ts';
import { thresholdsSchema } from './schema.ts';

export type ThresholdIssue = Omit<MappedIssue, 'atKey'>;

/** Parses a `thresholds` value; absent or null means the defaults. On issues, `value` is the defaults. */
export function parseThresholds(raw: unknown): { value: Thresholds; issues: ThresholdIssue[] } {
  if (raw === undefined || raw === null) return { value: DEFAULT_THRESHOLDS, issues: [] };
  const result = thresholdsSchema.safeParse(raw, { reportInput: true, error: () => '' });
  if (result.success) return { value: result.data, issues: [] };
  const issues = result.error.issues.flatMap((issue) =>
    mapZodIssue(issue, thresholdsSchema, describeValue).map(({ atKey: _atKey, ...rest }) => rest),
  );
  return { value: DEFAULT_THRESHOLDS, issues };
}
