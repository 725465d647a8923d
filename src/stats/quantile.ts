/**
 * Sample quantiles and distribution-free confidence intervals for quantiles.
 *
 * Computes:
 * - `quantileType7`: Hyndman & Fan's definition 7 (linear interpolation between order statistics at
 *   h = (n - 1)p), the default of R's `quantile` (type = 7), numpy's `quantile` ("linear") and Excel PERCENTILE.INC.
 *   Reference: R. J. Hyndman & Y. Fan, "Sample quantiles in statistical packages", Am. Statist. 50 (1996) 361–365.
 *   Implemented here rather than taken from simple-statistics because that library changed its quantile
 *   definition in 7.8.9; results must not depend on a dependency's version.
 * - `medianConfidenceInterval` / `quantileConfidenceInterval`: the order-statistic interval [x(l), x(h)] whose
 *   coverage comes from Binomial(n, q) (Hollander & Wolfe 1999, §3.6; David & Nagaraja, "Order Statistics",
 *   §7.1). The choice of (l, h) follows benchstat exactly (go-moremath `stats.QuantileCI`, used by
 *   golang.org/x/perf/cmd/benchstat): for n ≤ 30 it starts at the binomial mode and adds the larger neighbouring
 *   probability (preferring the left side on ties) until the mass reaches the confidence; for n > 30 it uses the
 *   normal approximation with continuity correction.
 *
 * Small samples: when no order statistic can bound the interval at the requested confidence, the missing bound
 * is -Infinity or +Infinity (benchstat prints "need >= 6 samples for confidence interval at level 0.95" for the
 * median). For the median at 95 % this happens for n ≤ 5 (n = 5 gives [-Infinity, x(5)]).
 */
import { assertConfidence, assertFiniteSample } from './descriptive.ts';
import { normalCdf, normalQuantile } from './normal.ts';

function sortedCopy(x: readonly number[]): number[] {
  return [...x].sort((a, b) => a - b);
}

/**
 * Quantile of a sample by R's type 7 / numpy's linear method: x(⌊h⌋) + (h - ⌊h⌋)(x(⌊h⌋+1) - x(⌊h⌋)) with
 * h = (n - 1)p on the 0-based sorted sample. Accepts sorted or unsorted input and does not modify it.
 * @throws RangeError on an empty or non-finite sample, or p outside [0, 1].
 */
export function quantileType7(sortedOrUnsorted: readonly number[], p: number): number {
  assertFiniteSample(sortedOrUnsorted, 'quantileType7: values', 1);
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new RangeError(`quantileType7: p must be in [0, 1], got ${String(p)}`);
  }
  return quantileType7Sorted(sortedCopy(sortedOrUnsorted), p);
}

/** Type-7 quantile of an already sorted, validated, non-empty array. */
function quantileType7Sorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const xlo = sorted[lo]!;
  const xhi = sorted[hi]!;
  return xlo === xhi ? xlo : xlo + (h - lo) * (xhi - xlo);
}

/**
 * Sample median (the type-7 quantile at p = 0.5: the middle value, or the mean of the two middle values).
 * @throws RangeError on an empty or non-finite sample.
 */
export function median(x: readonly number[]): number {
  return quantileType7(x, 0.5);
}

export interface QuantileConfidenceInterval {
  /** Type-7 sample quantile. */
  estimate: number;
  /** x(lowerOrder), or -Infinity when the sample is too small. */
  lower: number;
  /** x(upperOrder), or +Infinity when the sample is too small. */
  upper: number;
  /** Requested confidence. */
  confidence: number;
  /** Coverage actually achieved by the chosen order statistics (≥ confidence, up to the normal approximation). */
  achievedConfidence: number;
  /** 1-based order statistic of the lower bound; 0 means -Infinity. */
  lowerOrder: number;
  /** 1-based order statistic of the upper bound; n + 1 means +Infinity. */
  upperOrder: number;
}

function binomialPmf(n: number, q: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let logC = 0;
  const kk = Math.min(k, n - k);
  for (let i = 1; i <= kk; i++) logC += Math.log((n - kk + i) / i);
  if (q === 0.5) return Math.exp(logC - n * Math.LN2);
  return Math.exp(logC + k * Math.log(q) + (n - k) * Math.log1p(-q));
}

/** Order statistics [l, r] (1-based, 0 and n+1 meaning ±∞) and coverage, as go-moremath `QuantileCI`. */
function quantileCiOrders(
  n: number,
  q: number,
  confidence: number,
): { l: number; r: number; coverage: number } {
  let l: number;
  let r: number;
  let coverage: number;
  if (n <= 30) {
    const pmf = (k: number): number => binomialPmf(n, q, k);
    const mode = Math.ceil((n + 1) * q) - 1;
    let accum = pmf(mode);
    l = mode;
    r = mode + 1; // [l, r) is the set of binomial outcomes summed so far
    let lp = pmf(l - 1);
    let rp = pmf(r);
    while (accum < confidence && (lp > 0 || rp > 0)) {
      if (lp >= rp) {
        accum += lp;
        l--;
        lp = pmf(l - 1);
      } else {
        accum += rp;
        r++;
        rp = pmf(r);
      }
    }
    coverage = accum;
  } else {
    const mu = n * q;
    const sigma = Math.sqrt(n * q * (1 - q));
    const alpha = (1 - confidence) / 2;
    const l1 = mu + sigma * normalQuantile(alpha);
    const r1 = 2 * mu - l1;
    l = Math.floor(l1 - 0.5) + 1;
    r = Math.ceil(r1 - 0.5) + 1;
    const band = (a: number, b: number): number =>
      normalCdf((b - 0.5 - mu) / sigma) - normalCdf((a - 0.5 - mu) / sigma);
    coverage = band(l, r);
    const biased = band(l, r - 1);
    if (biased >= confidence && biased < coverage) {
      coverage = biased;
      r -= 1;
    }
    if (l <= 0 && r >= n + 1) coverage = 1;
  }
  l = Math.max(l, 0);
  r = Math.min(r, n + 1);
  if (l === 0 && r === n + 1) coverage = 1;
  return { l, r, coverage };
}

/**
 * Distribution-free confidence interval for the q-th population quantile from order statistics (benchstat's
 * `QuantileCI`). Bounds are -Infinity / +Infinity when the sample is too small to reach the confidence.
 * @throws RangeError on an empty or non-finite sample, q outside (0, 1), or confidence outside (0, 1).
 */
export function quantileConfidenceInterval(
  x: readonly number[],
  q: number,
  confidence = 0.95,
): QuantileConfidenceInterval {
  assertFiniteSample(x, 'quantileConfidenceInterval: x', 1);
  if (typeof q !== 'number' || !(q > 0 && q < 1)) {
    throw new RangeError(`quantileConfidenceInterval: q must be strictly between 0 and 1, got ${String(q)}`);
  }
  assertConfidence(confidence, 'quantileConfidenceInterval');
  const sorted = sortedCopy(x);
  const n = sorted.length;
  const { l, r, coverage } = quantileCiOrders(n, q, confidence);
  return {
    estimate: quantileType7Sorted(sorted, q),
    lower: l < 1 ? -Infinity : sorted[l - 1]!,
    upper: r > n ? Infinity : sorted[r - 1]!,
    confidence,
    achievedConfidence: coverage,
    lowerOrder: l,
    upperOrder: r,
  };
}

/**
 * Distribution-free confidence interval for the population median from order statistics, as benchstat reports
 * it. Bounds are -Infinity / +Infinity when n is too small (n ≤ 5 at 95 %).
 * @throws RangeError on an empty or non-finite sample or confidence outside (0, 1).
 */
export function medianConfidenceInterval(
  x: readonly number[],
  confidence = 0.95,
): QuantileConfidenceInterval {
  return quantileConfidenceInterval(x, 0.5, confidence);
}
