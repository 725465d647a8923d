import { describe, expect, it } from 'vitest';
import { digamma, pentagamma, tetragamma, trigamma, trigammaInverse } from '../../src/stats/polygamma.ts';
import {
  fitVariancePrior,
  moderateVariances,
  posteriorVariance,
  SPREAD_Z,
  varianceOutlierP,
} from '../../src/stats/moderated-variance.ts';
import { oneSampleTTestWithVariance, oneSampleTTest } from '../../src/stats/one-sample-t.ts';
import { meanDifference } from '../../src/stats/mean-difference.ts';

// Provenance: every reference value below was computed with scipy 1.17 (scipy.special.digamma/polygamma,
// scipy.stats.f and t, brentq for the inverse of trigamma) from the formulas of G. K. Smyth, Statistical
// Applications in Genetics and Molecular Biology 3 (2004), art. 3, §6.2 (e_g = log s² - ψ(d/2) + log(d/2);
// ψ'(d0/2) = Σ(e - ē)²/(G - 1) - mean ψ'(d/2); s0² = exp(ē + ψ(d0/2) - log(d0/2)); pooled s² when d0 = ∞),
// in an implementation written separately from this code (R and limma are not installed here).

describe('polygamma', () => {
  it.each([
    [0.05, -20.49784499129987, 401.53235734211506, -16002.108158021943],
    [0.5, -1.9635100260214235, 4.93480220054468, -16.828796644234316],
    [1, -0.5772156649015329, 1.6449340668482266, -2.404113806319188],
    [2.5, 0.7031566406452432, 0.4903577561002349, -0.23620405164172736],
    [7, 1.872784335098467, 0.15354517795933756, -0.023530472985855234],
    [12.3, 2.4683984003011386, 0.08469517024591638, -0.007169003173038323],
    [100, 4.600161852738088, 0.010050166663333573, -0.00010100499983335001],
  ])('x = %f: ψ, ψ′, ψ″ as scipy', (x, psi, psi1, psi2) => {
    expect(digamma(x)).toBeCloseTo(psi, 12);
    expect(trigamma(x) / psi1).toBeCloseTo(1, 11);
    expect(tetragamma(x) / psi2).toBeCloseTo(1, 11);
  });

  it('ψ‴ and the inverse of ψ′ as scipy', () => {
    const penta: Array<[number, number]> = [
      [0.5, 97.40909103400242],
      [1, 6.493939402266829],
      [2.5, 0.2239058488172521],
      [12.3, 0.0012129178351298368],
    ];
    for (const [x, v] of penta) expect(pentagamma(x) / v).toBeCloseTo(1, 11);
    const inverse: Array<[number, number]> = [
      [0.1, 10.491681821078421],
      [1.0, 1.4262551202150793],
      [1.6449340668482264, 1],
      [50, 0.14337981235286154],
    ];
    for (const [y, x] of inverse) expect(trigammaInverse(y)).toBeCloseTo(x, 9);
    expect(() => trigamma(0)).toThrow(/> 0/);
  });
});

describe('fitVariancePrior (Smyth 2004 §6.2, limma fitFDist)', () => {
  const variances = [0.2, 1.4, 0.8, 4.2, 0.5, 1.1, 0.3, 3.0];

  it('equal df: s0² = 0.802009, d0 = 3.620631 (scipy)', () => {
    const p = fitVariancePrior(variances.map((v) => ({ variance: v, df: 6 })));
    expect(p.variance).toBeCloseTo(0.802009365828737, 9);
    expect(p.df).toBeCloseTo(3.6206312316528515, 8);
    expect(p.series).toBe(8);
  });

  it('unequal df: s0² = 0.835052, d0 = 3.812998 (scipy)', () => {
    const df = [4, 6, 8, 3, 5, 7, 6, 9];
    const p = fitVariancePrior(variances.map((v, i) => ({ variance: v, df: df[i]! })));
    expect(p.variance).toBeCloseTo(0.8350522302681791, 9);
    expect(p.df).toBeCloseTo(3.8129983091526176, 8);
  });

  it('with the spread at its upper 95 % bound: d0 = 1.077373, s0² unchanged (scipy, same formula)', () => {
    // ν = 5.2489, Wilson-Hilferty bound 4.2118 (the exact chi-square bound, scipy chi2.ppf: 4.1564).
    const p = fitVariancePrior(
      variances.map((v) => ({ variance: v, df: 6 })),
      SPREAD_Z,
    );
    expect(p.df).toBeCloseTo(1.0773726088025348, 8);
    expect(p.variance).toBeCloseTo(0.802009365828737, 9);
  });

  it('no spread beyond sampling noise: d0 = ∞ and the pooled variance (limma since 2017)', () => {
    const p = fitVariancePrior([1.0, 1.1, 0.9, 1.05].map((v) => ({ variance: v, df: 4 })));
    expect(p.df).toBe(Infinity);
    expect(p.variance).toBeCloseTo(1.0125, 12);
  });

  it('posterior (d0 s0² + d s²)/(d0 + d) and the F outlier p (scipy)', () => {
    const prior = fitVariancePrior(variances.map((v) => ({ variance: v, df: 6 })));
    const post = posteriorVariance({ variance: 0.2, df: 6 }, prior);
    expect(post.variance).toBeCloseTo(0.4265603845718325, 9);
    expect(post.df).toBeCloseTo(9.620631231652851, 8);
    expect(varianceOutlierP({ variance: 3.0, df: 6 }, prior)).toBeCloseTo(0.24945209716406058, 8);
    expect(varianceOutlierP({ variance: 0.05, df: 6 }, prior)).toBeCloseTo(0.00500134127809195, 8);
  });

  it('refuses too few, zero or non-finite variances', () => {
    expect(() => fitVariancePrior([{ variance: 1, df: 2 }])).toThrow(/at least 2/);
    expect(() =>
      fitVariancePrior([
        { variance: 1, df: 2 },
        { variance: 0, df: 2 },
      ]),
    ).toThrow(/> 0/);
  });
});

describe('moderateVariances (leave one out, outliers set aside)', () => {
  it('leaves a family of fewer than 3 alone', () => {
    const r = moderateVariances([
      { variance: 1, df: 2 },
      { variance: 2, df: 2 },
    ]);
    expect(r.series).toBe(0);
    expect(r.variances.every((v) => !v.moderated && v.df === 2)).toBe(true);
  });

  it('alike series: each gains degrees of freedom, never beyond the pooled family', () => {
    const family = [1.0, 1.1, 0.9, 1.05, 0.95, 1.02].map((v) => ({ variance: v, df: 2 }));
    const r = moderateVariances(family);
    expect(r.series).toBe(6);
    for (const v of r.variances) {
      expect(v.moderated).toBe(true);
      expect(v.df).toBeGreaterThan(2);
      expect(v.df).toBeLessThanOrEqual(12);
      expect(v.variance).toBeGreaterThan(0.9);
      expect(v.variance).toBeLessThan(1.1);
    }
  });

  it('a series far quieter than the rest keeps its own variance (its regression is not hidden)', () => {
    const family = [1.0, 1.3, 0.8, 1.1, 0.9, 0.0004].map((v) => ({ variance: v, df: 7 }));
    const r = moderateVariances(family);
    expect(r.variances[5]).toEqual({ variance: 0.0004, df: 7, moderated: false });
    expect(r.variances.slice(0, 5).every((v) => v.moderated)).toBe(true);
  });

  it('a series far noisier than the rest keeps its own variance (no false alarm)', () => {
    const family = [1.0, 1.3, 0.8, 1.1, 0.9, 400].map((v) => ({ variance: v, df: 7 }));
    expect(moderateVariances(family).variances[5]).toEqual({ variance: 400, df: 7, moderated: false });
  });
});

describe('t-tests with a given variance', () => {
  it('one-sample: with the sample variance on n - 1 df it is the ordinary t-test', () => {
    const x = [0.1, 0.3, 0.2, 0.25];
    const mean = 0.2125;
    const s2 = x.reduce((a, v) => a + (v - mean) ** 2, 0) / 3;
    const a = oneSampleTTestWithVariance(x, { variance: s2, df: 3 });
    const b = oneSampleTTest(x);
    expect(a.p).toBeCloseTo(b.p, 14);
    expect(a.lower).toBeCloseTo(b.lower, 14);
  });

  it('one-sample moderated: t = 2.449490, df 9.5, p = 0.035467, CI [0.016767, 0.383233] (scipy)', () => {
    const r = oneSampleTTestWithVariance([0.1, 0.3, 0.2], { variance: 0.02, df: 9.5 });
    expect(r.t).toBeCloseTo(2.4494897427831783, 12);
    expect(r.p).toBeCloseTo(0.03546656371495255, 10);
    expect(r.lower).toBeCloseTo(0.016766943555971442, 10);
    expect(r.upper).toBeCloseTo(0.3832330564440286, 10);
  });

  it('difference of means with a moderated candidate variance: Satterthwaite df 13.0503, p = 9.6844e-5 (scipy)', () => {
    const x = [100, 104, 98, 101, 103].map(Math.log);
    const y = [110, 108, 113].map(Math.log);
    const r = meanDifference(x, y, 0.95, undefined, 'two-sided', { y: { variance: 0.0004, df: 12 } });
    expect(r.estimate).toBeCloseTo(0.08645752343547208, 12);
    expect(r.se).toBeCloseTo(0.015653637062422236, 12);
    expect(r.df).toBeCloseTo(13.0503100226451, 8);
    expect(r.p).toBeCloseTo(9.684412476934412e-5, 11);
    expect(r.lower).toBeCloseTo(0.05265314426735452, 10);
  });
});
