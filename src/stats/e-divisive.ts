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
  const segments: Ranked[] = [];
  for (let s = 0; s + 1 < bounds.length; s++) {
    const seg = values.slice(bounds[s]!, bounds[s + 1]!);
    if (seg.length >= 2 * minSegment) segments.push(ranked(seg));
  }
  // p = (exceed + 1) / (R + 1) <= alpha needs exceed <= alpha (R + 1) - 1.
  const allowed = Math.floor(alpha * (permutations + 1) - 1 + 1e-9);
  let exceed = 0;
  for (let r = 0; r < permutations; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (const seg of segments) {
      shuffle(seg, rng);
      const q = scan(seg, minSegment).q;
      if (q > max) max = q;
    }
    if (max >= observed) exceed++;
    if (exceed > allowed) return (exceed + 1) / (r + 2); // cannot become significant any more
  }
  return (exceed + 1) / (permutations + 1);
}

/** A segment's values with their ranks (1-based; tied values share the highest rank of their group). */
interface Ranked {
  values: Float64Array;
  ranks: Int32Array;
  /** Scratch space reused by every scan of this segment. */
  scratch: Scratch;
}

interface Scratch {
  cnt: Float64Array;
  sum: Float64Array;
  left: Float64Array;
  right: Float64Array;
}

function ranked(seg: readonly number[]): Ranked {
  const n = seg.length;
  const sorted = [...seg].sort((p, q) => p - q);
  const ranks = new Int32Array(n);
  for (let i = 0; i < n; i++) ranks[i] = upperBound(sorted, seg[i]!);
  return {
    values: Float64Array.from(seg),
    ranks,
    scratch: {
      cnt: new Float64Array(n + 1),
      sum: new Float64Array(n + 1),
      left: new Float64Array(n + 1),
      right: new Float64Array(n + 1),
    },
  };
}

function shuffle(seg: Ranked, rng: Rng): void {
  const { values: v, ranks: r } = seg;
  for (let i = v.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    const tv = v[i]!;
    v[i] = v[j]!;
    v[j] = tv;
    const tr = r[i]!;
    r[i] = r[j]!;
    r[j] = tr;
  }
}

/** The split of one segment with the largest Q (right end fixed at the segment's end). */
export function bestSplit(seg: readonly number[], minSegment: number): Split | undefined {
  if (seg.length < 2 * minSegment) return undefined;
  return scan(ranked(seg), minSegment);
}

function scan(seg: Ranked, minSegment: number): Split {
  const n = seg.values.length;
  const { left, right } = seg.scratch;
  withinSums(seg, false, left);
  withinSums(seg, true, right);
  const total = left[n]!;
  let best: Split = { tau: minSegment, q: Number.NEGATIVE_INFINITY };
  for (let tau = minSegment; tau <= n - minSegment; tau++) {
    const m = tau;
    const k = n - tau;
    const l = left[tau]!;
    const r = right[k]!; // the last k values
    const cross = total - l - r;
    const e = (2 * cross) / (m * k) - (2 * l) / (m * (m - 1)) - (2 * r) / (k * (k - 1));
    const q = ((m * k) / (m + k)) * e;
    if (q > best.q) best = { tau, q };
  }
  return best;
}

/**
 * out[t] = Σ_{i<j<t} |a_i - a_j| over the first t values (or the last t when `fromEnd`), for t = 0..n, in
 * O(n log n) with a Fenwick tree of counts and sums over the ranks of the values.
 */
function withinSums(seg: Ranked, fromEnd: boolean, out: Float64Array): void {
  const { values, ranks, scratch } = seg;
  const n = values.length;
  const { cnt, sum } = scratch;
  cnt.fill(0);
  sum.fill(0);
  out[0] = 0;
  let acc = 0;
  let totalSum = 0;
  for (let t = 0; t < n; t++) {
    const at = fromEnd ? n - 1 - t : t;
    const v = values[at]!;
    const rank = ranks[at]!;
    let c = 0;
    let s = 0;
    for (let i = rank; i > 0; i -= i & -i) {
      c += cnt[i]!;
      s += sum[i]!;
    }
    acc += v * c - s + (totalSum - s) - v * (t - c);
    out[t + 1] = acc;
    for (let i = rank; i <= n; i += i & -i) {
      cnt[i]! += 1;
      sum[i]! += v;
    }
    totalSum += v;
  }
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
