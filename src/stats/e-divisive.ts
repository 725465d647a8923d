/**
 * E-Divisive means: hierarchical change-point detection on one series, with a permutation significance test.
 *
 * Computes: the positions where the distribution of a series changes. Each step takes every current segment,
 * finds its best split τ by the divergence statistic (α = 1, the "means" variant)
 *   Q(τ) = m·k/(m+k) · [ 2/(m·k) Σ|x_i - y_j| - 2/(m(m-1)) Σ_{i<i'}|x_i - x_i'| - 2/(k(k-1)) Σ_{j<j'}|y_j - y_j'| ]
 * with x the m values left of τ and y the k values from τ to the segment's end, and proposes the split with the
 * largest Q over all segments. A permutation test decides whether to keep it: the values inside each segment
 * are shuffled R times and the same maximum is recomputed; p = (#{Q_perm ≥ Q_obs} + 1) / (R + 1). Splitting
 * stops at the first proposal with p > α.
 *
 * References: D. S. Matteson & N. A. James, "A Nonparametric Approach for Multiple Change Point Analysis of
 * Multivariate Data", JASA 109(505), 2014, 334–345 (the statistic, the hierarchical procedure and the
 * permutation test); D. Daly et al., "The Use of Change Point Detection to Identify Software Performance
 * Regressions in a Continuous Integration System", ICPE 2020 (MongoDB's use on CI performance series, with the
 * split's right end fixed at the segment's end, as here); M. Fleming et al., "Hunter: Using Change Point
 * Detection to Hunt for Performance Regressions", ICPE 2023 (Apache Otava, formerly Hunter, which keeps the
 * statistic and replaces the permutation test with a t-test for speed).
 *
 * Cost: each scan of a segment of n values is O(n log n) (the sums of absolute differences are kept with a
 * Fenwick tree over ranks), so a test with R permutations costs O(R·n log n); permutations stop early as soon
 * as the proposal can no longer be significant, which keeps flat series cheap.
 */
import { assertFiniteSample } from './descriptive.ts';
import { randomIndex, type Rng } from './rng.ts';

export interface EDivisiveOptions {
  /** Seeded randomness for the permutations. */
  rng: Rng;
  /** Significance level of each split; default 0.05. */
  alpha?: number;
  /** Permutations per test; default 199 (smallest attainable p = 0.005). */
  permutations?: number;
  /** Fewest values on each side of a split; default 3, at least 2. */
  minSegment?: number;
  /** Stop after this many change points; default unlimited. */
  maxChangePoints?: number;
}

export interface EDivisiveChangePoint {
  /** Index of the first value after the change. */
  index: number;
  /** The divergence statistic of the split. */
  q: number;
  /** Permutation p-value of the split when it was accepted. */
  pValue: number;
}

interface Split {
  tau: number;
  q: number;
}

/**
 * Change points of `x`, in index order. An empty array when the series is too short or has no significant split.
 * @throws RangeError on non-finite values or invalid options.
 */
export function eDivisive(x: readonly number[], options: EDivisiveOptions): EDivisiveChangePoint[] {
  assertFiniteSample(x, 'eDivisive: x', 0);
  const alpha = options.alpha ?? 0.05;
  const permutations = options.permutations ?? 199;
  const minSegment = options.minSegment ?? 3;
  const maxChangePoints = options.maxChangePoints ?? Number.POSITIVE_INFINITY;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`eDivisive: alpha must be in (0, 1), got ${alpha}`);
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new RangeError(`eDivisive: permutations must be a positive integer, got ${permutations}`);
  }
  if (!Number.isInteger(minSegment) || minSegment < 2) {
    throw new RangeError(`eDivisive: minSegment must be an integer >= 2, got ${minSegment}`);
  }
  const found: EDivisiveChangePoint[] = [];
  // Segment boundaries: [bounds[i], bounds[i+1]).
  const bounds = [0, x.length];
  const values = Array.from(x);
  while (found.length < maxChangePoints) {
    let best: { segment: number; split: Split } | undefined;
    for (let s = 0; s + 1 < bounds.length; s++) {
      const split = bestSplit(values.slice(bounds[s]!, bounds[s + 1]!), minSegment);
      if (split && (!best || split.q > best.split.q)) best = { segment: s, split };
    }
    if (!best) break;
    const pValue = permutationP(values, bounds, best.split.q, minSegment, permutations, alpha, options.rng);
    if (pValue > alpha) break;
    const index = bounds[best.segment]! + best.split.tau;
    found.push({ index, q: best.split.q, pValue });
    bounds.splice(best.segment + 1, 0, index);
  }
  return found.sort((a, b) => a.index - b.index);
}

/** p-value of the observed maximum, or a value above alpha as soon as significance is out of reach. */
function permutationP(
  values: readonly number[],
  bounds: readonly number[],
  observed: number,
  minSegment: number,
  permutations: number,
  alpha: number,
  rng: Rng,
): number {
  const segments = [];
  for (let s = 0; s + 1 < bounds.length; s++) segments.push(values.slice(bounds[s]!, bounds[s + 1]!));
  // p = (exceed + 1) / (R + 1) <= alpha needs exceed <= alpha (R + 1) - 1.
  const allowed = Math.floor(alpha * (permutations + 1) - 1 + 1e-9);
  let exceed = 0;
  for (let r = 0; r < permutations; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (const seg of segments) {
      shuffle(seg, rng);
      const split = bestSplit(seg, minSegment);
      if (split && split.q > max) max = split.q;
    }
    if (max >= observed) exceed++;
    if (exceed > allowed) return (exceed + 1) / (r + 2); // cannot become significant any more
  }
  return (exceed + 1) / (permutations + 1);
}

function shuffle(a: number[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

/** The split of one segment with the largest Q (right end fixed at the segment's end). */
export function bestSplit(seg: readonly number[], minSegment: number): Split | undefined {
  const n = seg.length;
  if (n < 2 * minSegment) return undefined;
  const within = withinSums(seg);
  const withinRight = withinSums([...seg].reverse()).reverse();
  const total = within[n]!;
  let best: Split | undefined;
  for (let tau = minSegment; tau <= n - minSegment; tau++) {
    const m = tau;
    const k = n - tau;
    const left = within[tau]!;
    const right = withinRight[tau]!;
    const cross = total - left - right;
    const e = (2 * cross) / (m * k) - (2 * left) / (m * (m - 1)) - (2 * right) / (k * (k - 1));
    const q = ((m * k) / (m + k)) * e;
    if (!best || q > best.q) best = { tau, q };
  }
  return best;
}

/**
 * out[t] = Σ_{i<j<t} |a_i - a_j| for t = 0..n, in O(n log n) with a Fenwick tree of counts and sums over
 * the ranks of the values.
 */
function withinSums(a: readonly number[]): number[] {
  const n = a.length;
  const sorted = [...a].sort((p, q) => p - q);
  const cnt = new Float64Array(n + 1);
  const sum = new Float64Array(n + 1);
  const out = new Array<number>(n + 1);
  out[0] = 0;
  let acc = 0;
  let totalSum = 0;
  for (let t = 0; t < n; t++) {
    const v = a[t]!;
    const r = upperBound(sorted, v); // 1-based rank of the last value <= v
    let c = 0;
    let s = 0;
    for (let i = r; i > 0; i -= i & -i) {
      c += cnt[i]!;
      s += sum[i]!;
    }
    acc += v * c - s + (totalSum - s) - v * (t - c);
    out[t + 1] = acc;
    for (let i = r; i <= n; i += i & -i) {
      cnt[i]! += 1;
      sum[i]! += v;
    }
    totalSum += v;
  }
  return out;
}

function upperBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
