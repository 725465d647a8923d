// The comparison of a baseline with a candidate: one row per (scenario, request, metric) series.
import type { MetricUnit } from './metrics.ts';
import type { MetricId } from '../contracts/metric-ids.ts';
import type { SeriesDrift } from './drift.ts';
import type { SeriesRule } from './rules.ts';

export type CompareMode = 'stored' | 'paired';

export interface ChangeEstimate {
  /** ratio scale: relative change (0.12 = +12 %); difference scale: candidate - baseline in the metric's unit. */
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
  scale: 'ratio' | 'difference';
  /** Coverage actually reached, when it differs from `confidence` (exact rank intervals on few trials). */
  achievedConfidence?: number;
}

export interface MetricComparison {
  scenario: string;
  /** null for scenario-level metrics (throughput). */
  request: string | null;
  metric: MetricId;
  unit: MetricUnit;
  worse: 'higher' | 'lower';
  /** Trial values used (valid trials only; in paired mode index i of both arrays is one pair). */
  baseline: number[];
  candidate: number[];
  baselineMedian: number | null;
  candidateMedian: number | null;
  change: ChangeEstimate | null;
  /** The 90 % interval of the change (two one-sided tests): the equivalence test of a clear pass. */
  equivalence?: { lower: number; upper: number; confidence: number };
  /** Two-sided p-value of the trial-level test; null when no test could run. */
  p: number | null;
  /**
   * Holm-adjusted one-sided p (worse direction: the gate's hypothesis is "a regression") over the gating
   * family; null for informational metrics or without p.
   */
  pHolm: number | null;
  /** Benjamini-Hochberg q over every metric with a p-value. */
  qBH: number | null;
  /**
   * paired-t: one-sample t on per-pair log ratios; welch-t: Welch on logs (plus drift in stored mode);
   * the rank tests when no t-test is possible (every value constant); none: no test.
   */
  test: 'paired-t' | 'welch-t' | 'mann-whitney' | 'wilcoxon-signed-rank' | 'none';
  /**
   * The rank test alongside (robustness check): its two-sided p and its Hodges-Lehmann estimate, on the
   * scale of `change.estimate`.
   */
  rank?: { p: number; estimate: number };
  /**
   * The t-test's variance was moderated across the gating series of this metric (empirical Bayes, Smyth
   * 2004): fitted from `series` series, it gained `dfGained` degrees of freedom.
   */
  moderation?: { series: number; dfGained: number };
  /** Stored mode: the run-to-run drift of this series taken into account (variance on the test's scale). */
  drift?: SeriesDrift;
  /** The thresholds' rule for this series (minimum effect, gating, budgets), resolved once by compare. */
  rule: SeriesRule;
  /** In the Holm family: `rule.gating`, unless the data made the series informational (see `note`). */
  gating: boolean;
  /** Why no test or estimate was possible (too few trials, non-positive values, ...). */
  note?: string;
}

export interface UnmatchedScenario {
  scenario: string;
  side: 'baseline-only' | 'candidate-only' | 'changed';
  /** What differs, in words (requests added/removed, load model changed, ...). */
  detail: string;
}

export interface Comparison {
  schemaVersion: 1;
  kind: 'perf-gate/comparison';
  mode: CompareMode;
  alpha: number;
  confidence: number;
  baseline: { label?: string; sha?: string; ref?: string; finishedAt: string };
  candidate: { label?: string; sha?: string; ref?: string; finishedAt: string };
  metrics: MetricComparison[];
  unmatched: UnmatchedScenario[];
  /** Per matched scenario, the number of valid trials on each side (pairs in paired mode). */
  trials: Array<{
    scenario: string;
    baseline: number;
    candidate: number;
    invalidBaseline: number;
    invalidCandidate: number;
    /** Why the candidate's invalid trials were invalid (distinct reasons). */
    candidateInvalidReasons?: string[];
  }>;
  /** The candidate run stopped part-way (its target failed): never a pass. */
  candidateFailure?: { scenario: string; trial: number; reason: string };
  /** Size of the Holm family (gating hypotheses with a p-value). */
  familySize: number;
  /** Stored mode: how many stored runs of the baseline branch the drift was estimated from (0: none). */
  drift?: { historyRuns: number };
}
