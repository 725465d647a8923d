// The JSON report (docs/report.md): everything needed to render the comment again without re-running,
// written next to the other results. Versioned like the RunResult.
import type { Comparison } from '../../compare/types.ts';
import type { Verdict } from '../../verdict/types.ts';
import type { RunMeta, ScenarioResult } from '../../results/run-result.ts';

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportContext {
  /** owner/name */
  repository?: string;
  pullRequest?: { number: number; title?: string; headRef?: string; baseRef?: string };
  /** The branch the candidate was built from, and the branch it is compared with. */
  branch?: string;
  baseBranch?: string;
  sha?: string;
  /** Link to the CI run. */
  runUrl?: string;
  /** The label that approves an intended regression (Action), shown in the "how to approve" line. */
  approveLabel?: string;
  /** Pair order of a paired run. */
  pairing?: { seed: number };
}

export interface RunSummary {
  meta: RunMeta;
  scenarios: Array<
    Pick<ScenarioResult, 'name' | 'fingerprint' | 'load' | 'runner'> & {
      trials: number;
      validTrials: number;
      invalidReasons: string[];
    }
  >;
}

export interface ReportJson {
  kind: 'perf-gate/report';
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: string;
  context: ReportContext;
  verdict: Verdict;
  comparison: Comparison | null;
  candidate: RunSummary;
  baseline: RunSummary | null;
  /** Filled by the rightsizing and attribution features when they have data. */
  rightsizing?: unknown;
  attribution?: unknown;
  /** The main branch's history: change points, creep, trends (src/history/report-data.ts). */
  history?: unknown;
}

export function summarizeRunForReport(run: { meta: RunMeta; scenarios: ScenarioResult[] }): RunSummary {
  return {
    meta: run.meta,
    scenarios: run.scenarios.map((s) => ({
      name: s.name,
      fingerprint: s.fingerprint,
      load: s.load,
      runner: s.runner,
      trials: s.trials.length,
      validTrials: s.trials.filter((t) => t.valid).length,
      invalidReasons: [...new Set(s.trials.flatMap((t) => t.invalidReasons))],
    })),
  };
}
