// Comparison x thresholds x approvals -> Verdict. A regression needs BOTH a Holm-adjusted p below the
// level of this look (alpha, or its share when the trials are looked at more than once) AND the whole
// interval beyond the metric's minimum effect, with the rank estimate agreeing; budgets are checked on the
// candidate alone; a run that cannot decide says so (inconclusive), names the largest change it saw and
// what would decide it. The rules and their defaults are explained in docs/statistics.md.
import { hodgesLehmannRatio, median } from '../stats/index.ts';
import { METRICS } from '../compare/metrics.ts';
import { formatChangeInline, formatP as fmtP, formatValue } from '../compare/format.ts';
import type { Comparison, MetricComparison } from '../compare/types.ts';
import type { Budget, SeriesRule, Thresholds } from '../compare/rules.ts';
import {
  baselineGaps,
  DEFAULT_INVALID_TRIAL_POLICY,
  trialLosses,
  type InvalidTrialPolicy,
} from './trial-loss.ts';
import type {
  ApprovalRecord,
  BudgetCheck,
  Finding,
  NoiseReport,
  Outcome,
  SeriesStatus,
  Decision,
  Verdict,
} from './types.ts';
import type { SequentialState } from './sequential.ts';
import { largestChange, seriesName, wouldDecide } from './explain.ts';

export interface DecideOptions {
  /**
   * The thresholds the comparison was made with. Each series' rule (minimum effect, gating, budgets,
   * control) comes from the comparison (`MetricComparison.rule`); these give alpha and the approvals.
   */
  thresholds: Thresholds;
  /** How many invalid trials the candidate may have beyond the baseline's (default: DEFAULT_INVALID_TRIAL_POLICY). */
  invalidTrials?: InvalidTrialPolicy;
  /** An approval given on the command line or by a PR label: approves every failing finding. */
  approval?: ApprovalRecord;
  /**
   * The level this look may spend (adaptive trials: a share of alpha, stats/alpha-spending.ts); the
   * default, thresholds.alpha, is the single look of a fixed number of trials.
   */
  lookAlpha?: number;
  /** Adaptive trials: where the procedure stands (trials used, why it stopped), recorded in the verdict. */
  sequential?: SequentialState;
  /** Stored mode: how the candidate's runner differs from the baseline's (CPU, cores, kernel, Node). */
  runnerDifferences?: string[];
}

/** Positive when the change goes in the worse direction, in units of the series' scale. */
function worseEffect(row: MetricComparison): number | null {
  if (!row.change) return null;
  return row.worse === 'higher' ? row.change.estimate : -row.change.estimate;
}

/** The bound of the interval nearest to "no change", expressed like worseEffect. */
function conservativeWorseEffect(row: MetricComparison): number | null {
  if (!row.change) return null;
  return row.worse === 'higher' ? row.change.lower : -row.change.upper;
}

/**
 * regression: Holm-adjusted p < alpha, the whole confidence interval lies beyond the minimum effect
 *   (shared reference 7.4: an interval that still contains 1 + delta is only a warning), and the rank
 *   test's Hodges-Lehmann estimate is beyond it too (robustness: one wild trial cannot carry a regression);
 * warning: significant but smaller than the minimum effect, or beyond it without the interval's or the
 *   rank estimate's support, or significant before the multiple-comparison correction and beyond the
 *   minimum effect;
 * improvement: the mirror image of a regression (informational metrics use BH q-values).
 */
export function seriesStatus(row: MetricComparison, minEffect: number, alpha: number): SeriesStatus {
  const effect = worseEffect(row);
  const sure = conservativeWorseEffect(row);
  if (effect === null || sure === null || row.p === null) return 'inconclusive';
  const threshold = Math.abs(minEffect);
  // pHolm is one-sided towards worse: improvements (never gating) are judged by their BH q-value.
  const adjusted = row.gating ? row.pHolm : row.qBH;
  const significant = adjusted !== null && adjusted < alpha;
  const betterSure = row.worse === 'higher' ? -row.change!.upper : row.change!.lower;
  if (row.qBH !== null && row.qBH < alpha && betterSure >= threshold) return 'improvement';
  if (!row.gating) return significant && effect >= threshold ? 'warning' : 'unchanged';
  const rankAgrees =
    !row.rank || (row.worse === 'higher' ? row.rank.estimate : -row.rank.estimate) >= threshold;
  if (significant && sure >= threshold && rankAgrees) return 'regression';
  if (significant && effect > 0) return 'warning';
  // Significant before the multiple-comparison correction and beyond the minimum effect: worth a look.
  if (row.p < alpha && effect >= threshold) return 'warning';
  return 'unchanged';
}

/**
 * The interval rules out a regression of the minimum effect: the worse-direction bound of the 90 %
 * interval (two one-sided 5 % tests, TOST) stays inside it. The clear pass an adaptive run may stop on.
 */
export function isEquivalent(row: MetricComparison, minEffect: number): boolean {
  if (!row.change) return false;
  const interval = row.equivalence ?? row.change;
  const worstPlausible = row.worse === 'higher' ? interval.upper : -interval.lower;
  return worstPlausible < Math.abs(minEffect);
}

function budgetPasses(b: Budget, value: number): boolean {
  switch (b.op) {
    case '<':
      return value < b.value;
    case '<=':
      return value <= b.value;
    case '>':
      return value > b.value;
    case '>=':
      return value >= b.value;
  }
}

/**
 * Internal A/A. Each series' own trial-to-trial noise is already in its interval (t-tests), and stored
 * mode adds the drift of its history (compare/drift.ts), so nothing run-wide may outvote a series: a noisy
 * health route never hides a clean regression on a stable one. What stays here:
 * - control requests (which the change cannot affect) that moved: the environment changed in that scenario,
 *   and a regression of the same scenario must exceed the control's move as well as the minimum effect;
 * - the split-half shift (even against odd trials of the side measured in this job), informational only.
 */
export function noiseCheck(comparison: Comparison, thresholds: Thresholds): NoiseReport {
  const splitSide = comparison.mode === 'paired' ? 'baseline' : 'candidate';
  const scores: number[] = [];
  const shifts: number[] = [];
  for (const row of comparison.metrics) {
    if (!row.gating || row.request === null || METRICS[row.metric].unit !== 'us') continue;
    const values = splitSide === 'baseline' ? row.baseline : row.candidate;
    const even = values.filter((_, i) => i % 2 === 0);
    const odd = values.filter((_, i) => i % 2 === 1);
    if (even.length < 2 || odd.length < 2 || values.some((v) => !(v > 0))) continue;
    const delta = Math.abs(row.rule.minEffect.value);
    const shift = Math.abs(Math.log(hodgesLehmannRatio(even, odd, 0.5).estimate));
    shifts.push(Math.expm1(shift));
    scores.push(shift / Math.log(1 + delta));
  }
  const splitHalfScore = scores.length ? median(scores) : null;
  const splitHalfShift = shifts.length ? median(shifts) : null;

  const controls: NoiseReport['controls'] = [];
  for (const row of comparison.metrics) {
    if (row.request === null || !row.rule.control) continue;
    if (row.metric !== 'p50' && row.metric !== 'p95') continue;
    const delta = Math.abs(row.rule.minEffect.value);
    const effect = worseEffect(row);
    const moved = effect !== null && row.p !== null && row.p < thresholds.alpha && Math.abs(effect) >= delta;
    controls.push({
      scenario: row.scenario,
      request: row.request,
      metric: row.metric,
      change: row.change?.estimate ?? null,
      moved,
    });
  }
  const movedControls = controls.filter((c) => c.moved);
  const environmentShift = Math.max(0, ...movedControls.map((c) => Math.abs(c.change ?? 0)));
  const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  return {
    splitHalfScore: round(splitHalfScore),
    splitHalfShift: round(splitHalfShift),
    environmentShift: round(environmentShift)!,
    splitSide,
    controls,
    drifted: movedControls.length > 0,
    ...(movedControls.length
      ? {
          reason: `control request ${movedControls.map((c) => `${c.scenario} / ${c.request} ${c.metric} (${pct(c.change ?? 0)})`).join(', ')} moved: the environment changed, not only the code`,
        }
      : {}),
  };
}

/** The largest move of a control request in a scenario: what the environment alone could explain there. */
function scenarioEnvironmentShift(noise: NoiseReport, scenario: string): number {
  return Math.max(
    0,
    ...noise.controls.filter((c) => c.moved && c.scenario === scenario).map((c) => Math.abs(c.change ?? 0)),
  );
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function matchingApproval(
  thresholds: Thresholds,
  f: { scenario: string; request: string | null; metric: string },
  global?: ApprovalRecord,
): ApprovalRecord | undefined {
  if (global) return global;
  const a = thresholds.approvals.find(
    (x) =>
      (x.scenario === undefined || x.scenario === f.scenario) &&
      (x.request === undefined || x.request === f.request) &&
      (x.metric === undefined || x.metric === f.metric),
  );
  return a ? { source: 'config', reason: a.reason } : undefined;
}

/** The rule of the series a finding is about (resolved once, by compare). */
function ruleOf(comparison: Comparison, f: Finding): SeriesRule {
  const row = comparison.metrics.find(
    (m) => m.scenario === f.scenario && m.request === f.request && m.metric === f.metric,
  );
  return row!.rule;
}

const SEVERITY: Record<Finding['status'], number> = {
  'budget-exceeded': 0,
  regression: 1,
  warning: 2,
  inconclusive: 3,
  improvement: 4,
  unchanged: 5,
};

export function decide(comparison: Comparison, options: DecideOptions): Verdict {
  const { thresholds, approval } = options;
  const alpha = options.lookAlpha ?? thresholds.alpha;
  const statuses: SeriesStatus[] = [];
  const findings: Finding[] = [];
  const budgets: BudgetCheck[] = [];
  // How far each exceeded budget's value is past its limit (relative): the headline's "worst" budget.
  const overBudget = new Map<Finding, number>();

  for (const row of comparison.metrics) {
    const rules = row.rule;
    const status = seriesStatus(row, rules.minEffect.value, alpha);
    statuses.push(status);
    const base = {
      scenario: row.scenario,
      request: row.request,
      metric: row.metric,
      gating: row.gating,
      baselineMedian: row.baselineMedian,
      candidateMedian: row.candidateMedian,
      change: row.change,
      p: row.p,
      pHolm: row.pHolm,
      minEffect: rules.minEffect.text,
    };
    if (status !== 'unchanged' && !(status === 'inconclusive' && !row.gating)) {
      const what = seriesName(row);
      const message =
        status === 'inconclusive'
          ? `${what}: ${row.note ?? 'no test possible'}`
          : `${what}: ${row.change ? formatChangeInline(row.change) : 'n/a'}, p=${fmtP(row.p)}${row.pHolm !== null ? `, Holm p=${fmtP(row.pHolm)}` : ''} (minimum effect ${rules.minEffect.text})`;
      const approved = status === 'regression' ? matchingApproval(thresholds, row, approval) : undefined;
      findings.push({ status, ...base, message, ...(approved ? { approved } : {}) });
    }
    for (const b of rules.budgets) {
      const value = row.candidateMedian;
      const passed = value !== null && budgetPasses(b, value);
      const approved = passed ? undefined : matchingApproval(thresholds, row, approval);
      budgets.push({
        scenario: row.scenario,
        request: row.request,
        metric: row.metric,
        budget: b.text,
        value,
        passed,
        ...(approved ? { approved } : {}),
      });
      if (!passed) {
        const finding: Finding = {
          status: 'budget-exceeded',
          ...base,
          message: `${seriesName(row)}: ${value === null ? 'no value' : formatValue(row.unit, value)} breaks the budget ${b.text}`,
          ...(approved ? { approved } : {}),
        };
        findings.push(finding);
        overBudget.set(finding, value === null || b.value === 0 ? Infinity : Math.abs(value / b.value - 1));
      }
    }
  }
  // Most severe first; within a kind, the largest change first (the headline names the worst).
  // A budget is ranked by how far past its limit the candidate is, not by its change from the baseline.
  const size = (f: Finding) => overBudget.get(f) ?? Math.abs(f.change?.estimate ?? 0);
  findings.sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status] || size(b) - size(a));

  const count = (s: Finding['status']) => findings.filter((f) => f.status === s).length;
  const counts = {
    regressions: count('regression'),
    warnings: count('warning'),
    improvements: count('improvement'),
    budgetsExceeded: count('budget-exceeded'),
    inconclusive: statuses.filter((s, i) => s === 'inconclusive' && comparison.metrics[i]!.gating).length,
    unchanged: statuses.filter((s) => s === 'unchanged').length,
    unmatched: comparison.unmatched.length,
    approved: findings.filter((f) => f.approved).length,
  };
  const reasons: string[] = [];

  const noise = noiseCheck(comparison, thresholds);
  // An approved regression approves the rest of that request's slowdown (its other percentiles) too.
  const approvedRequests = new Set(
    findings.filter((f) => f.approved).map((f) => `${f.scenario}\u0000${f.request}`),
  );
  const openWarnings = findings.filter(
    (f) => f.status === 'warning' && !approvedRequests.has(`${f.scenario}\u0000${f.request}`),
  );
  // Where a control moved, a latency or throughput regression of that scenario must also exceed what the
  // environment explains. Errors are not noise: an error-rate regression is never masked.
  if (noise.drifted) {
    for (const f of findings) {
      if (f.status !== 'regression' || f.approved || !f.change || f.metric === 'errorRate') continue;
      const shift = scenarioEnvironmentShift(noise, f.scenario);
      if (shift === 0) continue;
      const sure = METRICS[f.metric].worse === 'higher' ? f.change.lower : -f.change.upper;
      const needed = Math.abs(ruleOf(comparison, f).minEffect.value) + shift;
      if (sure < needed) f.withinNoise = true;
    }
  }
  const failing = findings.filter(
    (f) => (f.status === 'regression' || f.status === 'budget-exceeded') && !f.approved && !f.withinNoise,
  );
  const masked = findings.filter((f) => f.withinNoise);
  const losses = trialLosses(comparison, options.invalidTrials ?? DEFAULT_INVALID_TRIAL_POLICY);
  let outcome: Outcome;
  if (losses.length > 0) {
    // Trials the candidate lost are a failure of their own, whatever the surviving trials say.
    outcome = 'fail';
    reasons.push(...losses.map((l) => l.message), ...failing.map((f) => f.message));
  } else if (comparison.trials.length === 0) {
    outcome = 'no-baseline';
    reasons.push(
      comparison.unmatched.length
        ? 'no scenario of the candidate has a comparable baseline (new or changed scenarios)'
        : 'there is no baseline to compare with',
    );
  } else if (failing.length > 0) {
    outcome = 'fail';
    reasons.push(...failing.map((f) => f.message));
    if (masked.length) {
      reasons.push(`${masked.length} smaller regression(s) are within this run's noise: ${noise.reason}`);
    }
  } else if (masked.length > 0) {
    outcome = 'inconclusive';
    reasons.push(
      `${masked.length} regression(s) found, but not beyond this run's noise: ${noise.reason}; re-run the job`,
    );
  } else if (counts.inconclusive > 0) {
    outcome = 'inconclusive';
    const notes = findings.filter((f) => f.status === 'inconclusive' && f.gating).map((f) => f.message);
    reasons.push(...notes.slice(0, 5));
  } else if (openWarnings.length > 0) {
    outcome = 'warn';
    reasons.push(...openWarnings.map((f) => f.message));
  } else {
    outcome = 'pass';
  }
  reasons.push(...baselineGaps(comparison));
  if (options.runnerDifferences?.length) {
    reasons.push(
      `the candidate ran on a different runner than the stored baseline (${options.runnerDifferences.join('; ')}); paired mode (--baseline-url) avoids the difference`,
    );
  }
  if (comparison.unmatched.length) {
    reasons.push(
      `${comparison.unmatched.length} scenario(s) not compared: ${comparison.unmatched.map((u) => `${u.scenario} (${u.detail})`).join('; ')}`,
    );
  }

  const approvedFindings = findings.filter((f) => f.approved);
  const largest = largestChange(comparison, statuses);
  const decision: Decision = {
    lookAlpha: alpha,
    largestChange: largest,
    ...(options.sequential ? { sequential: options.sequential } : {}),
    ...(options.runnerDifferences?.length ? { runnerDifferences: options.runnerDifferences } : {}),
    ...achievedConfidenceOf(comparison),
  };
  if (outcome !== 'fail' && outcome !== 'no-baseline') {
    const hint = wouldDecide(comparison, statuses, options.sequential);
    if (hint) decision.wouldDecide = hint;
  }
  const headline = losses.length
    ? `Performance gate failed: ${losses[0]!.message}` +
      (losses.length > 1 ? ` (and ${losses.length - 1} more)` : '')
    : headlineFor(outcome, counts, failing, approvedFindings.length, noise, decision);
  return {
    schemaVersion: 1,
    kind: 'perf-gate/verdict',
    outcome,
    headline,
    reasons,
    counts,
    findings,
    statuses,
    budgets,
    noise,
    decision,
    ...(approvedFindings.length && approval
      ? { approval }
      : approvedFindings.length
        ? { approval: approvedFindings[0]!.approved! }
        : {}),
    alpha,
    ...(losses.length ? { trialLosses: losses } : {}),
  };
}

/**
 * What fails the gate, counted one way for every shell: unapproved regressions and budget violations
 * not within the run's noise, plus scenarios whose candidate lost trials.
 */
export function failingCount(verdict: Verdict): number {
  const findings = verdict.findings.filter(
    (f) => (f.status === 'regression' || f.status === 'budget-exceeded') && !f.approved && !f.withinNoise,
  ).length;
  return findings + (verdict.trialLosses?.length ?? 0);
}

/** A verdict for a candidate with no baseline at all (first run on a branch). */
export function noBaselineVerdict(thresholds: Thresholds, why: string): Verdict {
  return {
    schemaVersion: 1,
    kind: 'perf-gate/verdict',
    outcome: 'no-baseline',
    headline: `No baseline yet: ${why}. Nothing was compared; the gate passes.`,
    reasons: [why],
    counts: {
      regressions: 0,
      warnings: 0,
      improvements: 0,
      budgetsExceeded: 0,
      inconclusive: 0,
      unchanged: 0,
      unmatched: 0,
      approved: 0,
    },
    findings: [],
    statuses: [],
    budgets: [],
    noise: {
      splitHalfScore: null,
      splitHalfShift: null,
      environmentShift: 0,
      splitSide: 'candidate',
      controls: [],
      drifted: false,
    },
    decision: { lookAlpha: thresholds.alpha, largestChange: null },
    alpha: thresholds.alpha,
  };
}

/** The worst interval coverage below the nominal confidence (exact rank intervals on constant samples). */
function achievedConfidenceOf(comparison: Comparison): { achievedConfidence?: number } {
  const achieved = comparison.metrics
    .map((m) => m.change?.achievedConfidence)
    .filter((x): x is number => x !== undefined);
  return achieved.length ? { achievedConfidence: Math.min(...achieved) } : {};
}

function headlineFor(
  outcome: Outcome,
  counts: Verdict['counts'],
  failing: Finding[],
  approved: number,
  noise: NoiseReport,
  decision: Decision,
): string {
  const worst = failing[0];
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const largest = decision.largestChange ? `; largest change: ${decision.largestChange.text}` : '';
  const hint = decision.wouldDecide ? ` To decide: ${decision.wouldDecide}.` : '';
  switch (outcome) {
    case 'fail':
      return (
        `Performance gate failed: ${[
          counts.regressions - approved > 0
            ? plural(failing.filter((f) => f.status === 'regression').length, 'regression')
            : '',
          counts.budgetsExceeded
            ? plural(failing.filter((f) => f.status === 'budget-exceeded').length, 'budget') + ' exceeded'
            : '',
        ]
          .filter(Boolean)
          .join(', ')}` + (worst ? `; worst: ${worst.message}` : '')
      );
    case 'inconclusive':
      return (
        (noise.drifted && counts.regressions > 0
          ? `Inconclusive: regressions were found, but not beyond the environment's own shift (${noise.reason})`
          : 'Inconclusive: the data cannot decide') + `${largest}.${hint}`
      );
    case 'warn':
      return `Passed with ${plural(counts.warnings, 'warning')}: changes worth a look, below the gate's thresholds${largest}.${hint}`;
    case 'no-baseline':
      return 'No comparable baseline: nothing was compared; the gate passes.';
    case 'pass':
      return approved > 0
        ? `Passed with approval: ${plural(approved, 'intended regression')} approved.`
        : `Passed: no regression${counts.improvements ? `, ${plural(counts.improvements, 'improvement')}` : ''}` +
            (decision.wouldDecide ? `, though not every change is ruled out${largest}.${hint}` : '.');
  }
}
