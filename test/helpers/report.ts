// A decided gate as a JSON report, from two synthetic runs: what the report, render and publish tests start
// from. The comparison and the verdict are the real ones (compare, then decide with the thresholds).
import { compareRuns, type CompareOptions } from '../../src/compare/compare.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import type { RunResult } from '../../src/contracts/run-result.ts';
import { createReportJson, type ReportInput } from '../../src/report/report.ts';
import type { ReportJson } from '../../src/report/model/report-json.ts';
import { createRng } from '../../src/stats/index.ts';
import { decide } from '../../src/verdict/decide.ts';

/** Fixed, so rendered reports are byte-stable. */
export const REPORT_GENERATED_AT = '2026-12-07T00:00:00Z';

/** `trials` trials of `samples` latencies each, uniform within ±5 % of `ms` (seeded). */
export function jitteredTrials(ms: number, seed: number, trials = 8, samples = 100): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: trials }, () =>
    Array.from({ length: samples }, () => ms * (0.95 + 0.1 * rng())),
  );
}

export interface GateReportOptions extends Partial<
  Pick<ReportInput, 'context' | 'generatedAt' | 'attribution' | 'history' | 'rightsizing'>
> {
  mode?: CompareOptions['mode'];
  thresholds?: CompareOptions['thresholds'];
}

/** Compares `candidate` with `baseline`, decides, and builds the report (empty context by default). */
export function gateReport(
  baseline: RunResult,
  candidate: RunResult,
  options: GateReportOptions = {},
): ReportJson {
  const { mode = 'stored', thresholds = DEFAULT_THRESHOLDS, ...input } = options;
  const comparison = compareRuns(baseline, candidate, { mode, thresholds });
  return createReportJson({
    context: {},
    generatedAt: REPORT_GENERATED_AT,
    ...input,
    verdict: decide(comparison, { thresholds }),
    comparison,
    candidate,
    baseline,
  });
}
