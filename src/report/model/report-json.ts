// The JSON report (docs/report.md): everything needed to render the comment again without re-running,
// written next to the other results. Versioned like the RunResult.
import type { Comparison } from '../../compare/types.ts';
import type { Verdict } from '../../verdict/types.ts';
import type { RunMeta, RunResult, ScenarioResult } from '../../results/run-result.ts';
import { requestFailures } from '../run-summary.ts';

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
    Pick<ScenarioResult, 'name' | 'fingerprint' | 'load' | 'runner'> & { target?: string } & {
      trials: number;
      validTrials: number;
      invalidReasons: string[];
      /** Per request with failures over all trials: how many and which (statuses, socket errors, timeouts). */
      failures?: Array<{ request: string; failed: number; text: string }>;
    }
  >;
  /** Why the run stopped part-way, when it did. */
  failure?: RunResult['failure'];
}

/** One side's latency distribution of one request, over its valid trials (the HTML report's curves). */
export interface LatencyDistribution {
  scenario: string;
  request: string;
  /** Successful responses in the merged histogram. */
  count: number;
  /** [percentile, latency in µs], ascending. */
  percentilesUs: Array<[number, number]>;
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
  /** Per request and side, from the stored histograms (absent in reports written before them). */
  distributions?: { baseline: LatencyDistribution[]; candidate: LatencyDistribution[] };
  /** Filled by the rightsizing and attribution features when they have data. */
  rightsizing?: unknown;
  attribution?: unknown;
  /** The main branch's history: change points, creep, trends (src/history/report-data.ts). */
  history?: unknown;
}

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
