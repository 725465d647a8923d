import { describe, it, expect } from 'vitest';
import { createRng, randomIndex } from '../../src/stats/rng.ts';

describe('createRng (xoshiro128** seeded by SplitMix32)', () => {
  it('is deterministic per seed and differs between nearby seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 100 }, () => a());
    const sb = Array.from({ length: 100 }, () => b());
    const sc = Array.from({ length: 100 }, () => c());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    expect(sa.filter((v, i) => v === sc[i])).toHaveLength(0);
  });

  it('returns values in [0, 1) with 32-bit resolution', () => {
    const r = createRng(0);
    for (let i = 0; i < 10000; i++) {
      const u = r();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      expect(Number.isInteger(u * 2 ** 32)).toBe(true);
    }
  });

  it('is uniform: chi-square over 20 bins and the mean/variance of 100 000 draws are within sampling error', () => {
    const r = createRng(123456789);
    const n = 100000;
    const bins = new Array<number>(20).fill(0);
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const u = r();
      bins[Math.floor(u * 20)]!++;
      sum += u;
      sumSq += u * u;
    }
    const expected = n / 20;
    const chi2 = bins.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(43.8); // 99.9th percentile of χ² with 19 df
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sumSq / n - sum ** 2 / n ** 2 - 1 / 12)).toBeLessThan(0.002);
  });

  it('has no lag-1 correlation between consecutive draws', () => {
    const r = createRng(7);
    const n = 50000;
    let prev = r();
    let s = 0;
    for (let i = 0; i < n; i++) {
      const u = r();
      s += (prev - 0.5) * (u - 0.5);
      prev = u;
    }
    const corr = s / n / (1 / 12);
    expect(Math.abs(corr)).toBeLessThan(4 / Math.sqrt(n));
  });

  it('accepts any finite seed (negative, fractional, large) and rejects non-finite seeds', () => {
    expect(() => createRng(-5)()).not.toThrow();
    expect(createRng(3.9)()).toBe(createRng(3)());
    expect(() => createRng(2 ** 40)()).not.toThrow();
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
    expect(() => createRng(Infinity)).toThrow(RangeError);
  });
});

describe('randomIndex', () => {
  it('returns integers in [0, n) covering every value', () => {
    const r = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const k = randomIndex(r, 7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
      seen.add(k);
    }
    expect(seen.size).toBe(7);
  });

  it('rejects a bad n and an rng returning values outside [0, 1)', () => {
    expect(() => randomIndex(createRng(1), 0)).toThrow(RangeError);
    expect(() => randomIndex(createRng(1), 2.5)).toThrow(RangeError);
    expect(() => randomIndex(() => 1, 3)).toThrow(RangeError);
    expect(() => randomIndex(() => Number.NaN, 3)).toThrow(RangeError);
  });
});
