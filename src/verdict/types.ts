import type { TrialLoss } from './trial-loss.ts';
import type { ChangeEstimate } from '../compare/types.ts';
import type { MetricId } from '../contracts/metric-ids.ts';
import type { SequentialState } from './sequential.ts';

export type Outcome = 'pass' | 'warn' | 'fail' | 'inconclusive' | 'no-baseline';
export type SeriesStatus = 'regression' | 'warning' | 'improvement' | 'unchanged' | 'inconclusive';

export interface ApprovalRecord {
  source: 'config' | 'flag' | 'label';
  reason: string;
  /** Who approved, when known (the login that applied the label). */
  by?: string;
  /** When (ISO time the label was applied). */
  at?: string;
  /** The approver's repository permission when the approval was checked (admin, maintain, write). */
  permission?: string;
}

export interface Finding {
  status: SeriesStatus | 'budget-exceeded';
  scenario: string;
  request: string | null;
  metric: MetricId;
  gating: boolean;
  baselineMedian: number | null;
  candidateMedian: number | null;
  change: ChangeEstimate | null;
  p: number | null;
  pHolm: number | null;
  /** The minimum effect that applied, as written (e.g. "+10%"). */
  minEffect: string;
  message: string;
  approved?: ApprovalRecord;
  /** A regression too small to stand out from the environment's own drift in this run. */
  withinNoise?: boolean;
}

export interface BudgetCheck {
  scenario: string;
  request: string | null;
  metric: MetricId;
  budget: string;
  /** The candidate's median over its valid trials, in the metric's unit. */
  value: number | null;
  passed: boolean;
  approved?: ApprovalRecord;
}

export interface NoiseReport {
  /**
   * Median over gating latency series of |split-half shift| / minimum effect. Informational: each series'
   * own noise is in its interval, and a run-wide figure never outvotes a series (docs/statistics.md).
   */
  splitHalfScore: number | null;
  /** Median over gating latency series of the |relative split-half shift| (0.07 = 7 %). */
  splitHalfShift: number | null;
  /**
   * The largest move of a control request (the environment's shift). A regression in the same scenario
   * must exceed minimum effect + that scenario's control move.
   */
  environmentShift: number;
  /** Which side's trials were split: the one measured in this job (candidate when stored, baseline when paired). */
  splitSide: 'baseline' | 'candidate';
  controls: Array<{
    scenario: string;
    request: string;
    metric: MetricId;
    change: number | null;
    moved: boolean;
  }>;
  drifted: boolean;
  reason?: string;
}

/** How the verdict was reached, and what it saw: the facts the report and the terminal show. */
export interface Decision {
  /** Level the gating tests were judged at: alpha, or this look's share of it with adaptive trials. */
  lookAlpha: number;
  /** The gating series that moved most in the worse direction, relative to its minimum effect. */
  largestChange: LargestChange | null;
  /** Adaptive trials: trials used, looks taken, why the run stopped. */
  sequential?: SequentialState;
  /** Set when some interval's coverage is below the nominal confidence (exact rank intervals). */
  achievedConfidence?: number;
  /** What would decide an undecided series: more trials (how many), paired mode. */
  wouldDecide?: string;
  /** Stored mode: how the candidate's runner differs from the baseline's (CPU, cores, kernel, Node). */
  runnerDifferences?: string[];
}

export interface LargestChange {
  scenario: string;
  request: string | null;
  metric: MetricId;
  change: ChangeEstimate;
  minEffect: string;
  status: SeriesStatus;
  /** "api / (all requests) p95 latency +606 % [+403 %, +879 %]" */
  text: string;
}

export interface Verdict {
  schemaVersion: 1;
  kind: 'perf-gate/verdict';
  outcome: Outcome;
  /** One plain sentence: the decision and its main reason. */
  headline: string;
  reasons: string[];
  counts: {
    regressions: number;
    warnings: number;
    improvements: number;
    budgetsExceeded: number;
    inconclusive: number;
    unchanged: number;
    unmatched: number;
    approved: number;
  };
  /** Everything that is not "unchanged", most severe first. */
  findings: Finding[];
  /** Status of every compared series, in the comparison's order. */
  statuses: SeriesStatus[];
  budgets: BudgetCheck[];
  noise: NoiseReport;
  decision: Decision;
  approval?: ApprovalRecord;
  alpha: number;
  /** Scenarios whose candidate lost trials the baseline did not, or a candidate run that stopped: each fails. */
  trialLosses?: TrialLoss[];
}
