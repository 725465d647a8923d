/**
 * Difference of two means (candidate - baseline) with Welch's standard error, optionally widened by an extra
 * variance component such as run-to-run drift, and its Satterthwaite t interval and test.
 *
 * Computes: d = ȳ - x̄, se² = s²x/nx + s²y/ny + v_extra, and the Welch–Satterthwaite degrees of freedom
 * generalised to every component, ν = se⁴ / Σ (c_i² / ν_i), with c_x = s²x/nx (ν = nx - 1),
 * c_y = s²y/ny (ν = ny - 1) and c_extra = v_extra (ν = its own degrees of freedom). Then t = d / se,
 * its p-value from Student's t with ν degrees of freedom, and the interval d ± t(1 - (1 - conf)/2, ν) · se.
 *
 * References: B. L. Welch, Biometrika 34 (1947) 28–35; F. E. Satterthwaite, "An approximate distribution of
 * estimates of variance components", Biometrics Bulletin 2 (1946) 110–114 (the degrees of freedom of a linear
 * combination of independent variance estimates). Without an extra component the result is R's
 * `t.test(y, x)` (Welch) estimate, statistic, df, p-value and conf.int.
 *
 * Each side's variance may be given instead of estimated from its sample alone (a moderated variance,
 * moderated-variance.ts): c = v/n enters with that estimate's degrees of freedom.
 *
 * Why: in stored mode the baseline was measured in another job. Each run carries a level shift of its own
 * (the runner, the time of day); its variance comes from the baseline history (variance-components.ts) and
 * enters here, so a candidate that differs from the baseline by no more than runs usually do is not called
 * a regression.
 */
import { assertConfidence, assertFiniteSample, mean, sampleVariance } from './descriptive.ts';
import { tTestResult, type TTestResult } from './one-sample-t.ts';
import { assertAlternative, type Alternative } from './welch.ts';
import type { VarianceEstimate } from './moderated-variance.ts';

export interface ExtraVariance {
  /** Variance added to the difference (in squared units of the data), ≥ 0. */
  variance: number;
  /** Degrees of freedom of its estimate (Infinity when known exactly), > 0. */
  df: number;
}

/**
 * Welch difference of means y - x, optionally with an extra variance component (R `t.test(y, x)` without it).
 * @throws RangeError when a sample has fewer than 2 values or a non-finite one, when the extra component is
 * invalid, or when the standard error is 0 (both samples constant and no extra variance).
 */
export function meanDifference(
  x: readonly number[],
  y: readonly number[],
  confidence = 0.95,
  extra: ExtraVariance = { variance: 0, df: Infinity },
  alternative: Alternative = 'two-sided',
  sides: { x?: VarianceEstimate; y?: VarianceEstimate } = {},
): TTestResult {
  assertFiniteSample(x, 'meanDifference: x', 2);
  assertFiniteSample(y, 'meanDifference: y', 2);
  assertConfidence(confidence, 'meanDifference');
  assertAlternative(alternative, 'meanDifference');
  if (!(extra.variance >= 0) || !Number.isFinite(extra.variance) || !(extra.df > 0)) {
    throw new RangeError(
      `meanDifference: the extra variance must be finite and >= 0 with df > 0, got ${extra.variance} (df ${extra.df})`,
    );
  }
  for (const side of [sides.x, sides.y]) {
    if (side && (!(side.variance > 0) || !Number.isFinite(side.variance) || !(side.df > 0))) {
      throw new RangeError(
        `meanDifference: a given side variance must be finite and > 0 with df > 0, got ${side.variance} (df ${side.df})`,
      );
    }
  }
  const vx = sides.x ?? { variance: sampleVariance(x), df: x.length - 1 };
  const vy = sides.y ?? { variance: sampleVariance(y), df: y.length - 1 };
  const cx = vx.variance / x.length;
  const cy = vy.variance / y.length;
  const se2 = cx + cy + extra.variance;
  if (!(se2 > 0))
    throw new RangeError('meanDifference: both samples are constant, so the standard error is 0');
  const extraTerm = extra.variance > 0 && Number.isFinite(extra.df) ? extra.variance ** 2 / extra.df : 0;
  const term = (c: number, df: number) => (c > 0 && Number.isFinite(df) ? (c * c) / df : 0);
  const df = (se2 * se2) / (term(cx, vx.df) + term(cy, vy.df) + extraTerm);
  const se = Math.sqrt(se2);
  const estimate = mean(y) - mean(x);
  // df is Infinity when only an exactly known extra component is non-zero: the normal limit.
  return tTestResult(estimate, se, estimate / se, df, confidence, alternative);
}
