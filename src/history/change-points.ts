// Change points of one series: where its level stepped, between which commits, and by how much (with an
// interval). E-Divisive means proposes the steps (src/stats/e-divisive.ts); a step smaller than the minimum
// magnitude is dropped, weakest first, and the sizes are recomputed against the remaining neighbours.
import { eDivisive } from '../stats/e-divisive.ts';
import { hodgesLehmannRatio, hodgesLehmannShift } from '../stats/hodges-lehmann.ts';
import type { Rng } from '../stats/rng.ts';
import type { Series, SeriesPoint } from './series.ts';

export interface ChangePointOptions {
  rng: Rng;
  /** Significance level of the permutation test; default 0.05. */
  alpha?: number;
  permutations?: number;
  /** Fewest runs on each side of a step; default 4. */
  minRuns?: number;
  /** Smallest step reported: relative for ratio metrics (0.05 = 5 %); default 0.05. */
  minRatio?: number;
  /** Smallest step for difference metrics (error rate, as a fraction); default 0.01 (1 point). */
  minDifference?: number;
}

export interface RunRef {
  id: string;
  commit?: string;
  finishedAt: string;
}

export interface ChangePoint {
  series: string;
  /** Index in the series of the first point of the new level. */
  index: number;
  /** The last run at the old level and the first run at the new one: the step happened in (before, after]. */
  before: RunRef;
  after: RunRef;
  scale: 'ratio' | 'difference';
  /** After / before (ratio metrics) or after - before (difference metrics): Hodges–Lehmann, with its interval. */
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
  direction: 'regression' | 'improvement';
  pValue: number;
  /** The runner changed at this step: it may be the machine, not the code. */
  runnerChanged: boolean;
}

const ref = (p: SeriesPoint): RunRef => ({
  id: p.ids[0]!,
  ...(p.commit ? { commit: p.commit } : {}),
  finishedAt: p.finishedAt,
});

export function detectChangePoints(series: Series, o: ChangePointOptions): ChangePoint[] {
  const minRuns = o.minRuns ?? 4;
  const values = series.points.map((p) => p.value);
  if (values.length < 2 * minRuns) return [];
  const raw = eDivisive(values, {
    rng: o.rng,
    minSegment: minRuns,
    ...(o.alpha !== undefined ? { alpha: o.alpha } : {}),
    ...(o.permutations !== undefined ? { permutations: o.permutations } : {}),
  });
  let kept = raw.map((c) => ({ index: c.index, pValue: c.pValue }));
  for (;;) {
    const sized = kept.map((c, i) =>
      size(series, values, c, kept[i - 1]?.index ?? 0, kept[i + 1]?.index ?? values.length),
    );
    const weak = sized
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => !bigEnough(series, s.estimate, o))
      .sort((a, b) => Math.abs(magnitude(series, a.s.estimate)) - Math.abs(magnitude(series, b.s.estimate)));
    if (weak.length === 0) return sized;
    kept = kept.filter((_, i) => i !== weak[0]!.i);
  }
}

function size(
  series: Series,
  values: readonly number[],
  c: { index: number; pValue: number },
  from: number,
  to: number,
): ChangePoint {
  const left = values.slice(from, c.index);
  const right = values.slice(c.index, to);
  const positive = [...left, ...right].every((v) => v > 0);
  const scale = series.scale === 'ratio' && positive ? 'ratio' : 'difference';
  const hl = scale === 'ratio' ? hodgesLehmannRatio(left, right) : hodgesLehmannShift(left, right);
  const up = scale === 'ratio' ? hl.estimate > 1 : hl.estimate > 0;
  const after = series.points[c.index]!;
  return {
    series: series.key,
    index: c.index,
    before: ref(series.points[c.index - 1]!),
    after: ref(after),
    scale,
    estimate: hl.estimate,
    lower: hl.lower,
    upper: hl.upper,
    confidence: hl.confidence,
    direction: up === (series.worse === 'higher') ? 'regression' : 'improvement',
    pValue: c.pValue,
    runnerChanged: !!after.runnerChanged,
  };
}

/** Signed size on the scale the minimum applies to: a relative change, or an absolute difference. */
function magnitude(series: Series, estimate: number): number {
  return series.scale === 'ratio' ? estimate - 1 : estimate;
}

function bigEnough(series: Series, estimate: number, o: ChangePointOptions): boolean {
  const min = series.scale === 'ratio' ? (o.minRatio ?? 0.05) : (o.minDifference ?? 0.01);
  return Math.abs(magnitude(series, estimate)) >= min;
}
