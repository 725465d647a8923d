import { describe, it, expect } from 'vitest';
import {
  hodgesLehmannOneSample,
  hodgesLehmannRatio,
  hodgesLehmannShift,
  pairedHodgesLehmannRatio,
} from '../../src/stats/hodges-lehmann.ts';
import { mannWhitneyQuantile } from '../../src/stats/mann-whitney.ts';
import { normalQuantile } from '../../src/stats/normal.ts';
import { createRng } from '../../src/stats/rng.ts';
import { enumerateU, enumerateV, normalDraw } from './brute-force.ts';

// Data sets as in R ?wilcox.test (Hollander & Wolfe 1973) and scipy's wilcoxon docs (Darwin's corn).
const term = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const early = [1.15, 0.88, 0.9, 0.74, 1.21];
const hamX = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
const hamY = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
const hamD = hamX.map((v, i) => v - hamY[i]!);
const corn = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];

const sortNum = (a: number[]): number[] => [...a].sort((p, q) => p - q);
const medianOf = (sorted: number[]): number => {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
};

/** R's exact Moses interval, derived from a fully enumerated null distribution (no DP). */
function bruteShift(baseline: number[], candidate: number[], confidence: number) {
  const nX = baseline.length;
  const nY = candidate.length;
  const null_ = enumerateU(
    Array.from({ length: nY }, (_, i) => i),
    Array.from({ length: nX }, (_, i) => nY + i),
  );
  const cdf = (u: number): number => null_.filter((v) => v <= u).length / null_.length;
  const alpha = 1 - confidence;
  let qu = 0;
  while (cdf(qu) < alpha / 2 - 1e-12) qu++;
  if (qu === 0) qu = 1;
  const diffs = sortNum(candidate.flatMap((c) => baseline.map((b) => c - b)));
  return {
    estimate: medianOf(diffs),
    lower: diffs[qu - 1]!,
    upper: diffs[nX * nY - qu]!,
    achievedConfidence: 1 - 2 * cdf(qu - 1),
  };
}

/** R's exact signed-rank interval for the pseudo-median, from the enumerated 2ⁿ sign patterns. */
function bruteOneSample(d: number[], confidence: number) {
  const n = d.length;
  const null_ = enumerateV(Array.from({ length: n }, (_, i) => i + 1));
  const cdf = (v: number): number => null_.filter((s) => s <= v).length / null_.length;
  const alpha = 1 - confidence;
  let qu = 0;
  while (cdf(qu) < alpha / 2 - 1e-12) qu++;
  if (qu === 0) qu = 1;
  const walsh: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push((d[i]! + d[j]!) / 2);
  const w = sortNum(walsh);
  return {
    estimate: medianOf(w),
    lower: w[qu - 1]!,
    upper: w[w.length - qu]!,
    achievedConfidence: 1 - 2 * cdf(qu - 1),
  };
}

describe('hodgesLehmannShift (two-sample, candidate minus baseline)', () => {
  it('H&W chorioamnion (R ?wilcox.test data): estimate 0.305 = median of the 50 differences term - early, exact 95 % Moses interval from the enumerated U distribution', () => {
    const r = hodgesLehmannShift(early, term, 0.95); // baseline = early, candidate = term
    const ref = bruteShift(early, term, 0.95);
    expect(r.estimate).toBeCloseTo(0.305, 12);
    expect(r.estimate).toBe(ref.estimate);
    expect(r.lower).toBe(ref.lower);
    expect(r.upper).toBe(ref.upper);
    expect(r.achievedConfidence).toBeCloseTo(ref.achievedConfidence, 14);
    expect(r.achievedConfidence).toBeGreaterThanOrEqual(0.95);
    expect(r.lower).toBeCloseTo(-0.15, 12);
    expect(r.upper).toBeCloseTo(0.76, 12);
  });

  it('matches the brute-force interval for random samples and several confidence levels', () => {
    const rng = createRng(5);
    for (let t = 0; t < 8; t++) {
      const nX = 2 + Math.floor(rng() * 6);
      const nY = 2 + Math.floor(rng() * 6);
      const x = Array.from({ length: nX }, () => rng() * 10);
      const y = Array.from({ length: nY }, () => rng() * 10 + 2);
      for (const confidence of [0.8, 0.9, 0.95]) {
        const r = hodgesLehmannShift(x, y, confidence);
        const ref = bruteShift(x, y, confidence);
        expect([r.estimate, r.lower, r.upper]).toEqual([ref.estimate, ref.lower, ref.upper]);
        expect(r.achievedConfidence).toBeCloseTo(ref.achievedConfidence, 14);
      }
    }
  });

  it('when the confidence is not achievable returns the full range [min, max] with the achieved confidence (R warns)', () => {
    const r = hodgesLehmannShift([1, 2], [3, 5], 0.95);
    expect(r.lower).toBe(1);
    expect(r.upper).toBe(4);
    expect(r.achievedConfidence).toBeCloseTo(1 - 2 / 6, 14);
    expect(r.achievedConfidence).toBeLessThan(r.confidence);
  });

  it('is antisymmetric in its arguments and equivariant to shifts and positive scaling', () => {
    const a = hodgesLehmannShift(early, term);
    const b = hodgesLehmannShift(term, early);
    expect(b.estimate).toBeCloseTo(-a.estimate, 14);
    expect(b.lower).toBeCloseTo(-a.upper, 14);
    expect(b.upper).toBeCloseTo(-a.lower, 14);
    const c = hodgesLehmannShift(
      early.map((v) => 10 * v),
      term.map((v) => 10 * v + 3),
    );
    expect(c.estimate).toBeCloseTo(10 * a.estimate + 3, 10);
    expect(c.lower).toBeCloseTo(10 * a.lower + 3, 10);
    expect(c.upper).toBeCloseTo(10 * a.upper + 3, 10);
  });

  it('covers the true shift with the achieved confidence (1000 seeded normal draws, 7 vs 9, shift 2)', () => {
    const rng = createRng(42);
    const sims = 1000;
    let covered = 0;
    let achieved = 0;
    for (let s = 0; s < sims; s++) {
      const x = Array.from({ length: 7 }, () => normalDraw(rng, normalQuantile));
      const y = Array.from({ length: 9 }, () => 2 + normalDraw(rng, normalQuantile));
      const r = hodgesLehmannShift(x, y);
      achieved = r.achievedConfidence;
      if (r.lower <= 2 && 2 <= r.upper) covered++;
    }
    const sd = Math.sqrt((achieved * (1 - achieved)) / sims);
    expect(Math.abs(covered / sims - achieved)).toBeLessThan(4 * sd);
  });

  it('uses the normal approximation above 50 per sample, choosing within one order statistic of the exact rule', () => {
    const rng = createRng(8);
    const x = Array.from({ length: 60 }, () => rng());
    const y = Array.from({ length: 55 }, () => rng() + 0.2);
    const r = hodgesLehmannShift(x, y);
    const diffs = sortNum(y.flatMap((c) => x.map((b) => c - b)));
    const exactK = mannWhitneyQuantile(0.025, 55, 60); // the exact DP still works at this size
    const k = diffs.indexOf(r.lower) + 1;
    expect(Math.abs(k - exactK)).toBeLessThanOrEqual(1);
    expect(r.achievedConfidence).toBeGreaterThan(0.945);
    expect(r.achievedConfidence).toBeLessThan(0.955);
  });

  it('rejects empty or non-finite samples and a confidence outside (0, 1)', () => {
    expect(() => hodgesLehmannShift([], [1])).toThrow(RangeError);
    expect(() => hodgesLehmannShift([1], [Number.NaN])).toThrow(RangeError);
    expect(() => hodgesLehmannShift([1], [2], 1)).toThrow(RangeError);
    expect(() => hodgesLehmannShift([1], [2], 0)).toThrow(RangeError);
  });
});

describe('hodgesLehmannOneSample (paired, median of Walsh averages)', () => {
  it('H&W depression data (R ?wilcox.test): pseudo-median of x - y is 0.46, exact 95 % interval from the 2⁹ sign patterns', () => {
    const r = hodgesLehmannOneSample(hamD);
    const ref = bruteOneSample(hamD, 0.95);
    expect(r.estimate).toBeCloseTo(0.46, 12);
    expect([r.estimate, r.lower, r.upper]).toEqual([ref.estimate, ref.lower, ref.upper]);
    expect(r.achievedConfidence).toBeCloseTo(ref.achievedConfidence, 14);
    expect(r.lower).toBeCloseTo(0.01, 12);
    expect(r.upper).toBeCloseTo(0.786, 12);
  });

  it('Darwin corn (scipy wilcoxon docs data): estimate and exact interval match the enumerated signed-rank rule', () => {
    for (const confidence of [0.9, 0.95, 0.99]) {
      const r = hodgesLehmannOneSample(corn, confidence);
      const ref = bruteOneSample(corn, confidence);
      expect([r.estimate, r.lower, r.upper]).toEqual([ref.estimate, ref.lower, ref.upper]);
      expect(r.achievedConfidence).toBeCloseTo(ref.achievedConfidence, 14);
    }
  });

  it('keeps zero differences in the Walsh averages and negates under d → -d', () => {
    expect(hodgesLehmannOneSample([0, 0, 0, 1]).estimate).toBe(0);
    const a = hodgesLehmannOneSample(corn);
    const b = hodgesLehmannOneSample(corn.map((v) => -v));
    expect(b.estimate).toBe(-a.estimate);
    expect(b.lower).toBe(-a.upper);
  });

  it('returns the full range with the achieved confidence when n is too small (n = 4: 1 - 2/16)', () => {
    const r = hodgesLehmannOneSample([1, 2, 4, 8]);
    expect(r.lower).toBe(1);
    expect(r.upper).toBe(8);
    expect(r.achievedConfidence).toBe(0.875);
  });

  it('rejects empty input and bad confidence', () => {
    expect(() => hodgesLehmannOneSample([])).toThrow(RangeError);
    expect(() => hodgesLehmannOneSample([1, 2], 1.5)).toThrow(RangeError);
  });
});

describe('ratio versions (work on logs, report candidate / baseline)', () => {
  it('hodgesLehmannRatio equals exp of the shift of the logs, and 1.0 for identical samples', () => {
    const baseline = [100, 104, 98, 101, 99, 103];
    const candidate = [110, 112, 109, 115, 108, 111];
    const r = hodgesLehmannRatio(baseline, candidate);
    const s = hodgesLehmannShift(baseline.map(Math.log), candidate.map(Math.log));
    expect(r.estimate).toBeCloseTo(Math.exp(s.estimate), 14);
    expect(r.lower).toBeCloseTo(Math.exp(s.lower), 14);
    expect(r.upper).toBeCloseTo(Math.exp(s.upper), 14);
    expect(r.lower).toBeGreaterThan(1);
    expect(hodgesLehmannRatio(baseline, baseline).estimate).toBe(1);
  });

  it('pairedHodgesLehmannRatio: a uniform 10 % slowdown gives exactly 1.1, and is scale-free', () => {
    const baseline = [50, 80, 120, 65, 90, 300, 75, 110];
    const r = pairedHodgesLehmannRatio(
      baseline,
      baseline.map((v) => v * 1.1),
    );
    expect(r.estimate).toBeCloseTo(1.1, 12);
    expect(r.lower).toBeCloseTo(1.1, 12);
    expect(r.upper).toBeCloseTo(1.1, 12);
    const noisy = baseline.map((v, i) => v * (1 + 0.02 * Math.sin(i)));
    const a = pairedHodgesLehmannRatio(baseline, noisy);
    const b = pairedHodgesLehmannRatio(
      baseline.map((v) => v / 1000),
      noisy.map((v) => v / 1000),
    );
    expect(b.estimate).toBeCloseTo(a.estimate, 12);
  });

  it('throws a clear RangeError for non-positive values and mismatched pair counts', () => {
    expect(() => hodgesLehmannRatio([1, 0, 2], [1, 2])).toThrow(/> 0/);
    expect(() => hodgesLehmannRatio([1, 2], [-1, 2])).toThrow(RangeError);
    expect(() => pairedHodgesLehmannRatio([1, 2, 3], [1, 2])).toThrow(/same length/);
    expect(() => pairedHodgesLehmannRatio([1, Number.NaN], [1, 2])).toThrow(RangeError);
  });
});
