// The JSON report (docs/report.md): everything needed to render the comment again without re-running,
// written next to the other results. Versioned like the RunResult; its schema and the types of its plain
// parts are in contracts/report.ts. The verdict and comparison are typed here with their full types (the
// schema checks only the fields the renderer reads).
import type { Comparison } from '../../compare/types.ts';
import type { Verdict } from '../../verdict/types.ts';
import type { RunMeta, RunResult, ScenarioResult } from '../../contracts/run-result.ts';
import type { ReportDocument, RunSummary } from '../../contracts/report.ts';
import { requestFailures } from '../run-summary.ts';

export type ReportJson = Omit<
  ReportDocument,
  'verdict' | 'comparison' | 'rightsizing' | 'attribution' | 'history'
> & {
  verdict: Verdict;
  comparison: Comparison | null;
  /** Filled by the rightsizing and attribution features when they have data. */
  rightsizing?: unknown;
  attribution?: unknown;
  /** The main branch's history: change points, creep, trends (src/history/report-data.ts). */
  history?: unknown;
};

export function summarizeRunForReport(run: {
  meta: RunMeta;
  scenarios: ScenarioResult[];
  failure?: RunResult['failure'];
}): RunSummary {
  return {
    meta: run.meta,
    ...(run.failure ? { failure: run.failure } : {}),
    scenarios: run.scenarios.map((s) => ({
      name: s.name,
      fingerprint: s.fingerprint,
      load: s.load,
      runner: s.runner,
      target: s.target,
      trials: s.trials.length,
      validTrials: s.trials.filter((t) => t.valid).length,
      invalidReasons: [...new Set(s.trials.flatMap((t) => t.invalidReasons))],
      ...withFailures(requestFailures(s)),
    })),
  };
}

function withFailures(failures: ReturnType<typeof requestFailures>): { failures?: typeof failures } {
  return failures.length ? { failures } : {};
}
