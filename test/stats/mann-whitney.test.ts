import { describe, it, expect } from 'vitest';
import {
  mannWhitneyCdf,
  mannWhitneyMinP,
  mannWhitneyQuantile,
  mannWhitneyU,
} from '../../src/stats/mann-whitney.ts';
import { normalQuantile } from '../../src/stats/normal.ts';
import { createRng } from '../../src/stats/rng.ts';
import type { Alt } from './brute-force.ts';
import { binomialBand, choose, enumeratedP, enumerateU, normalDraw, pairCountU } from './brute-force.ts';

// Hollander & Wolfe (1973) p. 69f, as in R ?wilcox.test: permeability constants of the human chorioamnion at
// term (x) and at 12-26 weeks gestational age (y).
const term = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const early = [1.15, 0.88, 0.9, 0.74, 1.21];
// scipy.stats.mannwhitneyu docs (after Conover): age at type II diabetes diagnosis.
const males = [19, 22, 16, 29, 24];
const females = [20, 11, 17, 12];
// R's airquality data, Ozone for May (Month 5) and August (Month 8), NAs removed (26 values each).
const mayOzone = [
  41, 36, 12, 18, 28, 23, 19, 8, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11, 4, 32, 23, 45, 115, 37,
];
const augOzone = [
  39, 9, 16, 78, 35, 66, 122, 89, 110, 44, 28, 65, 22, 59, 23, 31, 44, 21, 9, 45, 168, 73, 76, 118, 84, 85,
];

describe('mannWhitneyU: published examples', () => {
  it('R ?wilcox.test (H&W 1973, chorioamnion): W = 35, exact greater p = 0.1272, two-sided 0.2544; H&W large-sample (exact=FALSE, correct=FALSE) p = 0.1103', () => {
    const greater = mannWhitneyU(term, early, { alternative: 'greater' });
    expect(greater.u).toBe(35);
    expect(greater.method).toBe('exact');
    expect(greater.p).toBeCloseTo(0.1272, 4);
    const two = mannWhitneyU(term, early);
    expect(two.p).toBeCloseTo(0.2544, 4);
    const normal = mannWhitneyU(term, early, { alternative: 'greater', method: 'normal', continuity: false });
    expect(normal.method).toBe('normal');
    expect(normal.p).toBeCloseTo(0.1103, 4);
  });

  it('scipy mannwhitneyu docs: males vs females U = 17, exact p = 0.1111111111111111, asymptotic p = 0.11134688653314041 (0.0864107329737 without continuity); females "less" U = 3, p = 0.05555555555555555', () => {
    const exact = mannWhitneyU(males, females, { method: 'exact' });
    expect(exact.u).toBe(17);
    expect(exact.p).toBeCloseTo(0.1111111111111111, 14);
    const asym = mannWhitneyU(males, females, { method: 'normal' });
    expect(asym.p).toBeCloseTo(0.11134688653314041, 13);
    const asymNoCc = mannWhitneyU(males, females, { method: 'normal', continuity: false });
    expect(asymNoCc.p).toBeCloseTo(0.0864107329737, 12);
    const less = mannWhitneyU(females, males, { alternative: 'less', method: 'exact' });
    expect(less.u).toBe(3);
    expect(less.p).toBeCloseTo(0.05555555555555555, 14);
  });

  it('R ?wilcox.test formula example: wilcox.test(Ozone ~ Month, airquality, subset = Month %in% c(5, 8)) → W = 127.5, p-value = 0.0001208 (ties, normal approximation with continuity correction)', () => {
    const r = mannWhitneyU(mayOzone, augOzone);
    expect(r.u).toBe(127.5);
    expect(r.method).toBe('normal'); // ties force the normal approximation, as R warns
    expect(r.p).toBeCloseTo(0.0001208, 7);
  });

  it('minimum two-sided p-values equal benchstat uTestMinP for n = m (3: 0.10, 4: 0.0286, 5: 0.0079, 6: 0.0022, 7: 0.00058, 8: 0.00016)', () => {
    const table: [number, number][] = [
      [3, 0.1],
      [4, 0.0286],
      [5, 0.0079],
      [6, 0.0022],
      [7, 0.00058],
      [8, 0.00016],
    ];
    for (const [n, minP] of table) {
      expect(Math.abs(mannWhitneyMinP(n, n) - minP) / minP).toBeLessThan(0.03);
      expect(mannWhitneyMinP(n, n)).toBeCloseTo(2 / choose(2 * n, n), 15);
      // and it is attained by completely separated samples
      const x = Array.from({ length: n }, (_, i) => i);
      const y = x.map((v) => v + 100);
      expect(mannWhitneyU(x, y).p).toBeCloseTo(mannWhitneyMinP(n, n), 15);
    }
    expect(mannWhitneyMinP(1, 1)).toBe(1);
  });
});

describe('mannWhitneyU: exact p-values against full enumeration of relabellings', () => {
  it('matches brute-force enumeration for random untied samples of sizes up to 6 + 7', () => {
    const rng = createRng(7);
    const alts: Alt[] = ['two-sided', 'less', 'greater'];
    for (let trial = 0; trial < 12; trial++) {
      const nX = 1 + Math.floor(rng() * 6);
      const nY = 1 + Math.floor(rng() * 7);
      const x = Array.from({ length: nX }, () => rng() * 10 + (trial % 3));
      const y = Array.from({ length: nY }, () => rng() * 10);
      const null_ = enumerateU(x, y);
      const u = pairCountU(x, y);
      for (const alternative of alts) {
        const r = mannWhitneyU(x, y, { alternative });
        expect(r.u).toBe(u);
        expect(r.method).toBe('exact');
        expect(r.p).toBeCloseTo(enumeratedP(u, null_, (nX * nY) / 2, alternative), 12);
      }
    }
  });

  it('mannWhitneyCdf and mannWhitneyQuantile agree with the enumerated null distribution (sizes 4 and 6)', () => {
    const null_ = enumerateU([0, 1, 2, 3], [4, 5, 6, 7, 8, 9]);
    for (let u = -1; u <= 25; u++) {
      const ref = null_.filter((v) => v <= u).length / null_.length;
      expect(mannWhitneyCdf(u, 4, 6)).toBeCloseTo(ref, 14);
      expect(mannWhitneyCdf(u, 6, 4)).toBeCloseTo(ref, 14);
    }
    for (const p of [0.001, 0.025, 0.5, 0.975]) {
      const q = mannWhitneyQuantile(p, 4, 6);
      expect(mannWhitneyCdf(q, 4, 6)).toBeGreaterThanOrEqual(p - 1e-12);
      if (q > 0) expect(mannWhitneyCdf(q - 1, 4, 6)).toBeLessThan(p);
    }
  });

  it('keeps far-tail exact probabilities accurate at n = 50 + 50: P(U ≤ 0) = 1 / C(100, 50)', () => {
    expect(mannWhitneyCdf(0, 50, 50) * choose(100, 50)).toBeCloseTo(1, 10);
    expect(mannWhitneyCdf(1250, 50, 50)).toBeGreaterThan(0.5);
  });
});

describe('mannWhitneyU: properties', () => {
  it('swapping x and y maps U to nX·nY - U and swaps the one-sided p-values', () => {
    for (const [x, y] of [
      [term, early],
      [males, females],
      [mayOzone, augOzone],
    ] as const) {
      const a = mannWhitneyU(x, y, { alternative: 'less' });
      const b = mannWhitneyU(y, x, { alternative: 'greater' });
      expect(b.u).toBe(x.length * y.length - a.u);
      expect(b.p).toBeCloseTo(a.p, 14);
      expect(mannWhitneyU(y, x).p).toBeCloseTo(mannWhitneyU(x, y).p, 14);
    }
  });

  it('is invariant to any strictly increasing transformation of the data (e.g. a log or 3x + 7)', () => {
    const base = mannWhitneyU(term, early, { alternative: 'greater' });
    for (const f of [(v: number) => 3 * v + 7, Math.log, (v: number) => v ** 3]) {
      const r = mannWhitneyU(term.map(f), early.map(f), { alternative: 'greater' });
      expect(r.u).toBe(base.u);
      expect(r.p).toBe(base.p);
    }
  });

  it('auto uses exact up to 50 per sample and the normal approximation above; the two agree closely at n = 50', () => {
    const rng = createRng(99);
    const x = Array.from({ length: 50 }, () => rng());
    const y = Array.from({ length: 50 }, () => rng() + 0.1);
    const exact = mannWhitneyU(x, y);
    const normal = mannWhitneyU(x, y, { method: 'normal' });
    expect(exact.method).toBe('exact');
    expect(Math.abs(exact.p - normal.p)).toBeLessThan(0.005);
    expect(mannWhitneyU([...x, 2], y).method).toBe('normal');
  });

  it('falls back to the normal approximation when ties make the exact method unavailable (as R)', () => {
    const r = mannWhitneyU([1, 2, 2, 3], [2, 4, 5], { method: 'exact' });
    expect(r.method).toBe('normal');
    expect(r.u).toBe(pairCountU([1, 2, 2, 3], [2, 4, 5]));
  });

  it('falls back to the normal approximation when nX·nY exceeds the exact limit; the exact CDF refuses such sizes', () => {
    const x = Array.from({ length: 101 }, (_, i) => i);
    const y = Array.from({ length: 100 }, (_, i) => i + 0.5);
    expect(mannWhitneyU(x, y, { method: 'exact' }).method).toBe('normal');
    expect(() => mannWhitneyCdf(10, 101, 100)).toThrow(/limited/);
  });

  it('returns p = 1 when every observation is identical (no evidence of a shift, never NaN)', () => {
    const r = mannWhitneyU([5, 5, 5], [5, 5]);
    expect(r.p).toBe(1);
    expect(r.u).toBe(3);
  });

  it('is valid under the null: the exact size at 0.05 is ≤ 0.05 and the simulated rejection rate matches it (2000 seeded draws, 8 vs 8)', () => {
    const rng = createRng(314159);
    const sims = 2000;
    let rejections = 0;
    let belowHalf = 0;
    for (let s = 0; s < sims; s++) {
      const x = Array.from({ length: 8 }, () => normalDraw(rng, normalQuantile));
      const y = Array.from({ length: 8 }, () => normalDraw(rng, normalQuantile));
      const p = mannWhitneyU(x, y).p;
      if (p <= 0.05) rejections++;
      if (p <= 0.5) belowHalf++;
    }
    // The exact test is discrete: its true size is P(p ≤ 0.05) summed over the null distribution of U.
    let size = 0;
    for (let u = 0; u <= 64; u++) {
      const pu = Math.min(1, 2 * Math.min(mannWhitneyCdf(u, 8, 8), 1 - mannWhitneyCdf(u - 1, 8, 8)));
      if (pu <= 0.05) size += mannWhitneyCdf(u, 8, 8) - mannWhitneyCdf(u - 1, 8, 8);
    }
    expect(size).toBeLessThanOrEqual(0.05);
    expect(size).toBeGreaterThan(0.04);
    const band = binomialBand(sims, size);
    expect(rejections / sims).toBeGreaterThan(band.lo);
    expect(rejections / sims).toBeLessThan(band.hi);
    expect(belowHalf / sims).toBeLessThan(0.5 + 4 * Math.sqrt(0.25 / sims));
  });
});

describe('mannWhitneyU: input validation', () => {
  it('rejects empty samples, non-finite values and unknown options', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
    expect(() => mannWhitneyU([1, Number.NaN], [1])).toThrow(RangeError);
    expect(() => mannWhitneyU([1, -Infinity], [1])).toThrow(RangeError);
    // @ts-expect-error invalid method on purpose
    expect(() => mannWhitneyU([1], [2], { method: 'fast' })).toThrow(RangeError);
    // @ts-expect-error invalid alternative on purpose
    expect(() => mannWhitneyU([1], [2], { alternative: 'up' })).toThrow(RangeError);
    expect(() => mannWhitneyMinP(0, 3)).toThrow(RangeError);
    expect(() => mannWhitneyCdf(Number.NaN, 3, 3)).toThrow(RangeError);
    expect(() => mannWhitneyQuantile(2, 3, 3)).toThrow(RangeError);
  });
});
