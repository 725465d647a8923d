// Baseline x candidate -> Comparison. The statistical unit is the trial: each series holds one value per
// valid trial (per valid pair in paired mode). Ratio metrics are tested on logs, so estimates are relative.
//   paired mode: one-sample t on per-pair log ratios (differences for the error rate).
//   stored mode: Welch difference of the mean logs, its variance widened by the run-to-run drift the
//                baseline history shows (drift.ts), since the baseline was measured in another job.
// In a family of 3+ gating series of one metric the t-tests' variances are moderated across the family
// (empirical Bayes, moderation.ts), so alike series gain degrees of freedom.
// t-tests have no discreteness floor, so a consistent change passes Holm even over a large family with few
// trials. The rank tests (Wilcoxon signed-rank / Mann-Whitney with Hodges-Lehmann) run alongside as a
// robustness check: the verdict wants their estimate beyond the minimum effect too (one wild trial cannot
// carry a regression), and they take over when a t-test is impossible (constant samples).
// Worse-direction p-values are Holm-adjusted over the gating family, two-sided ones BH-adjusted over
// everything (docs/statistics.md).
import {
  benjaminiHochbergAdjust,
  hodgesLehmannOneSample,
  hodgesLehmannRatio,
  hodgesLehmannShift,
  holmAdjust,
  mannWhitneyU,
  meanDifference,
  median,
  oneSampleTTest,
  oneSampleTTestWithVariance,
  pairedHodgesLehmannRatio,
  studentTQuantile,
  wilcoxonSignedRank,
  type ExtraVariance,
} from '../stats/index.ts';
import { METRICS, type MetricDef } from './metrics.ts';
import { matchScenarios } from './match.ts';
import { driftFromHistory, seriesKey, type DriftTable } from './drift.ts';
import { moderateFamily, type SeriesModeration } from './moderation.ts';
import type { ChangeEstimate, Comparison, CompareMode, MetricComparison } from './types.ts';
import type { RunResult, ScenarioResult, TrialResult } from '../contracts/run-result.ts';
import { DEFAULT_THRESHOLDS, ruleFor, type SeriesRule, type Thresholds } from './rules.ts';

export interface CompareOptions {
  mode: CompareMode;
  /** The policy each series' rule is resolved from (default: DEFAULT_THRESHOLDS); decide gets the same. */
  thresholds?: Thresholds;
  /** Confidence of the intervals (default 0.95). */
  confidence?: number;
  /**
   * Stored mode: recent stored runs of the baseline branch (the baseline among them), from which the
   * run-to-run drift of every series is estimated. Without it, stored mode knows no drift.
   */
  history?: RunResult[];
}

/** A series ready for testing: values per trial, and where they came from. */
export interface Series {
  scenario: string;
  request: string | null;
  def: MetricDef;
  baseline: number[];
  candidate: number[];
  /** The thresholds' rule for this series, resolved once here; the verdict and the report read it. */
  rule: SeriesRule;
  /** In the Holm family: the rule gates and the data allows it (no resource data missing). */
  gating: boolean;
  /** Why the series is the way it is (e.g. resource data missing), shown when the test has no note. */
  note?: string;
}

interface TestOutcome {
  change: ChangeEstimate | null;
  equivalence?: MetricComparison['equivalence'];
  p: number | null;
  test: MetricComparison['test'];
  rank?: MetricComparison['rank'];
  moderation?: MetricComparison['moderation'];
  note?: string;
}

const MIN_TRIALS = 2;
const NO_DRIFT: ExtraVariance = { variance: 0, df: Infinity };
/**
 * The rank check runs where it can matter: a series whose t-test is not even significant before the
 * multiple-comparison correction cannot become a regression (and exact rank tests cost far more).
 */
const RANK_CHECK_P = 0.05;

/** Tests one series. Never throws and never returns NaN: problems become a note. */
export function testSeries(
  series: Pick<Series, 'def' | 'baseline' | 'candidate'>,
  mode: CompareMode,
  confidence: number,
  drift: ExtraVariance = NO_DRIFT,
  moderation?: SeriesModeration,
): TestOutcome {
  const { def, baseline: b, candidate: c } = series;
  const none = (note: string): TestOutcome => ({ change: null, p: null, test: 'none', note });
  if (b.length < MIN_TRIALS || c.length < MIN_TRIALS) {
    return none(
      `too few valid ${mode === 'paired' ? 'pairs' : 'trials'} (${b.length} vs ${c.length}, need ${MIN_TRIALS})`,
    );
  }
  if ([...b, ...c].some((v) => !Number.isFinite(v))) return none('non-finite values in the trials');
  if (def.scale === 'ratio' && [...b, ...c].some((v) => v <= 0)) {
    return none('zero values (no successful responses in a trial): no relative change can be estimated');
  }
  const onScale = (xs: number[]) => (def.scale === 'ratio' ? xs.map(Math.log) : xs);
  try {
    if (mode === 'paired') {
      const d = def.scale === 'ratio' ? c.map((v, i) => Math.log(v / b[i]!)) : c.map((v, i) => v - b[i]!);
      if (d.every((x) => x === 0)) return { change: zeroChange(def, confidence), p: 1, test: 'paired-t' };
      const hl = () =>
        def.scale === 'ratio'
          ? pairedHodgesLehmannRatio(b, c, confidence)
          : hodgesLehmannOneSample(d, confidence);
      const rank = () => ({ p: wilcoxonSignedRank(d).p, estimate: toChange(def, hl(), confidence).estimate });
      if (d.every((x) => x === d[0])) {
        // Every pair moved by exactly the same amount: no t-test, the rank test and HL decide.
        const r = rank();
        return {
          change: toChange(def, hl(), confidence, true),
          p: r.p,
          test: 'wilcoxon-signed-rank',
          rank: r,
        };
      }
      const t = moderation?.differences
        ? oneSampleTTestWithVariance(d, moderation.differences, confidence)
        : oneSampleTTest(d, confidence);
      const change = fromLogScale(def, t, confidence);
      return {
        change,
        equivalence: equivalenceInterval(def, t),
        p: t.p,
        test: 'paired-t',
        ...(t.p < RANK_CHECK_P ? { rank: rank() } : {}),
        ...(moderation?.differences
          ? { moderation: { series: moderation.series, dfGained: t.df - (d.length - 1) } }
          : {}),
      };
    }
    const all = [...b, ...c];
    if (all.every((v) => v === all[0])) return { change: zeroChange(def, confidence), p: 1, test: 'welch-t' };
    const x = onScale(b);
    const y = onScale(c);
    const hl = () =>
      def.scale === 'ratio' ? hodgesLehmannRatio(b, c, confidence) : hodgesLehmannShift(b, c, confidence);
    const rank = () => ({ p: mannWhitneyU(y, x).p, estimate: toChange(def, hl(), confidence).estimate });
    const constant = (xs: number[]) => xs.every((v) => v === xs[0]);
    if (constant(x) && constant(y) && drift.variance === 0) {
      const r = rank();
      return { change: toChange(def, hl(), confidence, true), p: r.p, test: 'mann-whitney', rank: r };
    }
    const sides = moderation?.candidate ? { y: moderation.candidate } : {};
    const t = meanDifference(x, y, confidence, drift, 'two-sided', sides);
    const moderated = moderation?.candidate;
    return {
      change: fromLogScale(def, t, confidence),
      equivalence: equivalenceInterval(def, t),
      p: t.p,
      test: 'welch-t',
      ...(t.p < RANK_CHECK_P ? { rank: rank() } : {}),
      ...(moderated
        ? {
            moderation: {
              series: moderation.series,
              dfGained: t.df - meanDifference(x, y, confidence, drift).df,
            },
          }
        : {}),
    };
  } catch (err) {
    return none(`no test possible: ${(err as Error).message}`);
  }
}

/**
 * The 90 % interval: two one-sided 5 % tests (TOST), the usual equivalence test. An adaptive run may stop
 * for a clear pass when it lies inside the minimum effect.
 */
function equivalenceInterval(
  def: MetricDef,
  t: { estimate: number; se: number; df: number },
): MetricComparison['equivalence'] {
  const half = studentTQuantile(0.95, t.df) * t.se;
  const back = def.scale === 'ratio' ? Math.expm1 : (v: number) => v;
  return { lower: back(t.estimate - half), upper: back(t.estimate + half), confidence: 0.9 };
}

/** A t result on the test's scale as a change: logs back to relative changes (0.12 = +12 %). */
function fromLogScale(
  def: MetricDef,
  t: { estimate: number; lower: number; upper: number },
  confidence: number,
): ChangeEstimate {
  const back = def.scale === 'ratio' ? Math.expm1 : (v: number) => v;
  return {
    estimate: back(t.estimate),
    lower: back(t.lower),
    upper: back(t.upper),
    confidence,
    scale: def.scale,
  };
}

function finiteMedian(xs: number[]): number | null {
  return xs.length > 0 && xs.every(Number.isFinite) ? median(xs) : null;
}

function zeroChange(def: MetricDef, confidence: number): ChangeEstimate {
  return { estimate: 0, lower: 0, upper: 0, confidence, scale: def.scale };
}

function toChange(
  def: MetricDef,
  hl: { estimate: number; lower: number; upper: number; achievedConfidence: number },
  confidence: number,
  reportAchieved = false,
): ChangeEstimate {
  // Ratios become relative changes: 1.12 -> +0.12.
  const shift = def.scale === 'ratio' ? (x: number) => x - 1 : (x: number) => x;
  // The exact rank interval's coverage is discrete: say so when it is not the confidence asked for.
  const achieved =
    reportAchieved && Math.abs(hl.achievedConfidence - confidence) > 1e-9
      ? { achievedConfidence: hl.achievedConfidence }
      : {};
  return {
    estimate: shift(hl.estimate),
    lower: shift(hl.lower),
    upper: shift(hl.upper),
    confidence,
    scale: def.scale,
    ...achieved,
  };
}

/** The trials of two scenario results used for comparison: valid ones, paired by index in paired mode. */
export function usableTrials(
  b: ScenarioResult,
  c: ScenarioResult,
  mode: CompareMode,
): { baseline: TrialResult[]; candidate: TrialResult[] } {
  if (mode === 'paired') {
    const n = Math.min(b.trials.length, c.trials.length);
    const pairs = Array.from({ length: n }, (_, i) => [b.trials[i]!, c.trials[i]!] as const).filter(
      ([x, y]) => x.valid && y.valid,
    );
    return { baseline: pairs.map(([x]) => x), candidate: pairs.map(([, y]) => y) };
  }
  return { baseline: b.trials.filter((t) => t.valid), candidate: c.trials.filter((t) => t.valid) };
}

/** Every series of a matched scenario. Throughput is left out in the rate model, where it is fixed by design. */
export function scenarioSeries(
  b: ScenarioResult,
  c: ScenarioResult,
  mode: CompareMode,
  thresholds: Thresholds,
): Series[] {
  const trials = usableTrials(b, c, mode);
  const out: Series[] = [];
  for (const def of Object.values(METRICS)) {
    if (def.level === 'scenario') {
      if (def.id === 'throughput' && c.load.model !== 'closed') continue;
      const baseline = trials.baseline.map(def.fromTrial!);
      const candidate = trials.candidate.map(def.fromTrial!);
      const rule = ruleFor(thresholds, c.name, null, def.id);
      let gating = rule.gating;
      let note: string | undefined;
      if (def.resource) {
        // No probe on a side (e.g. the baseline deployment in paired mode): nothing to compare.
        if (!baseline.some(Number.isFinite) || !candidate.some(Number.isFinite)) continue;
        const missing = [...baseline, ...candidate].filter((v) => !Number.isFinite(v)).length;
        if (missing > 0) {
          // A probe failure never decides the gate: the series is kept, informational, with the gap named.
          gating = false;
          note = `resource data missing in ${missing} trial(s); not gating`;
        }
      }
      out.push({
        scenario: c.name,
        request: null,
        def,
        baseline: def.resource ? baseline.filter(Number.isFinite) : baseline,
        candidate: def.resource ? candidate.filter(Number.isFinite) : candidate,
        rule,
        gating,
        ...(note ? { note } : {}),
      });
      continue;
    }
    // Scenarios driven by a user's k6 script learn their request names while running: use the trials'.
    const names = c.requests.length
      ? c.requests.map((r) => r.name)
      : [...new Set(c.trials.flatMap((t) => t.requests.map((r) => r.name)))];
    for (const name of names) {
      const req = { name };
      const pick = (ts: TrialResult[]) =>
        ts.flatMap((t) => {
          const r = t.requests.find((x) => x.name === req.name);
          return r ? [def.fromRequest!(r)] : [];
        });
      const rule = ruleFor(thresholds, c.name, req.name, def.id);
      out.push({
        scenario: c.name,
        request: req.name,
        def,
        baseline: pick(trials.baseline),
        candidate: pick(trials.candidate),
        rule,
        gating: rule.gating,
      });
    }
  }
  return out;
}

/** Tests every series and adjusts the p-values (Holm over the gating family, BH over all). */
export function compareSeries(
  series: Series[],
  mode: CompareMode,
  confidence = 0.95,
  drift?: DriftTable,
): { metrics: MetricComparison[]; familySize: number } {
  const moderation = moderateFamily(series, mode);
  const rows: MetricComparison[] = series.map((s, i) => {
    const d = mode === 'stored' ? drift?.get(seriesKey(s.scenario, s.request, s.def.id)) : undefined;
    // Baseline and candidate each carry a run effect of their own: the difference has twice its variance.
    const extra = d ? { variance: 2 * d.variance, df: d.df } : NO_DRIFT;
    const t = testSeries(s, mode, confidence, extra, moderation.get(i));
    return {
      scenario: s.scenario,
      request: s.request,
      metric: s.def.id,
      unit: s.def.unit,
      worse: s.def.worse,
      // Non-finite trial values never reach the output (the note says they were there).
      baseline: s.baseline.filter(Number.isFinite),
      candidate: s.candidate.filter(Number.isFinite),
      baselineMedian: finiteMedian(s.baseline),
      candidateMedian: finiteMedian(s.candidate),
      change: t.change,
      ...(t.equivalence ? { equivalence: t.equivalence } : {}),
      p: t.p,
      pHolm: null,
      qBH: null,
      test: t.test,
      ...(t.rank ? { rank: t.rank } : {}),
      ...(t.moderation ? { moderation: t.moderation } : {}),
      ...(d ? { drift: d } : {}),
      rule: s.rule,
      gating: s.gating,
      ...(t.note || s.note ? { note: t.note ?? s.note } : {}),
    };
  });
  // The gate fails only on the worse direction, so its family is one-sided: Holm over the worse-direction
  // p-values (half the two-sided p when the estimate points the worse way; the null distributions of the
  // t and rank statistics are symmetric). The two-sided p stays for display and the BH q-values.
  const gatingRows = rows.filter((r) => r.gating && r.p !== null);
  const worseP = (r: MetricComparison) => {
    const towardsWorse = (r.change?.estimate ?? 0) * (r.worse === 'higher' ? 1 : -1) > 0;
    return towardsWorse ? r.p! / 2 : 1 - r.p! / 2;
  };
  const holm = gatingRows.length ? holmAdjust(gatingRows.map(worseP)) : [];
  gatingRows.forEach((r, i) => (r.pHolm = holm[i]!));
  const tested = rows.filter((r) => r.p !== null);
  const bh = tested.length ? benjaminiHochbergAdjust(tested.map((r) => r.p!)) : [];
  tested.forEach((r, i) => (r.qBH = bh[i]!));
  return { metrics: rows, familySize: gatingRows.length };
}

export function compareRuns(baseline: RunResult, candidate: RunResult, options: CompareOptions): Comparison {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const confidence = options.confidence ?? 0.95;
  const { matched, unmatched } = matchScenarios(baseline, candidate);
  const series = matched.flatMap((m) => scenarioSeries(m.baseline, m.candidate, options.mode, thresholds));
  const history = options.mode === 'stored' ? (options.history ?? []) : [];
  const drift = history.length
    ? driftFromHistory(
        history,
        matched.map((m) => m.candidate),
      )
    : undefined;
  const { metrics, familySize } = compareSeries(series, options.mode, confidence, drift?.table);
  const side = (r: RunResult) => ({
    ...(r.meta.label ? { label: r.meta.label } : {}),
    ...(r.meta.git ? { sha: r.meta.git.sha, ...(r.meta.git.ref ? { ref: r.meta.git.ref } : {}) } : {}),
    finishedAt: r.meta.finishedAt,
  });
  return {
    schemaVersion: 1,
    kind: 'perf-gate/comparison',
    mode: options.mode,
    alpha: thresholds.alpha,
    confidence,
    baseline: side(baseline),
    candidate: side(candidate),
    metrics,
    unmatched,
    trials: matched.map((m) => {
      const used = usableTrials(m.baseline, m.candidate, options.mode);
      return {
        scenario: m.name,
        baseline: used.baseline.length,
        candidate: used.candidate.length,
        invalidBaseline: m.baseline.trials.filter((t) => !t.valid).length,
        invalidCandidate: m.candidate.trials.filter((t) => !t.valid).length,
        candidateInvalidReasons: [...new Set(m.candidate.trials.flatMap((t) => t.invalidReasons))],
      };
    }),
    ...(candidate.failure ? { candidateFailure: candidate.failure } : {}),
    familySize,
    ...(options.mode === 'stored' ? { drift: { historyRuns: drift?.runs ?? 0 } } : {}),
  };
}
