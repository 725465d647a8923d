// Baseline x candidate -> Comparison. The statistical unit is the trial: each series holds one value per
// valid trial (per valid pair in paired mode).
//   stored mode: unpaired Mann-Whitney U (exact when possible) and the two-sample Hodges-Lehmann estimate
//                with Moses' interval; ratio metrics on logs, so the estimate is a relative change.
//   paired mode: Wilcoxon signed-rank on per-pair log ratios (differences for the error rate) and the
//                one-sample Hodges-Lehmann estimate with its exact interval.
// p-values are Holm-adjusted over the gating family and BH-adjusted over everything (docs/statistics.md).
import {
  benjaminiHochbergAdjust,
  hodgesLehmannOneSample,
  hodgesLehmannRatio,
  hodgesLehmannShift,
  holmAdjust,
  mannWhitneyU,
  median,
  pairedHodgesLehmannRatio,
  wilcoxonSignedRank,
} from '../stats/index.ts';
import { METRICS, type MetricDef } from './metrics.ts';
import { matchScenarios } from './match.ts';
import type { ChangeEstimate, Comparison, CompareMode, MetricComparison } from './types.ts';
import type { RunResult, ScenarioResult, TrialResult } from '../results/run-result.ts';
import { DEFAULT_THRESHOLDS, rulesFor, type Thresholds } from '../verdict/thresholds.ts';

export interface CompareOptions {
  mode: CompareMode;
  thresholds?: Thresholds;
  /** Confidence of the intervals (default 0.95). */
  confidence?: number;
}

/** A series ready for testing: values per trial, and where they came from. */
export interface Series {
  scenario: string;
  request: string | null;
  def: MetricDef;
  baseline: number[];
  candidate: number[];
  gating: boolean;
  /** Why the series is the way it is (e.g. resource data missing), shown when the test has no note. */
  note?: string;
}

interface TestOutcome {
  change: ChangeEstimate | null;
  p: number | null;
  test: MetricComparison['test'];
  note?: string;
}

const MIN_TRIALS = 2;

/** Tests one series. Never throws and never returns NaN: problems become a note. */
export function testSeries(
  series: Pick<Series, 'def' | 'baseline' | 'candidate'>,
  mode: CompareMode,
  confidence: number,
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
  try {
    if (mode === 'paired') {
      const d = def.scale === 'ratio' ? c.map((v, i) => Math.log(v / b[i]!)) : c.map((v, i) => v - b[i]!);
      if (d.every((x) => x === 0))
        return { change: zeroChange(def, confidence), p: 1, test: 'wilcoxon-signed-rank' };
      const p = wilcoxonSignedRank(d).p;
      const hl =
        def.scale === 'ratio'
          ? pairedHodgesLehmannRatio(b, c, confidence)
          : hodgesLehmannOneSample(d, confidence);
      return { change: toChange(def, hl, confidence), p, test: 'wilcoxon-signed-rank' };
    }
    const all = [...b, ...c];
    if (all.every((v) => v === all[0]))
      return { change: zeroChange(def, confidence), p: 1, test: 'mann-whitney' };
    const x = def.scale === 'ratio' ? b.map(Math.log) : b;
    const y = def.scale === 'ratio' ? c.map(Math.log) : c;
    const p = mannWhitneyU(y, x).p;
    const hl =
      def.scale === 'ratio' ? hodgesLehmannRatio(b, c, confidence) : hodgesLehmannShift(b, c, confidence);
    return { change: toChange(def, hl, confidence), p, test: 'mann-whitney' };
  } catch (err) {
    return none(`no test possible: ${(err as Error).message}`);
  }
}

function finiteMedian(xs: number[]): number | null {
  return xs.length > 0 && xs.every(Number.isFinite) ? median(xs) : null;
}

function zeroChange(def: MetricDef, confidence: number): ChangeEstimate {
  return { estimate: 0, lower: 0, upper: 0, confidence, scale: def.scale };
}

function toChange(
  def: MetricDef,
  hl: { estimate: number; lower: number; upper: number },
  confidence: number,
): ChangeEstimate {
  // Ratios become relative changes: 1.12 -> +0.12.
  const shift = def.scale === 'ratio' ? (x: number) => x - 1 : (x: number) => x;
  return {
    estimate: shift(hl.estimate),
    lower: shift(hl.lower),
    upper: shift(hl.upper),
    confidence,
    scale: def.scale,
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
      let gating = rulesFor(thresholds, c.name, null, def.id).gating;
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
      out.push({
        scenario: c.name,
        request: req.name,
        def,
        baseline: pick(trials.baseline),
        candidate: pick(trials.candidate),
        gating: rulesFor(thresholds, c.name, req.name, def.id).gating,
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
): { metrics: MetricComparison[]; familySize: number } {
  const rows: MetricComparison[] = series.map((s) => {
    const t = testSeries(s, mode, confidence);
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
      p: t.p,
      pHolm: null,
      qBH: null,
      test: t.test,
      gating: s.gating,
      ...(t.note || s.note ? { note: t.note ?? s.note } : {}),
    };
  });
  const gatingRows = rows.filter((r) => r.gating && r.p !== null);
  const holm = gatingRows.length ? holmAdjust(gatingRows.map((r) => r.p!)) : [];
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
  const { metrics, familySize } = compareSeries(series, options.mode, confidence);
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
  };
}
