import { describe, expect, it } from 'vitest';
import { oneSampleTTest } from '../../src/stats/one-sample-t.ts';
import { meanDifference } from '../../src/stats/mean-difference.ts';
import { welchTTest } from '../../src/stats/welch.ts';

// R's `sleep` data set (Student 1908); reference values from R's ?t.test and scipy 1.17 (ttest_1samp,
// ttest_ind(equal_var=False) and their confidence_interval).
const sleep1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const sleep2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
const diffs = sleep2.map((v, i) => v - sleep1[i]!);

describe('oneSampleTTest', () => {
  it('R t.test(sleep2, sleep1, paired = TRUE): t = 4.0621, df = 9, p = 0.002833, CI [0.7001142, 2.4598858]', () => {
    const r = oneSampleTTest(diffs);
    expect(r.t).toBeCloseTo(4.062127683382037, 10);
    expect(r.df).toBe(9);
    expect(r.p).toBeCloseTo(0.002832890197384273, 12);
    expect(r.estimate).toBeCloseTo(1.58, 12);
    expect(r.lower).toBeCloseTo(0.7001142367230175, 10);
    expect(r.upper).toBeCloseTo(2.459885763276983, 10);
  });

  it('scipy ttest_1samp(sleep1, 0): t = 1.32571, p = 0.217598, 90 % CI [-0.287055, 1.787055]', () => {
    const r = oneSampleTTest(sleep1, 0.9);
    expect(r.t).toBeCloseTo(1.3257101407138212, 10);
    expect(r.p).toBeCloseTo(0.21759778006844888, 10);
    expect(r.lower).toBeCloseTo(-0.28705527872925973, 10);
    expect(r.upper).toBeCloseTo(1.7870552787292595, 10);
  });

  it('has no floor: five consistent values give an arbitrarily small p', () => {
    expect(oneSampleTTest([0.69, 0.7, 0.71, 0.695, 0.705]).p).toBeLessThan(1e-8);
  });

  it('refuses a constant sample and fewer than two values', () => {
    expect(() => oneSampleTTest([1, 1, 1])).toThrow(/constant/);
    expect(() => oneSampleTTest([1])).toThrow(/at least 2/);
  });
});

describe('meanDifference', () => {
  it('without drift is R t.test(sleep2, sleep1): t = 1.8608, df = 17.776, p = 0.07939, CI [-0.2054832, 3.3654832]', () => {
    const r = meanDifference(sleep1, sleep2);
    expect(r.t).toBeCloseTo(1.8608134674868526, 10);
    expect(r.df).toBeCloseTo(17.776473516178488, 9);
    expect(r.p).toBeCloseTo(0.0793941401873583, 10);
    expect(r.lower).toBeCloseTo(-0.20548323071171137, 9);
    expect(r.upper).toBeCloseTo(3.3654832307117104, 9);
    expect(r.p).toBeCloseTo(welchTTest(sleep2, sleep1).p, 14);
  });

  it('with an extra variance 0.5 on 4 df follows Satterthwaite (hand computation with scipy quantiles)', () => {
    const r = meanDifference(sleep1, sleep2, 0.95, { variance: 0.5, df: 4 });
    expect(r.t).toBeCloseTo(1.4299049161009914, 10);
    expect(r.df).toBeCloseTo(16.249607860283504, 9);
    expect(r.p).toBeCloseTo(0.171690236827836, 9);
    expect(r.lower).toBeCloseTo(-0.7595078105844042, 8);
    expect(r.upper).toBeCloseTo(3.9195078105844035, 8);
  });

  it('drift alone gives a finite interval for constant samples; no variance at all is an error', () => {
    const r = meanDifference([1, 1], [2, 2], 0.95, { variance: 0.25, df: Infinity });
    expect(r.se).toBeCloseTo(0.5, 12);
    expect(r.upper - r.estimate).toBeCloseTo(1.959963984540054 * 0.5, 9);
    expect(() => meanDifference([1, 1], [2, 2])).toThrow(/standard error is 0/);
    expect(() => meanDifference([1, 2], [2, 3], 0.95, { variance: -1, df: 3 })).toThrow(/extra variance/);
  });
});
