/**
 * Wilcoxon signed-rank test for one sample of paired differences (location 0), with its exact null
 * distribution.
 *
 * Computes: V = sum of the ranks of |d_i| over the positive d_i (R's `V`), and the p-value of the hypothesis that
 * the differences are symmetric about 0.
 *
 * References: F. Wilcoxon, "Individual comparisons by ranking methods", Biometrics Bulletin 1 (1945) 80–83;
 * Hollander & Wolfe, "Nonparametric Statistical Methods" (2nd ed., 1999), §3.1; J. W. Pratt, "Remarks on zeros
 * and ties in the Wilcoxon signed rank procedures", JASA 54 (1959) 655–667. Conventions follow R's
 * `wilcox.test(d, exact, correct = TRUE)` (src/library/stats/R/wilcox.test.R, `psignrank`/`qsignrank` in
 * src/nmath/signrank.c):
 * - exact p-values come from the 2ⁿ equally likely sign patterns, counted by dynamic programming over the
 *   possible sums (c_k(s) = c_{k-1}(s) + c_{k-1}(s - k)); counts stay below 2⁵³ for n ≤ 50, so they are exact;
 * - two-sided exact p = min(1, 2·P(V ≤ v)) when v ≤ n(n+1)/4, else min(1, 2·P(V ≥ v));
 * - the normal approximation uses mean n(n+1)/4, variance n(n+1)(2n+1)/24 - Σ(t³-t)/48 over tie groups of
 *   |d|, and a continuity correction of ½ toward the mean (sign(z)·½ two-sided);
 * - `method: 'auto'` is exact when n ≤ 50 and there are neither ties nor zeros (R: n < 50; we use ≤ 50 like the
 *   Mann–Whitney test). When there are ties or zeros `method: 'exact'` falls back to the normal approximation,
 *   as R does, and the result says `method: 'normal'`; it also falls back above n = 1000.
 *
 * Zeros: with `zeroMethod: 'wilcox'` (default, R's behaviour) zero differences are dropped before ranking and n
 * counts the non-zero differences. With `'pratt'` the zeros are ranked together with the other |d| and then
 * their ranks are discarded; the normal approximation then uses mean [n'(n'+1) - z(z+1)]/4 and variance
 * [n'(n'+1)(2n'+1) - z(z+1)(2z+1)]/24 - Σ(t³-t)/48, with n' = all differences and z = zeros (Cureton 1967; scipy's
 * `zero_method='pratt'`). When every difference is zero there is no information: v = 0 and p = 1.
 *
 * Direction: `alternative = 'greater'` means the differences tend to be positive. perf-gate forms
 * d = candidate - baseline (or ln(candidate / baseline)), so 'greater' means "candidate is larger".
 */
import { assertFiniteSample } from './descriptive.ts';
import { midranks } from './mann-whitney.ts';
import { normalCdf } from './normal.ts';
import { assertAlternative } from './welch.ts';
import type { Alternative } from './welch.ts';

export interface SignedRankOptions {
  alternative?: Alternative;
  /** 'auto' (default): exact when n ≤ 50 and there are no ties or zeros; otherwise normal. */
  method?: 'auto' | 'exact' | 'normal';
  /** Continuity correction in the normal approximation (default true, as R's `correct = TRUE`). */
  continuity?: boolean;
  /** Treatment of zero differences (default 'wilcox': drop them, as R). */
  zeroMethod?: 'wilcox' | 'pratt';
}

export interface SignedRankResult {
  /** Sum of the ranks of the positive differences (R's V). */
  v: number;
  p: number;
  method: 'exact' | 'normal';
  /** Number of non-zero differences (the zeros are not counted). */
  n: number;
  /** Number of zero differences in the input. */
  zeros: number;
  alternative: Alternative;
  /** Standardized statistic (with continuity correction when used); present for the normal method. */
  z?: number;
}

/** Largest n for which 'auto' uses the exact distribution. */
export const SIGNED_RANK_EXACT_MAX_N = 50;

/**
 * Largest n for which the exact distribution is computed at all (the DP costs about n³/4 additions). Beyond it
 * `method: 'exact'` falls back to the normal approximation and the CDF/quantile functions throw.
 */
export const SIGNED_RANK_EXACT_LIMIT = 1000;

const cdfCache = new Map<number, Float64Array>();

function assertN(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${String(n)}`);
  }
}

/** cdf[s] = P(V ≤ s), s = 0..n(n+1)/2, under the null hypothesis. */
function vCdf(n: number): Float64Array {
  if (n > SIGNED_RANK_EXACT_LIMIT) {
    throw new RangeError(
      `exact signed-rank distribution is limited to n ≤ ${SIGNED_RANK_EXACT_LIMIT}, got ${n}; use the normal approximation`,
    );
  }
  const cached = cdfCache.get(n);
  if (cached) return cached;
  const max = (n * (n + 1)) / 2;
  const counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    const top = (k * (k + 1)) / 2;
    for (let s = top; s >= k; s--) counts[s] = counts[s]! + counts[s - k]!;
  }
  const total = Math.pow(2, n);
  const cdf = new Float64Array(max + 1);
  let acc = 0;
  for (let s = 0; s <= max; s++) {
    acc += counts[s]!;
    cdf[s] = acc / total;
  }
  cdf[max] = 1;
  if (cdfCache.size >= 64) {
    const oldest = cdfCache.keys().next().value;
    if (oldest !== undefined) cdfCache.delete(oldest);
  }
  cdfCache.set(n, cdf);
  return cdf;
}

/**
 * Exact null CDF of the signed-rank statistic, P(V ≤ v), for n non-zero untied differences (R: `psignrank`).
 * Non-integer v is floored.
 * @throws RangeError when v is NaN, n is not a non-negative integer, or n > 1000.
 */
export function signedRankCdf(v: number, n: number): number {
  assertN(n, 'signedRankCdf: n');
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new RangeError(`signedRankCdf: v must be a number, got ${String(v)}`);
  }
  const k = Math.floor(v);
  const max = (n * (n + 1)) / 2;
  if (k < 0) return 0;
  if (k >= max) return 1;
  return vCdf(n)[k]!;
}

/**
 * Exact null quantile of V: the smallest v with P(V ≤ v) ≥ p (R: `qsignrank`, including its 10·ε tolerance).
 * @throws RangeError when p is not in [0, 1], n is not a non-negative integer, or n > 1000.
 */
export function signedRankQuantile(p: number, n: number): number {
  assertN(n, 'signedRankQuantile: n');
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new RangeError(`signedRankQuantile: p must be in [0, 1], got ${String(p)}`);
  }
  const cdf = vCdf(n);
  const target = p - 10 * Number.EPSILON;
  for (let s = 0; s < cdf.length; s++) {
    if (cdf[s]! >= target) return s;
  }
  return (n * (n + 1)) / 2;
}

/**
 * Smallest two-sided p-value the exact signed-rank test can produce with n non-zero pairs: 2 / 2ⁿ (capped at 1).
 * Compare it with α/m before trusting a "no regression" verdict: 10 pairs give 0.00195, enough for m ≤ 25 at α = 0.05.
 * @throws RangeError when n is not a non-negative integer.
 */
export function signedRankMinP(n: number): number {
  assertN(n, 'signedRankMinP: n');
  return Math.min(1, Math.pow(2, 1 - n));
}

/**
 * Wilcoxon signed-rank test that the paired differences `d` are symmetric about 0
 * (R: `wilcox.test(d, alternative, exact, correct)`, or `wilcox.test(x, y, paired = TRUE)` with d = x - y).
 * @throws RangeError on an empty or non-finite sample, or an unknown option value.
 */
export function wilcoxonSignedRank(d: readonly number[], options: SignedRankOptions = {}): SignedRankResult {
  assertFiniteSample(d, 'wilcoxonSignedRank: d', 1);
  const alternative = options.alternative ?? 'two-sided';
  assertAlternative(alternative, 'wilcoxonSignedRank');
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'exact' && method !== 'normal') {
    throw new RangeError(
      `wilcoxonSignedRank: method must be 'auto', 'exact' or 'normal', got ${String(method)}`,
    );
  }
  const zeroMethod = options.zeroMethod ?? 'wilcox';
  if (zeroMethod !== 'wilcox' && zeroMethod !== 'pratt') {
    throw new RangeError(
      `wilcoxonSignedRank: zeroMethod must be 'wilcox' or 'pratt', got ${String(zeroMethod)}`,
    );
  }
  const continuity = options.continuity ?? true;

  const nonZero = d.filter((v) => v !== 0);
  const zeros = d.length - nonZero.length;
  const n = nonZero.length;
  if (n === 0) {
    return { v: 0, p: 1, method: 'normal', n: 0, zeros, alternative, z: 0 };
  }

  // Rank |d|: over the non-zero values ('wilcox'), or over all values with the zeros' ranks dropped ('pratt').
  const ranked = zeroMethod === 'pratt' ? d : nonZero;
  const { ranks } = midranks(ranked.map(Math.abs));
  let v = 0;
  const nonZeroAbs: number[] = [];
  for (let i = 0; i < ranked.length; i++) {
    const value = ranked[i]!;
    if (value === 0) continue;
    nonZeroAbs.push(Math.abs(value));
    if (value > 0) v += ranks[i]!;
  }
  const { tieSizes } = midranks(nonZeroAbs);
  const hasTies = tieSizes.length > 0;
  const useExact =
    !hasTies &&
    zeros === 0 &&
    n <= SIGNED_RANK_EXACT_LIMIT &&
    (method === 'exact' || (method === 'auto' && n <= SIGNED_RANK_EXACT_MAX_N));

  if (useExact) {
    const max = (n * (n + 1)) / 2;
    const lower = (k: number): number => signedRankCdf(k, n); // P(V ≤ k)
    const upper = (k: number): number => lower(max - k); // P(V ≥ k), by symmetry of the null distribution
    let p: number;
    if (alternative === 'less') p = lower(v);
    else if (alternative === 'greater') p = upper(v);
    else p = Math.min(1, 2 * (v > max / 2 ? upper(v) : lower(v)));
    return { v, p, method: 'exact', n, zeros, alternative };
  }

  let meanV: number;
  let variance: number;
  if (zeroMethod === 'pratt' && zeros > 0) {
    const all = d.length;
    meanV = (all * (all + 1) - zeros * (zeros + 1)) / 4;
    variance = (all * (all + 1) * (2 * all + 1) - zeros * (zeros + 1) * (2 * zeros + 1)) / 24;
  } else {
    meanV = (n * (n + 1)) / 4;
    variance = (n * (n + 1) * (2 * n + 1)) / 24;
  }
  for (const t of tieSizes) variance -= (t * t * t - t) / 48;
  const centered = v - meanV;
  let correction = 0;
  if (continuity) {
    if (alternative === 'two-sided') correction = Math.sign(centered) * 0.5;
    else correction = alternative === 'greater' ? 0.5 : -0.5;
  }
  const z = (centered - correction) / Math.sqrt(variance);
  let p: number;
  if (alternative === 'less') p = normalCdf(z);
  else if (alternative === 'greater') p = normalCdf(-z);
  else p = Math.min(1, 2 * Math.min(normalCdf(z), normalCdf(-z)));
  return { v, p, method: 'normal', n, zeros, alternative, z };
}
