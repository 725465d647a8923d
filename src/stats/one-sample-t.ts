/**
 * One-sample Student t-test with its confidence interval for the mean (also the paired t-test, on
 * differences).
 *
 * Computes: t = (x̄ - μ0) / (s / √n) with n - 1 degrees of freedom, the p-value from Student's t, and the
 * interval x̄ ± t(1 - (1 - confidence)/2, n - 1) · s / √n.
 *
 * Reference: "Student" (W. S. Gosset), "The probable error of a mean", Biometrika 6 (1908) 1–25. Matches R's
 * `t.test(x, mu = mu0, conf.level = confidence)` and `t.test(y, x, paired = TRUE)` on d = y - x.
 *
 * Why perf-gate uses it: on per-pair log ratios of trial statistics its p-value has no discreteness floor
 * (the exact signed-rank p cannot go below 2 / 2^n), so a consistent change can pass a Holm correction over a
 * large family with only a few pairs (docs/statistics.md, docs/methods/t-tests-on-logs.md).
 */
import { assertConfidence, assertFiniteSample, mean, sampleVariance } from './descriptive.ts';
import { studentTQuantile, tPValue } from './student-t.ts';
import { assertAlternative, type Alternative } from './welch.ts';
import type { VarianceEstimate } from './moderated-variance.ts';

export interface TTestResult {
  /** t statistic; positive when the estimate exceeds the null value. */
  t: number;
  df: number;
  /** p-value for `alternative`. */
  p: number;
  /** Point estimate (the mean, or the difference of means). */
  estimate: number;
  /** Standard error of the estimate. */
  se: number;
  /** Two-sided confidence interval at `confidence`. */
  lower: number;
  upper: number;
  confidence: number;
  alternative: Alternative;
}

/**
 * The result of a t-test from its statistic: p-value for `alternative` and the two-sided interval
 * estimate ± t(1 - (1 - confidence)/2, df) · se (df may be Infinity: the normal limit).
 */
export function tTestResult(
  estimate: number,
  se: number,
  t: number,
  df: number,
  confidence: number,
  alternative: Alternative,
): TTestResult {
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
  return {
    t,
    df,
    p: tPValue(t, df, alternative),
    estimate,
    se,
    lower: estimate - half,
    upper: estimate + half,
    confidence,
    alternative,
  };
}

/**
 * One-sample t-test of mean(x) = mu (R: `t.test(x, mu = mu, conf.level = confidence)`).
 * @throws RangeError when x has fewer than 2 values or a non-finite one, or is constant (standard error 0).
 */
export function oneSampleTTest(
  x: readonly number[],
  confidence = 0.95,
  mu = 0,
  alternative: Alternative = 'two-sided',
): TTestResult {
  assertFiniteSample(x, 'oneSampleTTest: x', 2);
  assertConfidence(confidence, 'oneSampleTTest');
  assertAlternative(alternative, 'oneSampleTTest');
  if (!Number.isFinite(mu)) throw new RangeError(`oneSampleTTest: mu must be finite, got ${mu}`);
  const n = x.length;
  const estimate = mean(x);
  const se = Math.sqrt(sampleVariance(x) / n);
  if (!(se > 0)) throw new RangeError('oneSampleTTest: the sample is constant, so the standard error is 0');
  const df = n - 1;
  return tTestResult(estimate, se, (estimate - mu) / se, df, confidence, alternative);
}

/**
 * One-sample t-test of mean(x) = 0 with the variance of one value given rather than estimated from x alone:
 * se = √(v / n) on the estimate's own degrees of freedom (a moderated variance, moderated-variance.ts:
 * Smyth 2004's moderated t). With v = s² on n - 1 df it is `oneSampleTTest(x)`.
 * @throws RangeError when x has fewer than 2 values or a non-finite one, or the variance is not > 0.
 */
export function oneSampleTTestWithVariance(
  x: readonly number[],
  variance: VarianceEstimate,
  confidence = 0.95,
  alternative: Alternative = 'two-sided',
): TTestResult {
  assertFiniteSample(x, 'oneSampleTTestWithVariance: x', 2);
  assertConfidence(confidence, 'oneSampleTTestWithVariance');
  assertAlternative(alternative, 'oneSampleTTestWithVariance');
  if (!(variance.variance > 0) || !Number.isFinite(variance.variance) || !(variance.df > 0)) {
    throw new RangeError(
      `oneSampleTTestWithVariance: the variance must be finite and > 0 with df > 0, got ${variance.variance} (df ${variance.df})`,
    );
  }
  const estimate = mean(x);
  const se = Math.sqrt(variance.variance / x.length);
  return tTestResult(estimate, se, estimate / se, variance.df, confidence, alternative);
}
