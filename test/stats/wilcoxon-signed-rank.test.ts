import { describe, it, expect } from 'vitest';
import {
  signedRankCdf,
  signedRankMinP,
  signedRankQuantile,
  wilcoxonSignedRank,
} from '../../src/stats/wilcoxon-signed-rank.ts';
import { normalCdf, normalQuantile } from '../../src/stats/normal.ts';
import { midranks } from '../../src/stats/mann-whitney.ts';
import { createRng } from '../../src/stats/rng.ts';
import type { Alt } from './brute-force.ts';
import { binomialBand, enumeratedP, enumerateV, normalDraw, signedRankV } from './brute-force.ts';

// Hollander & Wolfe (1973) p. 29f, as in R ?wilcox.test: Hamilton depression scale factor IV at the first (x)
// and second (y) visit after a tranquilizer.
const hamX = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
const hamY = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
const hamD = hamX.map((v, i) => v - hamY[i]!);
// scipy.stats.wilcoxon docs: Darwin's cross- minus self-fertilized Zea mays heights (Fisher, Design of Experiments).
const corn = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
// R's sleep data: drug 1 minus drug 2, paired by patient (has a zero and ties).
const sleep1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const sleep2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
const sleepD = sleep1.map((v, i) => v - sleep2[i]!);

describe('wilcoxonSignedRank: published examples', () => {
  it('R ?wilcox.test depression data: paired two-sided V = 40, p = 0.03906; "greater" p = 0.01953; y - x "less" V = 5, p = 0.01953', () => {
    const two = wilcoxonSignedRank(hamD);
    expect(two.v).toBe(40);
    expect(two.method).toBe('exact');
    expect(two.p).toBeCloseTo(0.03906, 5);
    expect(wilcoxonSignedRank(hamD, { alternative: 'greater' }).p).toBeCloseTo(0.01953, 5);
    const less = wilcoxonSignedRank(
      hamD.map((v) => -v),
      { alternative: 'less' },
    );
    expect(less.v).toBe(5);
    expect(less.p).toBeCloseTo(0.01953, 5);
  });

  it('R ?wilcox.test H&W large-sample approximation: wilcox.test(y - x, alternative = "less", exact = FALSE, correct = FALSE) → p-value = 0.01908', () => {
    const r = wilcoxonSignedRank(
      hamD.map((v) => -v),
      { alternative: 'less', method: 'normal', continuity: false },
    );
    expect(r.method).toBe('normal');
    expect(r.p).toBeCloseTo(0.01908, 5);
  });

  it('R wilcox.test one-sample runs: x with mu = 1.6 → V = 29, p = 0.4961; mu = 3, "greater" → V = 1, p = 0.998', () => {
    const a = wilcoxonSignedRank(hamX.map((v) => v - 1.6));
    expect(a.v).toBe(29);
    expect(a.p).toBeCloseTo(0.4961, 4);
    const b = wilcoxonSignedRank(
      hamX.map((v) => v - 3),
      { alternative: 'greater' },
    );
    expect(b.v).toBe(1);
    expect(b.p).toBeCloseTo(0.998, 3);
  });

  it('scipy wilcoxon docs (Darwin corn): exact two-sided p = 0.041259765625, "greater" V = 96, p = 0.0206298828125; asymptotic (no continuity) p = 0.04088813291185591', () => {
    const two = wilcoxonSignedRank(corn);
    expect(two.v).toBe(96);
    expect(two.p).toBe(0.041259765625);
    expect(wilcoxonSignedRank(corn, { alternative: 'greater' }).p).toBe(0.0206298828125);
    const asym = wilcoxonSignedRank(corn, { method: 'normal', continuity: false });
    expect(asym.p).toBeCloseTo(0.04088813291185591, 14);
  });

  it('R: wilcox.test(extra ~ group, data = sleep, paired = TRUE) with a zero and ties → V = 0, p-value = 0.009091', () => {
    const r = wilcoxonSignedRank(sleepD);
    expect(r.v).toBe(0);
    expect(r.zeros).toBe(1);
    expect(r.n).toBe(9);
    expect(r.method).toBe('normal');
    expect(r.p).toBeCloseTo(0.009091, 6);
  });

  it('Wilcoxon (1945) paired data: T+ = 33, T- = 3 for n = 8, exact two-sided p = 2·5/256', () => {
    const a = [209, 200, 177, 169, 159, 169, 187, 198];
    const b = [151, 168, 147, 164, 166, 163, 176, 188];
    const r = wilcoxonSignedRank(a.map((v, i) => v - b[i]!));
    expect(r.v).toBe(33);
    expect((r.n * (r.n + 1)) / 2 - r.v).toBe(3);
    expect(r.p).toBe(10 / 256);
  });

  it('signedRankMinP(n) = 2/2ⁿ: 10 pairs give 0.001953 < 0.05/25 (the reference design note)', () => {
    expect(signedRankMinP(10)).toBe(2 / 1024);
    expect(signedRankMinP(10)).toBeLessThan(0.05 / 25);
    expect(signedRankMinP(9)).toBeGreaterThan(0.05 / 25);
    expect(signedRankMinP(0)).toBe(1);
    expect(signedRankMinP(1)).toBe(1);
    // attained when every difference has the same sign
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).p).toBe(signedRankMinP(10));
  });
});

describe('wilcoxonSignedRank: exact p-values against enumeration of all 2ⁿ sign patterns', () => {
  it('matches brute force for random untied differences, n = 1..12, all alternatives', () => {
    const rng = createRng(11);
    const alts: Alt[] = ['two-sided', 'less', 'greater'];
    for (let n = 1; n <= 12; n++) {
      const d = Array.from({ length: n }, () => (rng() - 0.35) * 10);
      const v = signedRankV(d);
      const null_ = enumerateV(Array.from({ length: n }, (_, i) => i + 1));
      for (const alternative of alts) {
        const r = wilcoxonSignedRank(d, { alternative });
        expect(r.v).toBe(v);
        expect(r.method).toBe('exact');
        expect(r.p).toBeCloseTo(enumeratedP(v, null_, (n * (n + 1)) / 4, alternative), 14);
      }
    }
  });

  it('signedRankCdf / signedRankQuantile agree with the enumerated distribution (n = 10)', () => {
    const null_ = enumerateV(Array.from({ length: 10 }, (_, i) => i + 1));
    for (let v = -1; v <= 56; v++) {
      expect(signedRankCdf(v, 10)).toBe(null_.filter((s) => s <= v).length / 1024);
    }
    const q = signedRankQuantile(0.025, 10);
    expect(signedRankCdf(q, 10)).toBeGreaterThanOrEqual(0.025);
    expect(signedRankCdf(q - 1, 10)).toBeLessThan(0.025);
  });

  it('computes exact counts without rounding up to n = 50: P(V ≤ 0) = 2⁻⁵⁰', () => {
    expect(signedRankCdf(0, 50)).toBe(2 ** -50);
    // subsets of {1..50} with sum ≤ 5: {}, {1}, {2}, {3}, {1,2}, {4}, {1,3}, {5}, {1,4}, {2,3}
    expect(signedRankCdf(5, 50)).toBe(10 * 2 ** -50);
  });
});

describe('wilcoxonSignedRank: zeros, ties and the normal approximation', () => {
  it('the normal approximation uses the exact null mean and variance of V given the (mid)ranks, for both zero methods', () => {
    // Sign-flip null with fixed ranks r: E[V] = Σr/2, Var[V] = Σr²/4. Check z against that, by enumeration.
    const d = [0, 0, 1.5, -1.5, 2, 3, -4, 4, 5, 0.5];
    for (const zeroMethod of ['wilcox', 'pratt'] as const) {
      const ranked = zeroMethod === 'pratt' ? d : d.filter((v) => v !== 0);
      const { ranks } = midranks(ranked.map(Math.abs));
      const nz = ranks.filter((_, i) => ranked[i] !== 0);
      const null_ = enumerateV(nz);
      const mean = null_.reduce((a, b) => a + b, 0) / null_.length;
      const variance = null_.reduce((a, b) => a + (b - mean) ** 2, 0) / null_.length;
      const v = ranks.reduce((acc, r, i) => acc + (ranked[i]! > 0 ? r : 0), 0);
      const r = wilcoxonSignedRank(d, { zeroMethod, continuity: false });
      expect(r.v).toBe(v);
      expect(r.method).toBe('normal');
      expect(r.zeros).toBe(2);
      expect(r.z).toBeCloseTo((v - mean) / Math.sqrt(variance), 12);
      expect(r.p).toBeCloseTo(2 * normalCdf(-Math.abs((v - mean) / Math.sqrt(variance))), 12);
    }
  });

  it("Pratt equals Wilcox when there are no zeros; 'wilcox' drops zeros from n", () => {
    expect(wilcoxonSignedRank(corn, { zeroMethod: 'pratt' })).toEqual(wilcoxonSignedRank(corn));
    const r = wilcoxonSignedRank([0, 0, 1, 2, -3]);
    expect(r.n).toBe(3);
    expect(r.zeros).toBe(2);
  });

  it('returns v = 0, p = 1 when every difference is zero (no information), never NaN', () => {
    const r = wilcoxonSignedRank([0, 0, 0]);
    expect(r).toMatchObject({ v: 0, p: 1, n: 0, zeros: 3 });
  });

  it("method 'exact' falls back to the normal approximation above n = 1000, where the exact CDF refuses", () => {
    const d = Array.from({ length: 1001 }, (_, i) => (i % 2 ? 1 : -1) * (i + 1));
    expect(wilcoxonSignedRank(d, { method: 'exact' }).method).toBe('normal');
    expect(() => signedRankCdf(3, 1001)).toThrow(/limited/);
  });

  it("method 'exact' falls back to the normal approximation with ties or zeros, as R", () => {
    expect(wilcoxonSignedRank([1, 1, 2, 3], { method: 'exact' }).method).toBe('normal');
    expect(wilcoxonSignedRank([0, 1, 2, 3], { method: 'exact' }).method).toBe('normal');
    expect(wilcoxonSignedRank([1, 2, 3], { method: 'normal' }).method).toBe('normal');
  });
});

describe('wilcoxonSignedRank: properties', () => {
  it('negating d maps V to n(n+1)/2 - V and swaps the one-sided p-values', () => {
    for (const d of [hamD, corn]) {
      const a = wilcoxonSignedRank(d, { alternative: 'less' });
      const b = wilcoxonSignedRank(
        d.map((v) => -v),
        { alternative: 'greater' },
      );
      expect(b.v).toBe((a.n * (a.n + 1)) / 2 - a.v);
      expect(b.p).toBeCloseTo(a.p, 15);
    }
  });

  it('is invariant to positive rescaling of the differences (e.g. ms → s)', () => {
    const r = wilcoxonSignedRank(corn.map((v) => v / 1000));
    expect(r).toEqual(wilcoxonSignedRank(corn));
  });

  it('is valid under the null: simulated rejection rate equals the exact size at 0.05 (2000 draws, n = 10)', () => {
    const rng = createRng(2718);
    const sims = 2000;
    let rejections = 0;
    for (let s = 0; s < sims; s++) {
      const d = Array.from({ length: 10 }, () => normalDraw(rng, normalQuantile));
      if (wilcoxonSignedRank(d).p <= 0.05) rejections++;
    }
    let size = 0;
    for (let v = 0; v <= 55; v++) {
      const pv = Math.min(1, 2 * Math.min(signedRankCdf(v, 10), 1 - signedRankCdf(v - 1, 10)));
      if (pv <= 0.05) size += signedRankCdf(v, 10) - signedRankCdf(v - 1, 10);
    }
    expect(size).toBeLessThanOrEqual(0.05);
    const band = binomialBand(sims, size);
    expect(rejections / sims).toBeGreaterThan(band.lo);
    expect(rejections / sims).toBeLessThan(band.hi);
  });
});

describe('wilcoxonSignedRank: input validation', () => {
  it('rejects empty input, non-finite values and unknown options', () => {
    expect(() => wilcoxonSignedRank([])).toThrow(RangeError);
    expect(() => wilcoxonSignedRank([1, Number.NaN])).toThrow(RangeError);
    // @ts-expect-error invalid zero method on purpose
    expect(() => wilcoxonSignedRank([1, 2], { zeroMethod: 'zsplit' })).toThrow(RangeError);
    // @ts-expect-error invalid method on purpose
    expect(() => wilcoxonSignedRank([1, 2], { method: 'mc' })).toThrow(RangeError);
    expect(() => signedRankMinP(-1)).toThrow(RangeError);
    expect(() => signedRankMinP(2.5)).toThrow(RangeError);
  });
});
