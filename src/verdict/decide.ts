// Comparison x thresholds x approvals -> Verdict. A regression needs BOTH a Holm-adjusted p below alpha
// AND an estimated effect beyond the metric's minimum effect; budgets are checked on the candidate alone;
// a run that cannot decide says so (inconclusive) instead of passing silently or failing falsely.
// The rules and their defaults are explained in docs/statistics.md.
import { hodgesLehmannRatio, mannWhitneyMinP, median, signedRankMinP } from '../stats/index.ts';
import { METRICS } from '../compare/metrics.ts';
import { formatChangeInline, formatP as fmtP, formatValue } from '../compare/format.ts';
import type { Comparison, MetricComparison } from '../compare/types.ts';
import { rulesFor, type Budget, type Thresholds } from './thresholds.ts';
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
  TrialRequirement,
  Verdict,
} from './types.ts';

export interface DecideOptions {
  thresholds: Thresholds;
  /** How many invalid trials the candidate may have beyond the baseline's (default: DEFAULT_INVALID_TRIAL_POLICY). */
  invalidTrials?: InvalidTrialPolicy;
  /** An approval given on the command line or by a PR label: approves every failing finding. */
  approval?: ApprovalRecord;
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
 * regression: Holm-adjusted p < alpha, and the whole confidence interval lies beyond the minimum effect
 *   (shared reference 7.4: an interval that still contains 1 + delta is only a warning);
 * warning: significant but smaller than the minimum effect, or beyond it without the interval's support,
 *   or significant before the multiple-comparison correction and beyond the minimum effect;
 * improvement: the mirror image of a regression (informational metrics use BH q-values).
 */
export function seriesStatus(row: MetricComparison, minEffect: number, alpha: number): SeriesStatus {
  const effect = worseEffect(row);
  const sure = conservativeWorseEffect(row);
  if (effect === null || sure === null || row.p === null) return 'inconclusive';
  const threshold = Math.abs(minEffect);
  const adjusted = row.gating ? row.pHolm : row.qBH;
  const significant = adjusted !== null && adjusted < alpha;
  const betterSure = row.worse === 'higher' ? -row.change!.upper : row.change!.lower;
  if (significant && betterSure >= threshold) return 'improvement';
  if (!row.gating) return significant && effect >= threshold ? 'warning' : 'unchanged';
  if (significant && sure >= threshold) return 'regression';
  if (significant && effect > 0) return 'warning';
  // Significant before the multiple-comparison correction and beyond the minimum effect: worth a look.
  if (row.p < alpha && effect >= threshold) return 'warning';
  return 'unchanged';
}

function seriesName(row: { scenario: string; request: string | null; metric: string }): string {
  return `${row.scenario} / ${row.request ?? '(all requests)'} ${METRICS[row.metric as keyof typeof METRICS].label}`;
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

/** The smallest attainable p for the design, and how many trials would make alpha / m attainable. */
export function trialRequirement(
  mode: Comparison['mode'],
  nBaseline: number,
  nCandidate: number,
  familySize: number,
  alpha: number,
): TrialRequirement {
  const minP = (a: number, b: number) =>
    mode === 'paired' ? signedRankMinP(Math.min(a, b)) : mannWhitneyMinP(a, b);
  const target = alpha / Math.max(familySize, 1);
  const have = Math.min(nBaseline, nCandidate);
  const minAttainableP = have >= 1 ? minP(Math.max(nBaseline, 1), Math.max(nCandidate, 1)) : 1;
  let needed = Math.max(have, 2);
  while (needed < 200 && minP(needed, needed) >= target) needed++;
  return {
    familySize,
    alpha,
    minAttainableP,
    neededTrials: needed,
    haveTrials: have,
    met: minAttainableP < target,
  };
}

/**
 * Internal A/A: the trials measured in this job, split into halves (even and odd trials), should agree;
 * and control requests (which the change cannot affect) should not move. Either failing means part of
 * any change we see may be the environment's.
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
    const delta = Math.abs(rulesFor(thresholds, row.scenario, row.request, row.metric).minEffect.value);
    const shift = Math.abs(Math.log(hodgesLehmannRatio(even, odd, 0.5).estimate));
    shifts.push(Math.expm1(shift));
    scores.push(shift / Math.log(1 + delta));
  }
  const splitHalfScore = scores.length ? median(scores) : null;
  const splitHalfShift = shifts.length ? median(shifts) : null;

  const controls: NoiseReport['controls'] = [];
  for (const row of comparison.metrics) {
    if (row.request === null || !thresholds.control.includes(row.request)) continue;
    if (row.metric !== 'p50' && row.metric !== 'p95') continue;
    const delta = Math.abs(rulesFor(thresholds, row.scenario, row.request, row.metric).minEffect.value);
    const effect = worseEffect(row);
    const moved = effect !== null && row.p !== null && row.p < thresholds.alpha && Math.abs(effect) >= delta;
    controls.push({ request: row.request, metric: row.metric, change: row.change?.estimate ?? null, moved });
  }
  const movedControls = controls.filter((c) => c.moved);
  const splitDrift = splitHalfScore !== null && splitHalfScore > 0.5;
  const environmentShift = Math.max(
    splitDrift && splitHalfShift !== null ? 2 * splitHalfShift : 0,
    ...movedControls.map((c) => Math.abs(c.change ?? 0)),
  );
  const reasons: string[] = [];
  if (movedControls.length) {
    reasons.push(
      `control request ${movedControls.map((c) => `${c.request} ${c.metric}`).join(', ')} moved: the environment changed, not only the code`,
    );
  }
  if (splitDrift) {
    reasons.push(
      `the ${splitSide}'s own trials disagree with each other (split-half shift ${pct(splitHalfShift!)}, ` +
        `${(splitHalfScore! * 100).toFixed(0)} % of the minimum effect): the runner was noisy or drifting`,
    );
  }
  const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  return {
    splitHalfScore: round(splitHalfScore),
    splitHalfShift: round(splitHalfShift),
    environmentShift: round(environmentShift)!,
    splitSide,
    controls,
    drifted: movedControls.length > 0 || splitDrift,
    ...(reasons.length ? { reason: reasons.join('; ') } : {}),
  };
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
  const alpha = thresholds.alpha;
  const statuses: SeriesStatus[] = [];
  const findings: Finding[] = [];
  const budgets: BudgetCheck[] = [];

  for (const row of comparison.metrics) {
    const rules = rulesFor(thresholds, row.scenario, row.request, row.metric);
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
        findings.push({
          status: 'budget-exceeded',
          ...base,
          message: `${seriesName(row)}: ${value === null ? 'no value' : formatValue(row.unit, value)} breaks the budget ${b.text}`,
          ...(approved ? { approved } : {}),
        });
      }
    }
  }
  // Most severe first; within a kind, the largest change first (the headline names the worst).
  const size = (f: Finding) => Math.abs(f.change?.estimate ?? 0);
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

  // The design's discreteness floor: with too few trials no p-value can pass Holm's first step.
  let requirement: TrialRequirement | null = null;
  if (comparison.trials.length) {
    const nB = Math.min(...comparison.trials.map((t) => t.baseline));
    const nC = Math.min(...comparison.trials.map((t) => t.candidate));
    requirement = trialRequirement(comparison.mode, nB, nC, Math.max(comparison.familySize, 1), alpha);
  }

  const noise = noiseCheck(comparison, thresholds);
  // An approved regression approves the rest of that request's slowdown (its other percentiles) too.
  const approvedRequests = new Set(
    findings.filter((f) => f.approved).map((f) => `${f.scenario}\u0000${f.request}`),
  );
  const openWarnings = findings.filter(
    (f) => f.status === 'warning' && !approvedRequests.has(`${f.scenario}\u0000${f.request}`),
  );
  // In a drifting run, a latency or throughput regression must also exceed what the environment alone
  // could explain. Errors are not noise: an error-rate regression is never masked.
  if (noise.drifted) {
    for (const f of findings) {
      if (f.status !== 'regression' || f.approved || !f.change || f.metric === 'errorRate') continue;
      const sure = METRICS[f.metric].worse === 'higher' ? f.change.lower : -f.change.upper;
      const needed =
        Math.abs(rulesFor(thresholds, f.scenario, f.request, f.metric).minEffect.value) +
        noise.environmentShift;
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
  } else if (requirement && !requirement.met) {
    outcome = 'inconclusive';
    reasons.push(
      `with ${requirement.haveTrials} ${comparison.mode === 'paired' ? 'pairs' : 'trials per side'} and ${requirement.familySize} gating metrics, ` +
        `no p-value can go below alpha/m = ${fmtP(alpha / requirement.familySize)} (smallest possible ${fmtP(requirement.minAttainableP)}); ` +
        `use at least ${requirement.neededTrials} ${comparison.mode === 'paired' ? 'pairs' : 'trials'}`,
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
  if (comparison.unmatched.length) {
    reasons.push(
      `${comparison.unmatched.length} scenario(s) not compared: ${comparison.unmatched.map((u) => `${u.scenario} (${u.detail})`).join('; ')}`,
    );
  }

  const approvedFindings = findings.filter((f) => f.approved);
  const headline = losses.length
    ? `Performance gate failed: ${losses[0]!.message}` +
      (losses.length > 1 ? ` (and ${losses.length - 1} more)` : '')
    : headlineFor(outcome, counts, failing, approvedFindings.length, noise);
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
    requirement,
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
    requirement: null,
    alpha: thresholds.alpha,
  };
}

function headlineFor(
  outcome: Outcome,
  counts: Verdict['counts'],
  failing: Finding[],
  approved: number,
  noise: NoiseReport,
): string {
  const worst = failing[0];
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
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
      return noise.drifted && counts.regressions > 0
        ? `Inconclusive: regressions were found, but not beyond this run's own noise (${noise.reason}).`
        : 'Inconclusive: the data cannot decide (see the reasons).';
    case 'warn':
      return `Passed with ${plural(counts.warnings, 'warning')}: changes worth a look, below the gate's thresholds.`;
    case 'no-baseline':
      return 'No comparable baseline: nothing was compared; the gate passes.';
    case 'pass':
      return approved > 0
        ? `Passed with approval: ${plural(approved, 'intended regression')} approved.`
        : `Passed: no regression${counts.improvements ? `, ${plural(counts.improvements, 'improvement')}` : ''}.`;
  }
}
