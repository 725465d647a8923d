import { describe, it, expect } from 'vitest';
import {
  logBeta,
  logGamma,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
} from '../../src/stats/student-t.ts';
import { normalCdf, normalQuantile } from '../../src/stats/normal.ts';
import { binomialUpperTail } from './brute-force.ts';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('logGamma', () => {
  it('matches log((n-1)!) computed by summing logs, for n = 1..60', () => {
    let logFactorial = 0; // log((n-1)!)
    for (let n = 1; n <= 60; n++) {
      if (n > 1) logFactorial += Math.log(n - 1);
      expect(Math.abs(logGamma(n) - logFactorial)).toBeLessThan(1e-13 * Math.max(1, logFactorial));
    }
  });

  it('matches the classical constants Γ(1/2) = √π, Γ(1/3) = 2.678938534707747633, Γ(1/4) = 3.625609908221908311 (A&S 6.1.8, 6.1.10–11)', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(1 / 3)).toBeCloseTo(Math.log(2.6789385347077475), 14);
    expect(logGamma(0.25)).toBeCloseTo(Math.log(3.625609908221908), 14);
  });

  it('matches Γ(n + 1/2) = (2n)! √π / (4ⁿ n!) (A&S 6.1.12) for n up to 40', () => {
    for (let n = 1; n <= 40; n++) {
      let ref = 0.5 * Math.log(Math.PI) - n * Math.log(4);
      for (let k = n + 1; k <= 2 * n; k++) ref += Math.log(k); // (2n)!/n!
      expect(Math.abs(logGamma(n + 0.5) - ref)).toBeLessThan(1e-13 * Math.max(1, Math.abs(ref)));
    }
  });

  it('rejects non-positive and non-finite arguments', () => {
    for (const bad of [0, -1, Number.NaN, Infinity]) expect(() => logGamma(bad)).toThrow(RangeError);
  });
});

describe('logBeta', () => {
  it('equals log Γ(a) + log Γ(b) - log Γ(a+b), including the large-argument branches', () => {
    const cases: [number, number][] = [
      [0.5, 0.5],
      [2, 3],
      [3.5, 12],
      [15, 20.5],
      [0.5, 400],
    ];
    for (const [a, b] of cases) {
      const ref = logGamma(a) + logGamma(b) - logGamma(a + b);
      expect(Math.abs(logBeta(a, b) - ref)).toBeLessThan(1e-11 * Math.max(1, Math.abs(ref)));
    }
    // B(1, b) = 1/b exactly
    expect(logBeta(1, 1e6)).toBeCloseTo(-Math.log(1e6), 10);
  });
});

describe('regularizedIncompleteBeta', () => {
  it('equals the binomial upper tail: I_p(k, n-k+1) = P(Bin(n, p) ≥ k) (A&S 26.5.24), by direct summation', () => {
    for (const n of [1, 5, 12, 30]) {
      for (const p of [0.01, 0.2, 0.5, 0.77, 0.99]) {
        for (let k = 1; k <= n; k++) {
          const ref = binomialUpperTail(n, p, k);
          expect(Math.abs(regularizedIncompleteBeta(p, k, n - k + 1) - ref)).toBeLessThan(1e-13);
        }
      }
    }
  });

  it('satisfies the closed forms I_x(a, 1) = x^a, I_x(1, b) = 1 - (1-x)^b and I_½(a, a) = ½', () => {
    for (const x of [0.001, 0.3, 0.9]) {
      for (const a of [0.5, 2.5, 40]) {
        expect(rel(regularizedIncompleteBeta(x, a, 1), Math.pow(x, a))).toBeLessThan(1e-13);
        expect(regularizedIncompleteBeta(x, 1, a)).toBeCloseTo(1 - Math.pow(1 - x, a), 14);
        expect(regularizedIncompleteBeta(0.5, a, a)).toBeCloseTo(0.5, 14);
      }
    }
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it('satisfies the reflection I_x(a, b) = 1 - I_{1-x}(b, a)', () => {
    for (const [x, a, b] of [
      [0.3, 2.5, 7.1],
      [0.8, 0.5, 30],
      [0.05, 100, 3],
    ] as const) {
      expect(regularizedIncompleteBeta(x, a, b) + regularizedIncompleteBeta(1 - x, b, a)).toBeCloseTo(1, 13);
    }
  });

  it('rejects x outside [0, 1] and non-positive parameters', () => {
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(RangeError);
    expect(() => regularizedIncompleteBeta(Number.NaN, 1, 1)).toThrow(RangeError);
  });
});

describe('studentTQuantile', () => {
  it('matches the NIST/SEMATECH e-Handbook table of t critical values (§1.3.6.7.2, 3 decimals)', () => {
    // (upper-tail probability α, df, t_{1-α, df})
    const table: [number, number, number][] = [
      [0.025, 1, 12.706],
      [0.025, 2, 4.303],
      [0.025, 5, 2.571],
      [0.025, 10, 2.228],
      [0.025, 30, 2.042],
      [0.025, 100, 1.984],
      [0.05, 10, 1.812],
      [0.005, 2, 9.925],
      [0.005, 10, 3.169],
      [0.001, 5, 5.893],
    ];
    for (const [alpha, df, t] of table) {
      expect(studentTQuantile(1 - alpha, df)).toBeCloseTo(t, 3);
      expect(studentTQuantile(alpha, df)).toBeCloseTo(-t, 3);
    }
  });

  it('matches the closed forms for df = 1 (Cauchy: tan(π(p - ½)) = -cot(πp)) and df = 2 ((2p-1)/√(2p(1-p)))', () => {
    for (const p of [1e-8, 0.001, 0.1, 0.3, 0.7, 0.975, 0.999]) {
      // -cot(πp) avoids the cancellation of tan near -π/2 for small p
      const cauchy = p < 0.5 ? -1 / Math.tan(Math.PI * p) : 1 / Math.tan(Math.PI * (1 - p));
      expect(rel(studentTQuantile(p, 1), cauchy)).toBeLessThan(1e-12);
      expect(rel(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)))).toBeLessThan(1e-12);
    }
  });

  it('inverts studentTCdf, including non-integer df and tiny tail probabilities', () => {
    for (const df of [0.7, 1.5, 3, 17.776, 250]) {
      for (const p of [1e-12, 1e-4, 0.025, 0.4, 0.6, 0.95]) {
        const t = studentTQuantile(p, df);
        expect(rel(studentTCdf(t, df), p)).toBeLessThan(1e-11);
      }
    }
  });

  it('tends to the normal quantile as df grows, and handles 0, ½, 1 and bad input', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(normalQuantile(0.975), 6);
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTQuantile(0, 3)).toBe(-Infinity);
    expect(studentTQuantile(1, 3)).toBe(Infinity);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(1.2, 3)).toThrow(RangeError);
  });
});

describe('studentTCdf', () => {
  it('matches the scipy.stats.ttest_ind docs example: t = -2.239334696520584, df = 7 → one-sided p = 0.030068441095757924', () => {
    expect(rel(studentTCdf(-2.239334696520584, 7), 0.030068441095757924)).toBeLessThan(1e-13);
  });

  it('matches the closed forms for df = 1 (½ + atan(t)/π) and df = 2 (½ + t/(2√(2+t²)))', () => {
    for (const t of [-1e6, -300, -12.706, -2, -0.3, 0.1, 1, 4.303, 50]) {
      const cauchyLower = t < 0 ? Math.atan(-1 / t) / Math.PI : 0.5 + Math.atan(t) / Math.PI;
      expect(rel(studentTCdf(t, 1), cauchyLower)).toBeLessThan(1e-12);
      // for t < 0, ½(1 - |t|/s) with s = √(2+t²) is rewritten as 1/(s(s+|t|)) to avoid cancellation
      const s = Math.sqrt(2 + t * t);
      const df2 = t < 0 ? 1 / (s * (s - t)) : 0.5 + t / (2 * s);
      expect(rel(studentTCdf(t, 2), df2)).toBeLessThan(1e-12);
    }
  });

  it('keeps full precision in the extreme tail where ν/(ν+t²) underflows (tail ~ K·|t|^-ν / ν as t → -∞)', () => {
    // f(t) ≈ K0 ν^((ν+1)/2) |t|^-(ν+1) for large |t|, K0 = Γ((ν+1)/2) / (√(νπ) Γ(ν/2)); integrate to -∞.
    for (const [t, df] of [
      [-1e300, 0.5],
      [-1e200, 0.01],
      [-1e100, 3],
    ] as const) {
      const logK0 = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
      const ref = Math.exp(logK0 + ((df + 1) / 2) * Math.log(df) - df * Math.log(-t) - Math.log(df));
      expect(rel(studentTCdf(t, df), ref)).toBeLessThan(1e-12);
    }
  });

  it('approaches the normal CDF for large df and equals it for df = Infinity', () => {
    expect(studentTCdf(-3, 1e8)).toBeCloseTo(normalCdf(-3), 9);
    expect(studentTCdf(1.5, Infinity)).toBe(normalCdf(1.5));
  });

  it('is symmetric, 0.5 at 0, and saturates at ±Infinity', () => {
    for (const [t, df] of [
      [1.3, 4],
      [7, 2.5],
      [0.01, 100],
    ] as const) {
      expect(studentTCdf(t, df) + studentTCdf(-t, df)).toBeCloseTo(1, 14);
    }
    expect(studentTCdf(0, 5)).toBe(0.5);
    expect(studentTCdf(-Infinity, 5)).toBe(0);
    expect(studentTCdf(Infinity, 5)).toBe(1);
  });

  it('rejects NaN and non-positive df', () => {
    expect(() => studentTCdf(Number.NaN, 3)).toThrow(RangeError);
    expect(() => studentTCdf(1, -2)).toThrow(RangeError);
    expect(() => studentTCdf(1, Number.NaN)).toThrow(RangeError);
  });
});

describe('studentTPdf', () => {
  it('integrates to the CDF (Simpson rule between two points) and matches the Cauchy density for df = 1', () => {
    const df = 3.5;
    const a = -1.2;
    const b = 2.7;
    const steps = 2000;
    const h = (b - a) / steps;
    let s = studentTPdf(a, df) + studentTPdf(b, df);
    for (let i = 1; i < steps; i++) s += (i % 2 === 1 ? 4 : 2) * studentTPdf(a + i * h, df);
    expect((s * h) / 3).toBeCloseTo(studentTCdf(b, df) - studentTCdf(a, df), 12);
    expect(studentTPdf(2, 1)).toBeCloseTo(1 / (Math.PI * 5), 15);
  });
});
