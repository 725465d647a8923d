import { describe, it, expect } from 'vitest';
import { welchTTest } from '../../src/stats/welch.ts';
import { normalQuantile } from '../../src/stats/normal.ts';
import { createRng } from '../../src/stats/rng.ts';
import { binomialBand, normalDraw } from './brute-force.ts';

// R's `sleep` data set (Cushny & Peebles 1905, as in Student 1908): extra hours of sleep, drug 1 and drug 2.
const sleep1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const sleep2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('welchTTest: published examples', () => {
  it('R ?t.test, sleep data: t = -1.8608, df = 17.776, p-value = 0.07939 (means 0.75 and 2.33)', () => {
    const r = welchTTest(sleep1, sleep2);
    expect(r.t).toBeCloseTo(-1.8608, 4);
    expect(r.df).toBeCloseTo(17.776, 3);
    expect(r.p).toBeCloseTo(0.07939, 5);
    expect(r.meanX).toBeCloseTo(0.75, 12);
    expect(r.meanY).toBeCloseTo(2.33, 12);
    expect(r.alternative).toBe('two-sided');
  });

  it('R ?t.test: t.test(1:10, y = c(7:20)) # P = .00001855', () => {
    expect(welchTTest(range(1, 10), range(7, 20)).p).toBeCloseTo(0.00001855, 8);
  });

  it('R ?t.test: t.test(1:10, y = c(7:20, 200)) # P = .1245 -- NOT significant anymore', () => {
    expect(welchTTest(range(1, 10), [...range(7, 20), 200]).p).toBeCloseTo(0.1245, 4);
  });

  it('golang.org/x/perf (go-moremath stats/ttest_test.go): {2,1,3,4} vs {6,5,7,9} → t=-3.9703446152237674, p=0.0085128631313781695, df=5.584615384615385', () => {
    const r = welchTTest([2, 1, 3, 4], [6, 5, 7, 9]);
    expect(r.t).toBeCloseTo(-3.9703446152237674, 13);
    expect(r.df).toBeCloseTo(5.584615384615385, 13);
    expect(Math.abs(r.p - 0.0085128631313781695) / 0.0085128631313781695).toBeLessThan(1e-12);
  });
});

describe('welchTTest: properties', () => {
  it('swapping x and y negates t, keeps df and the two-sided p, and swaps the one-sided p-values', () => {
    const a = welchTTest(sleep1, sleep2, 'less');
    const b = welchTTest(sleep2, sleep1, 'greater');
    expect(b.t).toBeCloseTo(-a.t, 14);
    expect(b.df).toBeCloseTo(a.df, 12);
    expect(b.p).toBeCloseTo(a.p, 14);
    expect(welchTTest(sleep1, sleep2).p).toBeCloseTo(2 * a.p, 14);
    expect(a.p + welchTTest(sleep1, sleep2, 'greater').p).toBeCloseTo(1, 14);
  });

  it('is invariant to a common location shift and positive scale change', () => {
    const base = welchTTest(sleep1, sleep2);
    const moved = welchTTest(
      sleep1.map((v) => 1000 + 3 * v),
      sleep2.map((v) => 1000 + 3 * v),
    );
    expect(moved.t).toBeCloseTo(base.t, 10);
    expect(moved.df).toBeCloseTo(base.df, 9);
    expect(moved.p).toBeCloseTo(base.p, 11);
  });

  it('gives df = n - 1 of the varying sample when the other is constant', () => {
    const r = welchTTest([5, 5, 5, 5], [1, 2, 3, 4, 6]);
    expect(r.df).toBeCloseTo(4, 12);
  });

  it('has uniform p-values under the null: P(p < 0.05) and P(p < 0.5) within 4 SD over 2000 seeded draws', () => {
    const rng = createRng(20240601);
    const sims = 2000;
    let below05 = 0;
    let belowHalf = 0;
    for (let s = 0; s < sims; s++) {
      // unequal variances and sizes, equal means: Welch's setting
      const x = Array.from({ length: 8 }, () => 10 + normalDraw(rng, normalQuantile));
      const y = Array.from({ length: 13 }, () => 10 + 3 * normalDraw(rng, normalQuantile));
      const p = welchTTest(x, y).p;
      if (p < 0.05) below05++;
      if (p < 0.5) belowHalf++;
    }
    const b05 = binomialBand(sims, 0.05);
    const bHalf = binomialBand(sims, 0.5);
    expect(below05 / sims).toBeGreaterThan(b05.lo);
    expect(below05 / sims).toBeLessThan(b05.hi);
    expect(belowHalf / sims).toBeGreaterThan(bHalf.lo);
    expect(belowHalf / sims).toBeLessThan(bHalf.hi);
  });
});

describe('welchTTest: input validation', () => {
  it('rejects samples that are too small, non-finite values, constant data and bad alternatives', () => {
    expect(() => welchTTest([1], [1, 2])).toThrow(RangeError);
    expect(() => welchTTest([], [1, 2])).toThrow(RangeError);
    expect(() => welchTTest([1, Number.NaN], [1, 2])).toThrow(RangeError);
    expect(() => welchTTest([1, Infinity], [1, 2])).toThrow(RangeError);
    expect(() => welchTTest([3, 3, 3], [4, 4])).toThrow(/constant/);
    // @ts-expect-error invalid alternative on purpose
    expect(() => welchTTest([1, 2], [3, 4], 'bigger')).toThrow(RangeError);
  });
});
