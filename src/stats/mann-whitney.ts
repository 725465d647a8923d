/**
 * Mann–Whitney U test (Wilcoxon rank-sum test) for two independent samples, with its exact null distribution.
 *
 * Computes: U = #{(i, j): x_i > y_j} + ½ #{(i, j): x_i = y_j} (the U statistic of x, equal to R's `W`), and the
 * p-value of the hypothesis that x and y come from the same distribution against a location shift.
 *
 * References: H. B. Mann & D. R. Whitney, "On a test of whether one of two random variables is stochastically
 * larger than the other", Ann. Math. Statist. 18 (1947) 50–60; Hollander & Wolfe, "Nonparametric Statistical
 * Methods" (2nd ed., 1999), §4.1. Conventions follow R's `wilcox.test(x, y, exact, correct = TRUE)`
 * (src/library/stats/R/wilcox.test.R, `pwilcox`/`qwilcox` in src/nmath/wilcox.c):
 * - exact p-values come from the permutation distribution of U, counted by dynamic programming with the
 *   recurrence c(u; m, n) = c(u - n; m - 1, n) + c(u; m, n - 1) (Mann & Whitney 1947, eq. 1);
 * - two-sided exact p = min(1, 2·P(U ≤ u)) when u ≤ mn/2, else min(1, 2·P(U ≥ u));
 * - the normal approximation uses mean mn/2, variance (mn/12)·[(m+n+1) - Σ(t³-t)/((m+n)(m+n-1))] over tie
 *   groups of size t, and a continuity correction of ½ toward the mean (sign(z)·½ two-sided);
 * - `method: 'auto'` is exact when both samples have at most 50 values and there are no ties. R switches at
 *   fewer than 50, benchstat (go-moremath `MannWhitneyUTest`) at ≤ 50; we follow benchstat, so results differ
 *   from R only when a sample has exactly 50 values. With ties the exact distribution is not available
 *   (R warns "cannot compute exact p-value with ties"), so `method: 'exact'` falls back to the normal
 *   approximation and the result says `method: 'normal'`. It also falls back when nX·nY > 10 000, where the
 *   exact computation would be slow and the normal approximation is accurate.
 *
 * Direction: `alternative = 'greater'` means x tends to be larger than y (U large); `'less'` means smaller.
 * Swapping x and y maps U to nX·nY - U and swaps 'less' and 'greater'.
 */
import { assertFiniteSample } from './descriptive.ts';
import { normalCdf } from './normal.ts';
import { assertAlternative } from './welch.ts';
import type { Alternative } from './welch.ts';

export interface MannWhitneyOptions {
  alternative?: Alternative;
  /** 'auto' (default): exact when nX, nY ≤ 50 and no ties; otherwise normal. */
  method?: 'auto' | 'exact' | 'normal';
  /** Continuity correction in the normal approximation (default true, as R's `correct = TRUE`). */
  continuity?: boolean;
}

export interface MannWhitneyResult {
  /** U statistic of x: pairs with x > y plus half the tied pairs (R's W). */
  u: number;
  p: number;
  method: 'exact' | 'normal';
  alternative: Alternative;
  nX: number;
  nY: number;
  /** Standardized statistic (with continuity correction when used); present for the normal method. */
  z?: number;
}

/** Largest sample size for which 'auto' uses the exact distribution. */
export const MANN_WHITNEY_EXACT_MAX_N = 50;

/**
 * Largest nX·nY for which the exact distribution is computed (the DP costs about (nX·nY)²/4 additions).
 * Beyond it `method: 'exact'` falls back to the normal approximation and the CDF/quantile functions throw.
 */
export const MANN_WHITNEY_EXACT_MAX_PRODUCT = 10_000;

const distributionCache = new Map<string, Float64Array>();
const CACHE_LIMIT = 64;

function assertSize(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`${what} must be a positive integer, got ${String(n)}`);
  }
}

/**
 * Cumulative null distribution of U for sample sizes (m, n): cdf[u] = P(U ≤ u), u = 0..mn.
 * Counts are accumulated with additions only (no cancellation), so far-tail probabilities stay accurate.
 */
function uCdf(m: number, n: number): Float64Array {
  if (m * n > MANN_WHITNEY_EXACT_MAX_PRODUCT) {
    throw new RangeError(
      `exact Mann–Whitney distribution is limited to nX·nY ≤ ${MANN_WHITNEY_EXACT_MAX_PRODUCT}, got ${m}·${n}; use the normal approximation`,
    );
  }
  const a = Math.min(m, n);
  const b = Math.max(m, n); // the distribution is the same for (m, n) and (n, m)
  const key = `${a},${b}`;
  const cached = distributionCache.get(key);
  if (cached) return cached;
  // prev[j] = counts for (i - 1, j); cur[j] = counts for (i, j), j = 0..b.
  let prev: Float64Array[] = [];
  for (let j = 0; j <= b; j++) prev.push(Float64Array.of(1)); // i = 0: only U = 0
  for (let i = 1; i <= a; i++) {
    const cur: Float64Array[] = [Float64Array.of(1)]; // j = 0: only U = 0
    for (let j = 1; j <= b; j++) {
      const counts = new Float64Array(i * j + 1);
      const left = cur[j - 1]!; // (i, j - 1): the largest value is a y, adds nothing to U
      const up = prev[j]!; // (i - 1, j): the largest value is an x, beats all j values of y
      for (let u = 0; u < left.length; u++) counts[u] = left[u]!;
      for (let u = 0; u < up.length; u++) counts[u + j] = counts[u + j]! + up[u]!;
      cur.push(counts);
    }
    prev = cur;
  }
  const counts = prev[b]!;
  let total = 0;
  for (let u = 0; u < counts.length; u++) total += counts[u]!;
  const cdf = new Float64Array(counts.length);
  let acc = 0;
  for (let u = 0; u < counts.length; u++) {
    acc += counts[u]!;
    cdf[u] = acc / total;
  }
  cdf[cdf.length - 1] = 1;
  if (distributionCache.size >= CACHE_LIMIT) {
    const oldest = distributionCache.keys().next().value;
    if (oldest !== undefined) distributionCache.delete(oldest);
  }
  distributionCache.set(key, cdf);
  return cdf;
}

/**
 * Exact null CDF of the Mann–Whitney U statistic, P(U ≤ u), for sample sizes nX and nY (R: `pwilcox`).
 * Non-integer u is floored; u < 0 gives 0 and u ≥ nX·nY gives 1.
 * @throws RangeError when u is NaN, a size is not a positive integer, or nX·nY > 10 000.
 */
export function mannWhitneyCdf(u: number, nX: number, nY: number): number {
  assertSize(nX, 'mannWhitneyCdf: nX');
  assertSize(nY, 'mannWhitneyCdf: nY');
  if (typeof u !== 'number' || Number.isNaN(u)) {
    throw new RangeError(`mannWhitneyCdf: u must be a number, got ${String(u)}`);
  }
  const k = Math.floor(u);
  if (k < 0) return 0;
  if (k >= nX * nY) return 1;
  return uCdf(nX, nY)[k]!;
}

/**
 * Exact null quantile of U: the smallest u with P(U ≤ u) ≥ p (R: `qwilcox`, including its 10·ε tolerance).
 * @throws RangeError when p is not in [0, 1], a size is not a positive integer, or nX·nY > 10 000.
 */
export function mannWhitneyQuantile(p: number, nX: number, nY: number): number {
  assertSize(nX, 'mannWhitneyQuantile: nX');
  assertSize(nY, 'mannWhitneyQuantile: nY');
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new RangeError(`mannWhitneyQuantile: p must be in [0, 1], got ${String(p)}`);
  }
  const cdf = uCdf(nX, nY);
  const target = p - 10 * Number.EPSILON;
  for (let u = 0; u < cdf.length; u++) {
    if (cdf[u]! >= target) return u;
  }
  return nX * nY;
}

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/**
 * Smallest two-sided p-value the exact test can produce for sample sizes nX and nY: 2 / C(nX + nY, nX),
 * capped at 1. If this exceeds α/m (the Holm threshold for the smallest of m p-values), the gate cannot reject.
 * Examples (benchstat's uTestMinP for nX = nY): 3 → 0.1, 4 → 0.0286, 5 → 0.0079, 6 → 0.0022.
 * @throws RangeError when a size is not a positive integer.
 */
export function mannWhitneyMinP(nX: number, nY: number): number {
  assertSize(nX, 'mannWhitneyMinP: nX');
  assertSize(nY, 'mannWhitneyMinP: nY');
  return Math.min(1, 2 * Math.exp(-logChoose(nX + nY, Math.min(nX, nY))));
}

/** Midranks (1-based) of `values` and the sizes of the tie groups. */
export function midranks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const ranks = new Array<number>(n);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + 1 + end) / 2; // average of ranks start+1 .. end
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    if (end - start > 1) tieSizes.push(end - start);
    start = end;
  }
  return { ranks, tieSizes };
}

/**
 * Mann–Whitney U test of x against y (R: `wilcox.test(x, y, alternative, exact, correct)`; `u` equals R's W).
 * @throws RangeError on an empty sample, a non-finite value, or an unknown option value.
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  assertFiniteSample(x, 'mannWhitneyU: x', 1);
  assertFiniteSample(y, 'mannWhitneyU: y', 1);
  const alternative = options.alternative ?? 'two-sided';
  assertAlternative(alternative, 'mannWhitneyU');
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'exact' && method !== 'normal') {
    throw new RangeError(`mannWhitneyU: method must be 'auto', 'exact' or 'normal', got ${String(method)}`);
  }
  const continuity = options.continuity ?? true;
  const nX = x.length;
  const nY = y.length;
  const { ranks, tieSizes } = midranks([...x, ...y]);
  let rankSumX = 0;
  for (let i = 0; i < nX; i++) rankSumX += ranks[i]!;
  const u = rankSumX - (nX * (nX + 1)) / 2;
  const hasTies = tieSizes.length > 0;
  const useExact =
    !hasTies &&
    nX * nY <= MANN_WHITNEY_EXACT_MAX_PRODUCT &&
    (method === 'exact' ||
      (method === 'auto' && nX <= MANN_WHITNEY_EXACT_MAX_N && nY <= MANN_WHITNEY_EXACT_MAX_N));

  if (useExact) {
    const cdf = uCdf(nX, nY);
    const mn = nX * nY;
    const lower = (k: number): number => (k < 0 ? 0 : k >= mn ? 1 : cdf[k]!); // P(U ≤ k)
    const upper = (k: number): number => lower(mn - k); // P(U ≥ k), by symmetry of the null distribution
    let p: number;
    if (alternative === 'less') p = lower(u);
    else if (alternative === 'greater') p = upper(u);
    else p = Math.min(1, 2 * (u > mn / 2 ? upper(u) : lower(u)));
    return { u, p, method: 'exact', alternative, nX, nY };
  }

  const n = nX + nY;
  let tieTerm = 0;
  for (const t of tieSizes) tieTerm += t * t * t - t;
  const variance = ((nX * nY) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const centered = u - (nX * nY) / 2;
  if (!(variance > 0)) {
    // Every observation is identical: U sits at its mean and there is no evidence of a shift.
    return { u, p: 1, method: 'normal', alternative, nX, nY, z: 0 };
  }
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
  return { u, p, method: 'normal', alternative, nX, nY, z };
}
