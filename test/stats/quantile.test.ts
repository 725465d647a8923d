import { describe, it, expect } from 'vitest';
import * as ss from 'simple-statistics';
import {
  median,
  medianConfidenceInterval,
  quantileConfidenceInterval,
  quantileType7,
} from '../../src/stats/quantile.ts';
import { createRng } from '../../src/stats/rng.ts';
import { choose } from './brute-force.ts';

const oneTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** Exact coverage of [x(l), x(r)] for the q-quantile: P(l ≤ K ≤ r - 1), K ~ Bin(n, q) (order statistics 1-based). */
function exactCoverage(n: number, q: number, l: number, r: number): number {
  let s = 0;
  for (let k = Math.max(l, 0); k <= Math.min(r - 1, n); k++) s += choose(n, k) * q ** k * (1 - q) ** (n - k);
  return s;
}

describe('quantileType7', () => {
  it('R: quantile(1:10) → 0%: 1, 25%: 3.25, 50%: 5.5, 75%: 7.75, 100%: 10', () => {
    const x = oneTo(10);
    expect([0, 0.25, 0.5, 0.75, 1].map((p) => quantileType7(x, p))).toEqual([1, 3.25, 5.5, 7.75, 10]);
  });

  it('numpy.percentile docs: a = [[10, 7, 4], [3, 2, 1]] → 50th percentile 3.5; per column 6.5, 4.5, 2.5', () => {
    expect(quantileType7([10, 7, 4, 3, 2, 1], 0.5)).toBe(3.5);
    expect(quantileType7([10, 3], 0.5)).toBe(6.5);
    expect(quantileType7([7, 2], 0.5)).toBe(4.5);
    expect(quantileType7([4, 1], 0.5)).toBe(2.5);
  });

  it('Hyndman & Fan (1996) definition 7: x(⌊h⌋) + (h - ⌊h⌋)(x(⌊h⌋+1) - x(⌊h⌋)), h = (n-1)p; agrees with simple-statistics 7.12 quantile', () => {
    const rng = createRng(3);
    for (let t = 0; t < 50; t++) {
      const n = 1 + Math.floor(rng() * 20);
      const x = Array.from({ length: n }, () => Math.round(rng() * 1000) / 10);
      const sorted = [...x].sort((a, b) => a - b);
      for (const p of [0, 0.01, 0.1, 0.25, 0.5, 0.9, 0.95, 0.99, 1]) {
        const h = (n - 1) * p;
        const lo = Math.floor(h);
        const ref = sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, n - 1)] ?? 0) - sorted[lo]!);
        expect(quantileType7(x, p)).toBeCloseTo(ref, 12);
        expect(quantileType7(x, p)).toBeCloseTo(ss.quantile(x, p), 12);
      }
    }
  });

  it('does not modify its input and accepts unsorted data', () => {
    const x = [5, 1, 4, 2, 3];
    quantileType7(x, 0.3);
    expect(x).toEqual([5, 1, 4, 2, 3]);
    expect(median(x)).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('rejects empty input, non-finite values and p outside [0, 1]', () => {
    expect(() => quantileType7([], 0.5)).toThrow(RangeError);
    expect(() => quantileType7([1, Number.NaN], 0.5)).toThrow(RangeError);
    expect(() => quantileType7([1, 2], 1.5)).toThrow(RangeError);
    expect(() => quantileType7([1, 2], Number.NaN)).toThrow(RangeError);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('quantileConfidenceInterval / medianConfidenceInterval (benchstat QuantileCI)', () => {
  it('reproduces go-moremath stats/quantileci_test.go cases (orders and achieved confidence)', () => {
    // [n, q, confidence, LoOrder, HiOrder, Confidence] from TestQuantileCI (exact binomial branch, n ≤ 30)
    const cases: [number, number, number, number, number, number][] = [
      [4, 0.5, 0.001, 2, 3, 0.375],
      [4, 0.25, 0.001, 1, 2, 0.421875],
      [4, 0.5, 0.375, 2, 3, 0.375],
      [4, 0.5, 0.3750001, 1, 3, 0.375 + 0.25],
      [4, 0.5, 0.99, 0, 5, 1],
      [4, 0.5, 0.99 - 0.0625, 0, 4, 0.375 + 2 * 0.25 + 0.0625],
      [5, 0.5, 0.001, 2, 3, 0.3125],
      [5, 0.5, 0.3125001, 2, 4, 0.3125 * 2],
      [5, 0.5, 0.99, 0, 6, 1],
      [5, 0.5, 0.99 - 0.03125, 0, 5, 1 - 0.03125],
    ];
    for (const [n, q, confidence, lo, hi, achieved] of cases) {
      const r = quantileConfidenceInterval(oneTo(n), q, confidence);
      expect([r.lowerOrder, r.upperOrder]).toEqual([lo, hi]);
      expect(r.achievedConfidence).toBeCloseTo(achieved, 12);
      expect(r.lower).toBe(lo === 0 ? -Infinity : lo);
      expect(r.upper).toBe(hi === n + 1 ? Infinity : hi);
    }
  });

  it('benchstat: "need >= 6 samples for confidence interval at level 0.95" — n = 5 has an infinite bound, n = 6 gives [x(1), x(6)] at 96.9 %', () => {
    const five = medianConfidenceInterval(oneTo(5));
    expect(five.lower).toBe(-Infinity);
    expect(five.upper).toBe(5);
    for (const n of [1, 2, 3, 4]) {
      const r = medianConfidenceInterval(oneTo(n));
      expect(r.lower === -Infinity || r.upper === Infinity).toBe(true);
    }
    const six = medianConfidenceInterval(oneTo(6));
    expect([six.lower, six.upper]).toEqual([1, 6]);
    expect(six.achievedConfidence).toBeCloseTo(1 - 2 / 64, 14);
  });

  it('95 % median order statistics (reference notes §4.3) and exact binomial coverage for n = 6..30', () => {
    // n: [lo, hi] — n = 10: [x2, x9], 12: [x3, x10], 15: [x4, x12], 20: [x6, x15]; benchstat's left-biased
    // search gives [x1, x7] for n = 8 (96.1 %), where a symmetric rule would need [x1, x8].
    const expected: Record<number, [number, number]> = {
      6: [1, 6],
      8: [1, 7],
      10: [2, 9],
      12: [3, 10],
      15: [4, 12],
      20: [6, 15],
    };
    for (const [n, [lo, hi]] of Object.entries(expected)) {
      const r = medianConfidenceInterval(oneTo(Number(n)));
      expect([r.lower, r.upper]).toEqual([lo, hi]);
    }
    for (let n = 6; n <= 30; n++) {
      const r = medianConfidenceInterval(oneTo(n));
      const cov = exactCoverage(n, 0.5, r.lowerOrder, r.upperOrder);
      expect(r.achievedConfidence).toBeCloseTo(cov, 12);
      expect(cov).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('uses the normal approximation above n = 30 with exact coverage close to the target', () => {
    for (const n of [31, 40, 64, 101, 500]) {
      const r = medianConfidenceInterval(oneTo(n));
      const cov = exactCoverage(n, 0.5, r.lowerOrder, r.upperOrder);
      expect(Math.abs(r.achievedConfidence - cov)).toBeLessThan(0.01);
      expect(cov).toBeGreaterThan(0.94);
    }
    const p90 = quantileConfidenceInterval(oneTo(200), 0.9, 0.95);
    expect(p90.lowerOrder).toBeLessThan(180);
    expect(p90.upperOrder).toBeGreaterThan(181);
  });

  it('reports the type-7 estimate and works on unsorted input', () => {
    const r = medianConfidenceInterval([9, 1, 8, 2, 7, 3, 6, 4, 5, 10]);
    expect(r.estimate).toBe(5.5);
    expect([r.lower, r.upper]).toEqual([2, 9]);
  });

  it('rejects empty input, q outside (0, 1) and confidence outside (0, 1)', () => {
    expect(() => medianConfidenceInterval([])).toThrow(RangeError);
    expect(() => medianConfidenceInterval([1, 2, 3], 1)).toThrow(RangeError);
    expect(() => quantileConfidenceInterval([1, 2, 3], 0, 0.9)).toThrow(RangeError);
    expect(() => quantileConfidenceInterval([1, Infinity], 0.5, 0.9)).toThrow(RangeError);
  });
});
