import type { ChangeEstimate } from '../compare/types.ts';
import type { MetricId } from '../compare/metrics.ts';

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
  /** Median over gating latency series of |split-half shift| / minimum effect; > 0.5 means drift. */
  splitHalfScore: number | null;
  /** Median over gating latency series of the |relative split-half shift| (0.07 = 7 %). */
  splitHalfShift: number | null;
  /**
   * The relative change the environment alone could explain: twice the split-half shift when the run
   * drifted, or the largest move of a control request. A regression must exceed minimum effect + this.
   */
  environmentShift: number;
  /** Which side's trials were split: the one measured in this job (candidate when stored, baseline when paired). */
  splitSide: 'baseline' | 'candidate';
  controls: Array<{ request: string; metric: MetricId; change: number | null; moved: boolean }>;
  drifted: boolean;
  reason?: string;
}

export interface TrialRequirement {
  familySize: number;
  alpha: number;
  /** Smallest attainable p-value with the trials at hand. */
  minAttainableP: number;
  /** Trials per side (pairs in paired mode) needed so that p < alpha / familySize is attainable. */
  neededTrials: number;
  haveTrials: number;
  met: boolean;
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
  requirement: TrialRequirement | null;
  approval?: ApprovalRecord;
  alpha: number;
}
