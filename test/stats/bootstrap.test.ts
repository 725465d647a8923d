import { describe, it, expect } from 'vitest';
import { bootstrapCi, pairedBootstrapCi } from '../../src/stats/bootstrap.ts';
import { median } from '../../src/stats/quantile.ts';
import { createRng } from '../../src/stats/rng.ts';
import { choose } from './brute-force.ts';

// Efron & Tibshirani, "An Introduction to the Bootstrap" (1993), Table 2.1: mouse survival data.
const mouseTreatment = [94, 197, 16, 38, 99, 141, 23];
const mouseControl = [52, 104, 146, 10, 51, 30, 40, 27, 46];
// Efron & Tibshirani (1993), Table 3.1 / §6: law school data, LSAT and GPA of 15 schools (r = .776).
const lsat = [576, 635, 558, 578, 666, 580, 555, 661, 651, 605, 653, 575, 545, 572, 594];
const gpa = [3.39, 3.3, 2.81, 3.03, 3.44, 3.07, 3.0, 3.43, 3.36, 3.13, 3.12, 2.74, 2.76, 2.88, 2.96];

const meanOf = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
function correlation(x: number[], y: number[]): number {
  const mx = meanOf(x);
  const my = meanOf(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

/** Exact ("ideal", B = ∞) bootstrap distribution of the median of an odd-sized sample, by binomial sums. */
function idealBootstrapMedian(x: number[]): { values: number[]; probs: number[] } {
  const n = x.length;
  const sorted = [...x].sort((a, b) => a - b);
  const k = (n + 1) / 2; // the median is the k-th order statistic of the resample
  const cdf = (j: number): number => {
    // P(median ≤ x(j)) = P(at least k of n draws fall among the j smallest values)
    let s = 0;
    for (let i = k; i <= n; i++) s += choose(n, i) * (j / n) ** i * (1 - j / n) ** (n - i);
    return s;
  };
  const probs = sorted.map((_, j) => cdf(j + 1) - cdf(j));
  return { values: sorted, probs };
}

describe('bootstrapCi: Efron & Tibshirani (1993) worked examples', () => {
  it('Table 2.1, mouse treatment group: mean 86.86, bootstrap SE of the mean → 23.36 as B → ∞', () => {
    const r = bootstrapCi([mouseTreatment], ([t]) => meanOf(t!), { resamples: 20000, rng: createRng(1) });
    expect(r.estimate).toBeCloseTo(86.86, 2);
    // ideal bootstrap SE of a mean is the plug-in SD / √n = 23.36 (E&T eq. 6.7 and Table 2.1, B = ∞)
    expect(Math.abs(r.standardError - 23.36) / 23.36).toBeLessThan(0.02);
  });

  it('Table 2.1, mouse treatment group: bootstrap SE of the median → 37.83 as B → ∞; the percentile interval equals the ideal-bootstrap quantiles', () => {
    const ideal = idealBootstrapMedian(mouseTreatment);
    const m = ideal.values.reduce((s, v, i) => s + v * ideal.probs[i]!, 0);
    const idealSe = Math.sqrt(ideal.values.reduce((s, v, i) => s + (v - m) ** 2 * ideal.probs[i]!, 0));
    expect(idealSe).toBeCloseTo(37.83, 2); // independent check of the published B = ∞ value
    const r = bootstrapCi([mouseTreatment], ([t]) => median(t!), { resamples: 20000, rng: createRng(2) });
    expect(r.estimate).toBe(94);
    expect(Math.abs(r.standardError - 37.83) / 37.83).toBeLessThan(0.03);
    // Ideal 2.5 % / 97.5 % quantiles: P(median ≤ 16) = 0.010, P(≤ 23) = 0.108 → 23; P(≤ 99) = 0.892, P(≤ 141) = 0.990 → 141
    expect(r.lower).toBe(23);
    expect(r.upper).toBe(141);
  });

  it('Table 2.1, difference of means treatment - control: estimate 30.63 with SE near √(23.36² + SE_control²), groups resampled independently', () => {
    const r = bootstrapCi([mouseTreatment, mouseControl], ([t, c]) => meanOf(t!) - meanOf(c!), {
      resamples: 20000,
      rng: createRng(3),
    });
    expect(r.estimate).toBeCloseTo(30.63, 2);
    const plugInSe = (g: number[]): number =>
      Math.sqrt(g.reduce((s, v) => s + (v - meanOf(g)) ** 2, 0) / g.length ** 2);
    const ideal = Math.hypot(plugInSe(mouseTreatment), plugInSe(mouseControl));
    expect(Math.abs(r.standardError - ideal) / ideal).toBeLessThan(0.02);
    expect(r.lower).toBeLessThan(r.estimate);
    expect(r.upper).toBeGreaterThan(r.estimate);
  });
});

describe('pairedBootstrapCi', () => {
  it('E&T law school data: correlation estimate .776, pairs resampled together (SE in the range E&T report, about .13)', () => {
    const r = pairedBootstrapCi([lsat, gpa], ([a, g]) => correlation(a!, g!), {
      resamples: 4000,
      rng: createRng(4),
    });
    expect(r.estimate).toBeCloseTo(0.776, 3);
    expect(r.standardError).toBeGreaterThan(0.1);
    expect(r.standardError).toBeLessThan(0.17);
    expect(r.upper).toBeLessThanOrEqual(1);
  });

  it('the ideal paired-bootstrap SE of a mean difference equals the plug-in SD of the differences / √n', () => {
    const baseline = [101, 98, 105, 99, 110, 97, 103, 100, 96, 104];
    const candidate = [108, 99, 112, 104, 118, 97, 111, 105, 98, 113];
    const d = candidate.map((v, i) => v - baseline[i]!);
    const md = meanOf(d);
    const ideal = Math.sqrt(d.reduce((s, v) => s + (v - md) ** 2, 0)) / d.length;
    const r = pairedBootstrapCi([baseline, candidate], ([b, c]) => meanOf(c!) - meanOf(b!), {
      resamples: 20000,
      rng: createRng(5),
    });
    expect(r.estimate).toBeCloseTo(md, 12);
    expect(Math.abs(r.standardError - ideal) / ideal).toBeLessThan(0.02);
  });

  it('draws the same indices as bootstrapCi on the differences (same seed → same replicates)', () => {
    const b = [10, 12, 9, 14, 11];
    const c = [11, 15, 9, 16, 12];
    const d = c.map((v, i) => v - b[i]!);
    const paired = pairedBootstrapCi([b, c], ([x, y]) => meanOf(y!) - meanOf(x!), {
      resamples: 500,
      rng: createRng(9),
    });
    const single = bootstrapCi([d], ([x]) => meanOf(x!), { resamples: 500, rng: createRng(9) });
    expect(paired.lower).toBeCloseTo(single.lower, 12);
    expect(paired.upper).toBeCloseTo(single.upper, 12);
    expect(paired.standardError).toBeCloseTo(single.standardError, 12);
  });

  it('rejects groups of different lengths', () => {
    expect(() =>
      pairedBootstrapCi(
        [
          [1, 2, 3],
          [1, 2],
        ],
        () => 0,
        { rng: createRng(1) },
      ),
    ).toThrow(/same length/);
  });
});

describe('bootstrap: determinism and validation', () => {
  it('is reproducible from the seed and changes with it; defaults to 2000 resamples at 95 %', () => {
    const stat = ([t]: number[][]): number => median(t!);
    const a = bootstrapCi([mouseControl], stat, { rng: createRng(123) });
    const b = bootstrapCi([mouseControl], stat, { rng: createRng(123) });
    const c = bootstrapCi([mouseControl], (g) => meanOf(g[0]!), { rng: createRng(124) });
    const d = bootstrapCi([mouseControl], (g) => meanOf(g[0]!), { rng: createRng(125) });
    expect(a).toEqual(b);
    expect(a.resamples).toBe(2000);
    expect(c.standardError).not.toBe(d.standardError);
  });

  it('narrows with lower confidence', () => {
    const stat = (g: number[][]): number => meanOf(g[0]!);
    const wide = bootstrapCi([mouseControl], stat, { confidence: 0.99, rng: createRng(7) });
    const narrow = bootstrapCi([mouseControl], stat, { confidence: 0.8, rng: createRng(7) });
    expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower);
  });

  it('rejects missing rng, empty or non-finite groups, bad options, and a non-finite statistic', () => {
    const stat = (g: number[][]): number => meanOf(g[0]!);
    // @ts-expect-error rng is required on purpose
    expect(() => bootstrapCi([[1, 2]], stat, {})).toThrow(/rng/);
    expect(() => bootstrapCi([], stat, { rng: createRng(1) })).toThrow(RangeError);
    expect(() => bootstrapCi([[]], stat, { rng: createRng(1) })).toThrow(RangeError);
    expect(() => bootstrapCi([[1, Number.NaN]], stat, { rng: createRng(1) })).toThrow(RangeError);
    expect(() => bootstrapCi([[1, 2]], stat, { rng: createRng(1), resamples: 1 })).toThrow(RangeError);
    expect(() => bootstrapCi([[1, 2]], stat, { rng: createRng(1), confidence: 1 })).toThrow(RangeError);
    expect(() => bootstrapCi([[1, 2]], () => Number.NaN, { rng: createRng(1) })).toThrow(/finite/);
    expect(() => bootstrapCi([[1, 2]], stat, { rng: () => 1 })).toThrow(RangeError);
  });
});
