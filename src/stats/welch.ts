/**
 * Welch's unequal-variances two-sample t-test.
 *
 * Computes: t = (mean(x) - mean(y)) / √(s²x/nx + s²y/ny) with the Welch–Satterthwaite degrees of freedom
 * ν = (s²x/nx + s²y/ny)² / [(s²x/nx)²/(nx-1) + (s²y/ny)²/(ny-1)], and its p-value from Student's t.
 *
 * References: B. L. Welch, "The generalization of 'Student's' problem when several different population
 * variances are involved", Biometrika 34 (1947) 28–35; F. E. Satterthwaite, Biometrics Bulletin 2 (1946)
 * 110–114. Matches R's `t.test(x, y)` (default `var.equal = FALSE`).
 *
 * Direction: `alternative = 'greater'` tests mean(x) > mean(y) (R's convention); `'less'` tests mean(x) < mean(y).
 */
import { assertFiniteSample, mean, sampleVariance } from './descriptive.ts';
import { tPValue } from './student-t.ts';

/** Alternative hypothesis about the first sample relative to the second (or relative to 0). */
export type Alternative = 'two-sided' | 'less' | 'greater';

export interface WelchTTestResult {
  /** t statistic, positive when mean(x) > mean(y). */
  t: number;
  /** Welch–Satterthwaite degrees of freedom (not an integer in general). */
  df: number;
  /** p-value for `alternative`. */
  p: number;
  meanX: number;
  meanY: number;
  alternative: Alternative;
}

export function assertAlternative(alternative: unknown, what: string): asserts alternative is Alternative {
  if (alternative !== 'two-sided' && alternative !== 'less' && alternative !== 'greater') {
    throw new RangeError(
      `${what}: alternative must be 'two-sided', 'less' or 'greater', got ${String(alternative)}`,
    );
  }
}

/**
 * Welch's two-sample t-test of equal means (R: `t.test(x, y, alternative)`).
 * @throws RangeError when a sample has fewer than 2 values, holds a non-finite value, or both samples are
 * constant (the standard error is 0, as R's "data are essentially constant").
 */
export function welchTTest(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative = 'two-sided',
): WelchTTestResult {
  assertFiniteSample(x, 'welchTTest: x', 2);
  assertFiniteSample(y, 'welchTTest: y', 2);
  assertAlternative(alternative, 'welchTTest');
  const nx = x.length;
  const ny = y.length;
  const meanX = mean(x);
  const meanY = mean(y);
  const vx = sampleVariance(x) / nx;
  const vy = sampleVariance(y) / ny;
  const se2 = vx + vy;
  if (!(se2 > 0)) {
    throw new RangeError('welchTTest: both samples are constant, so the standard error is 0');
  }
  const t = (meanX - meanY) / Math.sqrt(se2);
  const df = (se2 * se2) / ((vx * vx) / (nx - 1) + (vy * vy) / (ny - 1));
  return { t, df, p: tPValue(t, df, alternative), meanX, meanY, alternative };
}
