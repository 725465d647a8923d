import { describe, it, expect } from 'vitest';
import { normalCdf, normalPdf, normalQuantile } from '../../src/stats/normal.ts';
import { normalCdfBySeries, normalUpperTailByContinuedFraction } from './brute-force.ts';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('normalCdf', () => {
  it('matches the critical values of the NIST/SEMATECH e-Handbook (§1.3.6.7.1, 3 decimals)', () => {
    // Table of upper critical values of the standard normal: z_{0.10}=1.282, z_{0.05}=1.645,
    // z_{0.025}=1.960, z_{0.01}=2.326, z_{0.005}=2.576, z_{0.001}=3.090.
    const table: [number, number][] = [
      [0.9, 1.282],
      [0.95, 1.645],
      [0.975, 1.96],
      [0.99, 2.326],
      [0.995, 2.576],
      [0.999, 3.09],
    ];
    for (const [p, z] of table) expect(normalQuantile(p)).toBeCloseTo(z, 3);
  });

  it("matches R's printed pnorm/qnorm values (R: pnorm(1.96), pnorm(-8), pnorm(-37.5), qnorm(0.975))", () => {
    // R prints pnorm(1.96) = 0.9750021, pnorm(-8) = 6.220961e-16, pnorm(-37.5) = 4.605353e-308 and
    // qnorm(0.975) = 1.959964 (7 significant digits).
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 7);
    expect(rel(normalCdf(-8), 6.220961e-16)).toBeLessThan(1e-6);
    expect(rel(normalCdf(-37.5), 4.605353e-308)).toBeLessThan(1e-6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
  });

  it('agrees to 1e-13 relative with an independent series (|z| ≤ 3) and continued fraction (far tail)', () => {
    for (let z = -3; z <= 3; z += 0.125) {
      const ref = normalCdfBySeries(z);
      expect(rel(normalCdf(z), ref)).toBeLessThan(1e-13);
    }
    // Lower tail Φ(-z) = P(Z > z), down to the subnormal range.
    for (const z of [2, 2.5, 3, 4, 5, 5.657, 6, 8, 10, 15, 20, 30, 37]) {
      const ref = normalUpperTailByContinuedFraction(z);
      expect(rel(normalCdf(-z), ref)).toBeLessThan(1e-13);
    }
  });

  it('is symmetric, monotone and saturates correctly', () => {
    for (const z of [0.1, 0.6744, 0.7, 1, 2, 5.6, 5.7, 7]) {
      expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 15);
    }
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-40)).toBe(0);
    let prev = 0;
    for (let z = -10; z <= 10; z += 0.01) {
      const c = normalCdf(z);
      expect(c).toBeGreaterThanOrEqual(prev);
      prev = c;
    }
  });

  it('rejects NaN', () => {
    expect(() => normalCdf(Number.NaN)).toThrow(RangeError);
    expect(() => normalPdf(Number.NaN)).toThrow(RangeError);
  });
});

describe('normalQuantile', () => {
  it('inverts the (independently validated) normalCdf to 1e-14 relative in z, from p = 1e-300 to 1 - 2^-50', () => {
    const ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.025, 0.075, 0.2, 0.4, 0.5, 0.6, 0.925, 0.99];
    for (const p of ps) {
      const z = normalQuantile(p);
      if (p === 0.5) {
        expect(z).toBe(0);
        continue;
      }
      // One Newton step on the validated CDF gives the correction to z; it must be negligible.
      const correction = (normalCdf(z) - p) / normalPdf(z);
      expect(Math.abs(correction / z)).toBeLessThan(1e-14);
    }
    // Upper tail: 1 - 2^-50 is exact in binary, so Φ⁻¹(1 - 2^-50) = -Φ⁻¹(2^-50).
    expect(normalQuantile(1 - 2 ** -50)).toBeCloseTo(-normalQuantile(2 ** -50), 12);
  });

  it("matches R's printed qnorm(1e-300) = -37.04710 and qnorm(1e-10) = -6.361341", () => {
    expect(normalQuantile(1e-300)).toBeCloseTo(-37.0471, 4);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361341, 6);
  });

  it('returns infinities at 0 and 1 and rejects p outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    for (const bad of [-0.1, 1.1, Number.NaN]) expect(() => normalQuantile(bad)).toThrow(RangeError);
  });
});

describe('normalPdf', () => {
  it('is 1/√(2π) at 0 and matches exp(-z²/2)/√(2π)', () => {
    expect(normalPdf(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 16);
    for (const z of [-3, -1, 0.5, 2.2]) {
      expect(rel(normalPdf(z), Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI))).toBeLessThan(1e-14);
    }
    expect(normalPdf(Infinity)).toBe(0);
  });
});
