/**
 * Hodges–Lehmann location estimates with distribution-free confidence intervals, on the raw scale and as
 * ratios (via logarithms).
 *
 * Computes:
 * - two-sample shift: the median of all nX·nY differences y_j - x_i (candidate minus baseline: x is the
 *   baseline, y the candidate), with Moses' interval [D(k), D(nX·nY + 1 - k)] whose k comes from the Mann–Whitney
 *   null distribution;
 * - one-sample (paired) location: the median of the n(n+1)/2 Walsh averages (d_i + d_j)/2, i ≤ j, with the
 *   interval [W(k), W(n(n+1)/2 + 1 - k)] whose k comes from the signed-rank null distribution;
 * - ratio versions that apply the above to logarithms and exponentiate: estimate and bounds are ratios
 *   candidate / baseline.
 *
 * References: J. L. Hodges & E. L. Lehmann, "Estimates of location based on rank tests", Ann. Math. Statist. 34
 * (1963) 598–611; L. E. Moses, in Walker & Lev, "Statistical Inference" (1953), and Hollander & Wolfe,
 * "Nonparametric Statistical Methods" (2nd ed., 1999), §3.2–3.3 and §4.2–4.3. Exact intervals reproduce R's
 * `wilcox.test(y, x, conf.int = TRUE)` (two-sample; R's difference is first minus second argument, so the
 * candidate goes first) and `wilcox.test(d, conf.int = TRUE)` (one-sample): k = qwilcox(α/2, nX, nY) or
 * qsignrank(α/2, n), raised to 1 if it is 0, and achieved confidence 1 - 2·P(U ≤ k - 1).
 *
 * Exact order statistics are used when every sample has at most 50 values (ties allowed: the closed interval is
 * then conservative). Above 50, k comes from the normal approximation to the rank statistic with continuity
 * correction. R differs in two cases: with ties, zeros or n ≥ 50 R inverts the normal-approximation test by
 * root finding (uniroot, tolerance 1e-4), and with zeros R's one-sample estimate drops the zero differences; here
 * the estimate is always the plain Hodges–Lehmann median over all values.
 *
 * Small samples: when no pair of order statistics reaches the confidence, the interval is the full range
 * [min, max] and `achievedConfidence` is below `confidence` (R warns "requested conf.level not achievable").
 * Always check `achievedConfidence`.
 */
import { assertConfidence, assertFiniteSample } from './descriptive.ts';
import { mannWhitneyCdf, mannWhitneyQuantile, MANN_WHITNEY_EXACT_MAX_N } from './mann-whitney.ts';
import { normalCdf, normalQuantile } from './normal.ts';
import { signedRankCdf, signedRankQuantile, SIGNED_RANK_EXACT_MAX_N } from './wilcoxon-signed-rank.ts';

export interface HodgesLehmannResult {
  /** Hodges–Lehmann estimate (a difference, or a ratio for the ratio functions). */
  estimate: number;
  lower: number;
  upper: number;
  /** Requested confidence. */
  confidence: number;
  /** Coverage of the chosen order statistics under the null distribution (exact for small samples). */
  achievedConfidence: number;
}

/** Refuse inputs that would need more than this many pairwise values (HL is meant for trial-level data). */
const MAX_PAIRWISE = 20_000_000;

/**
 * Pick the order statistic k (1-based) of the lower bound from a rank statistic S with mean `mean` and
 * CDF `cdf`, as R does, or from its normal approximation.
 */
function lowerOrder(
  alpha: number,
  count: number,
  exact: { cdf: (s: number) => number; quantile: (p: number) => number } | undefined,
  mean: number,
  sd: number,
): { k: number; achievedConfidence: number } {
  if (exact) {
    let k = exact.quantile(alpha / 2);
    if (k === 0) k = 1;
    return { k, achievedConfidence: 1 - 2 * exact.cdf(k - 1) };
  }
  // smallest k with Φ((k + 0.5 - mean) / sd) ≥ α/2
  let k = Math.ceil(mean + sd * normalQuantile(alpha / 2) - 0.5);
  k = Math.min(Math.max(k, 1), Math.ceil(count / 2));
  return { k, achievedConfidence: Math.max(0, 1 - 2 * normalCdf((k - 1 + 0.5 - mean) / sd)) };
}

/**
 * Two-sample Hodges–Lehmann shift of y (candidate) relative to x (baseline): median of y_j - x_i, with Moses'
 * distribution-free interval (R: `wilcox.test(y, x, conf.int = TRUE, conf.level = confidence)`).
 * @throws RangeError on an empty or non-finite sample or confidence outside (0, 1).
 */
export function hodgesLehmannShift(
  x: readonly number[],
  y: readonly number[],
  confidence = 0.95,
): HodgesLehmannResult {
  assertFiniteSample(x, 'hodgesLehmannShift: x (baseline)', 1);
  assertFiniteSample(y, 'hodgesLehmannShift: y (candidate)', 1);
  assertConfidence(confidence, 'hodgesLehmannShift');
  const nX = x.length;
  const nY = y.length;
  const count = nX * nY;
  if (count > MAX_PAIRWISE) {
    throw new RangeError(
      `hodgesLehmannShift: ${count} pairwise differences is too many; pass trial-level values`,
    );
  }
  const diffs = new Float64Array(count);
  let idx = 0;
  for (let j = 0; j < nY; j++) for (let i = 0; i < nX; i++) diffs[idx++] = y[j]! - x[i]!;
  diffs.sort();
  const exact =
    nX <= MANN_WHITNEY_EXACT_MAX_N && nY <= MANN_WHITNEY_EXACT_MAX_N
      ? {
          cdf: (s: number) => mannWhitneyCdf(s, nY, nX),
          quantile: (p: number) => mannWhitneyQuantile(p, nY, nX),
        }
      : undefined;
  const { k, achievedConfidence } = lowerOrder(
    1 - confidence,
    count,
    exact,
    count / 2,
    Math.sqrt((count * (nX + nY + 1)) / 12),
  );
  return {
    estimate: medianOfSorted(diffs),
    lower: diffs[k - 1]!,
    upper: diffs[count - k]!,
    confidence,
    achievedConfidence,
  };
}

/**
 * One-sample (paired) Hodges–Lehmann estimate: median of the Walsh averages of d, with the signed-rank based
 * distribution-free interval (R: `wilcox.test(d, conf.int = TRUE, conf.level = confidence)`).
 * Zero differences are kept (they are information that the shift is near 0).
 * @throws RangeError on an empty or non-finite sample or confidence outside (0, 1).
 */
export function hodgesLehmannOneSample(d: readonly number[], confidence = 0.95): HodgesLehmannResult {
  assertFiniteSample(d, 'hodgesLehmannOneSample: d', 1);
  assertConfidence(confidence, 'hodgesLehmannOneSample');
  const n = d.length;
  const count = (n * (n + 1)) / 2;
  if (count > MAX_PAIRWISE) {
    throw new RangeError(
      `hodgesLehmannOneSample: ${count} Walsh averages is too many; pass trial-level values`,
    );
  }
  const walsh = new Float64Array(count);
  let idx = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh[idx++] = (d[i]! + d[j]!) / 2;
  walsh.sort();
  const exact =
    n <= SIGNED_RANK_EXACT_MAX_N
      ? { cdf: (s: number) => signedRankCdf(s, n), quantile: (p: number) => signedRankQuantile(p, n) }
      : undefined;
  const { k, achievedConfidence } = lowerOrder(
    1 - confidence,
    count,
    exact,
    count / 2,
    Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24),
  );
  return {
    estimate: medianOfSorted(walsh),
    lower: walsh[k - 1]!,
    upper: walsh[count - k]!,
    confidence,
    achievedConfidence,
  };
}

function medianOfSorted(sorted: Float64Array): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function logs(values: readonly number[], what: string): number[] {
  assertFiniteSample(values, what, 1);
  return values.map((v, i) => {
    if (!(v > 0)) {
      throw new RangeError(`${what}[${i}] must be > 0 to form a ratio, got ${String(v)}`);
    }
    return Math.log(v);
  });
}

function exponentiate(r: HodgesLehmannResult): HodgesLehmannResult {
  return { ...r, estimate: Math.exp(r.estimate), lower: Math.exp(r.lower), upper: Math.exp(r.upper) };
}

/**
 * Two-sample Hodges–Lehmann ratio candidate / baseline: exp of the HL shift of ln(candidate) relative to
 * ln(baseline), with the interval transformed the same way. A value of 1.10 means the candidate is 10 % larger.
 * @throws RangeError unless every value is a finite number > 0, or on confidence outside (0, 1).
 */
export function hodgesLehmannRatio(
  baseline: readonly number[],
  candidate: readonly number[],
  confidence = 0.95,
): HodgesLehmannResult {
  const lb = logs(baseline, 'hodgesLehmannRatio: baseline');
  const lc = logs(candidate, 'hodgesLehmannRatio: candidate');
  return exponentiate(hodgesLehmannShift(lb, lc, confidence));
}

/**
 * Paired Hodges–Lehmann ratio candidate / baseline: exp of the one-sample HL estimate of
 * d_i = ln(candidate_i / baseline_i), with the interval transformed the same way. Pairs are matched by index.
 * @throws RangeError unless both arrays have the same non-zero length and every value is a finite number > 0,
 * or on confidence outside (0, 1).
 */
export function pairedHodgesLehmannRatio(
  baseline: readonly number[],
  candidate: readonly number[],
  confidence = 0.95,
): HodgesLehmannResult {
  const lb = logs(baseline, 'pairedHodgesLehmannRatio: baseline');
  const lc = logs(candidate, 'pairedHodgesLehmannRatio: candidate');
  if (lb.length !== lc.length) {
    throw new RangeError(
      `pairedHodgesLehmannRatio: baseline and candidate must have the same length, got ${lb.length} and ${lc.length}`,
    );
  }
  return exponentiate(
    hodgesLehmannOneSample(
      lc.map((v, i) => v - lb[i]!),
      confidence,
    ),
  );
}
