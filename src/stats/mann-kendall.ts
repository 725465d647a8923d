/**
 * Mann–Kendall trend test: does a series drift monotonically over time?
 *
 * Computes: S = Σ_{i<j} sign(x_j - x_i) and its two-sided p-value from the normal approximation with the tie
 * correction Var S = [n(n-1)(2n+5) - Σ t(t-1)(2t+5)] / 18 over tie groups of size t, and a continuity
 * correction of 1 toward zero. Also returns Sen's slope (the median of the pairwise slopes), the robust size
 * of the trend per step.
 *
 * References: H. B. Mann, "Nonparametric tests against trend", Econometrica 13 (1945) 245–259; M. G. Kendall,
 * "Rank Correlation Methods" (4th ed., 1975), ch. 4; P. K. Sen, "Estimates of the regression coefficient based
 * on Kendall's tau", JASA 63 (1968) 1379–1389. R: `Kendall::MannKendall` (same S and variance).
 */
import { assertFiniteSample } from './descriptive.ts';
import { normalCdf } from './normal.ts';
import { median } from './quantile.ts';

export interface MannKendallResult {
  s: number;
  z: number;
  /** Two-sided p-value. */
  p: number;
  /** Sen's slope: change per step. */
  slope: number;
}

/** @throws RangeError on fewer than 3 values or a non-finite one. */
export function mannKendall(x: readonly number[]): MannKendallResult {
  assertFiniteSample(x, 'mannKendall: x', 3);
  const n = x.length;
  let s = 0;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      s += Math.sign(x[j]! - x[i]!);
      slopes.push((x[j]! - x[i]!) / (j - i));
    }
  }
  const counts = new Map<number, number>();
  for (const v of x) counts.set(v, (counts.get(v) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  const z = variance > 0 ? (s - Math.sign(s)) / Math.sqrt(variance) : 0;
  const p = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { s, z, p, slope: median(slopes) };
}
