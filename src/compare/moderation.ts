// Borrowing strength across the gating family: the t-tests' variances are moderated (empirical Bayes,
// Smyth 2004: stats/moderated-variance.ts) over the gating series of the same metric (every route's p95),
// when there are at least 3 of them. Paired mode moderates the variance of the per-pair log ratios.
// Stored mode moderates the candidate's trial variance only: the candidate is the side an adaptive run
// measures with few trials (the stored baseline has its full count), and moderating both sides of one
// series toward one prior makes their errors move together, which Welch-Satterthwaite's degrees of freedom
// do not allow for (in simulation that raised false alarms above alpha). The run-to-run drift is added
// after, unchanged. Series that are alike gain degrees of freedom (a clear null passes at the first look);
// series whose noise does not fit the family's keep their own variance, so a noisy route never hides a
// stable route's regression.
import { moderateVariances, sampleVariance, type VarianceEstimate } from '../stats/index.ts';
import type { CompareMode } from './types.ts';
import type { MetricDef } from './metrics.ts';

/** What a series' test uses instead of its own sample variances. */
export interface SeriesModeration {
  /** Paired mode: the variance of the per-pair differences on the test's scale. */
  differences?: VarianceEstimate;
  /** Stored mode: the candidate's trial variance on the test's scale. */
  candidate?: VarianceEstimate;
  /** How many series the prior was fitted from (of this one's metric). */
  series: number;
}

interface ModeratedSeries {
  def: MetricDef;
  baseline: number[];
  candidate: number[];
  gating: boolean;
}

/** Values on the test's scale (logs for ratio metrics), or null when no t-test is possible on them. */
function onTestScale(def: MetricDef, xs: number[]): number[] | null {
  if (xs.length < 2 || xs.some((v) => !Number.isFinite(v) || (def.scale === 'ratio' && v <= 0))) return null;
  return def.scale === 'ratio' ? xs.map(Math.log) : xs;
}

/** The variance of xs on the test's scale with its degrees of freedom, when positive. */
function sample(xs: number[] | null): VarianceEstimate | null {
  if (!xs) return null;
  const variance = sampleVariance(xs);
  return variance > 0 ? { variance, df: xs.length - 1 } : null;
}

/** Moderation per series index (gating series of a metric with 3 or more usable variances only). */
export function moderateFamily(
  series: readonly ModeratedSeries[],
  mode: CompareMode,
): Map<number, SeriesModeration> {
  const out = new Map<number, SeriesModeration>();
  const byMetric = new Map<string, number[]>();
  series.forEach((s, i) => {
    if (!s.gating) return;
    byMetric.set(s.def.id, [...(byMetric.get(s.def.id) ?? []), i]);
  });
  // One side (or the differences) of one metric: moderate the usable variances, record the moderated ones.
  const moderate = (
    indices: number[],
    estimate: (s: ModeratedSeries) => VarianceEstimate | null,
    put: (m: SeriesModeration, v: VarianceEstimate) => void,
  ) => {
    const usable = indices.flatMap((i) => {
      const v = estimate(series[i]!);
      return v ? [{ i, v }] : [];
    });
    const moderated = moderateVariances(usable.map((u) => u.v));
    moderated.variances.forEach((v, k) => {
      if (!v.moderated) return;
      const i = usable[k]!.i;
      const m = out.get(i) ?? { series: moderated.series };
      put(m, { variance: v.variance, df: v.df });
      out.set(i, m);
    });
  };
  for (const indices of byMetric.values()) {
    if (mode === 'paired') {
      moderate(
        indices,
        (s) => {
          if (s.baseline.length !== s.candidate.length) return null;
          const b = onTestScale(s.def, s.baseline);
          const c = onTestScale(s.def, s.candidate);
          return b && c ? sample(c.map((v, j) => v - b[j]!)) : null;
        },
        (m, v) => (m.differences = v),
      );
    } else {
      moderate(
        indices,
        (s) => sample(onTestScale(s.def, s.candidate)),
        (m, v) => (m.candidate = v),
      );
    }
  }
  return out;
}
