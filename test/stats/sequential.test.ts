import { describe, expect, it } from 'vitest';
import { lookSchedule, spendAlpha } from '../../src/stats/alpha-spending.ts';
import { betweenRunVariance } from '../../src/stats/variance-components.ts';

describe('lookSchedule', () => {
  it('grows by about half each look and ends at the maximum', () => {
    expect(lookSchedule(3, 10)).toEqual([3, 5, 8, 10]);
    expect(lookSchedule(5, 20)).toEqual([5, 8, 12, 18, 20]);
    expect(lookSchedule(2, 3)).toEqual([2, 3]);
    expect(lookSchedule(7, 7)).toEqual([7]);
  });

  it('refuses first > max and fractional counts', () => {
    expect(() => lookSchedule(5, 3)).toThrow(/first <= max/);
    expect(() => lookSchedule(2.5, 3)).toThrow(/whole numbers/);
  });
});

describe('spendAlpha', () => {
  it('linear spending (rho 1): alpha in proportion to the trials added, summing to alpha', () => {
    const a = spendAlpha(0.05, [3, 5, 8, 10], 10);
    expect(a[0]).toBeCloseTo(0.015, 15);
    expect(a[1]).toBeCloseTo(0.01, 15);
    expect(a[2]).toBeCloseTo(0.015, 15);
    expect(a[3]).toBeCloseTo(0.01, 15);
    expect(a.reduce((s, x) => s + x, 0)).toBeCloseTo(0.05, 15);
  });

  it('rho 3 keeps most of alpha for the last look (Kim-DeMets: alpha * t^3)', () => {
    const a = spendAlpha(0.05, [5, 10], 10, 3);
    expect(a[0]).toBeCloseTo(0.05 * 0.125, 15);
    expect(a[1]).toBeCloseTo(0.05 * 0.875, 15);
  });

  it('one look at the maximum is the fixed design', () => {
    expect(spendAlpha(0.05, [10], 10)).toEqual([0.05]);
  });

  it('refuses a non-increasing schedule or a look beyond the maximum', () => {
    expect(() => spendAlpha(0.05, [5, 5], 10)).toThrow(/increase/);
    expect(() => spendAlpha(0.05, [5, 12], 10)).toThrow(/<= 10/);
  });
});

describe('betweenRunVariance', () => {
  it('method of moments by hand: var(1, 2, 3) = 1 minus the mean within variance 0.25 is 0.75 on 2 df', () => {
    const r = betweenRunVariance([
      { mean: 1, withinVariance: 0.2 },
      { mean: 2, withinVariance: 0.3 },
      { mean: 3, withinVariance: 0.25 },
    ]);
    expect(r.variance).toBeCloseTo(0.75, 15);
    expect(r.df).toBe(2);
    expect(r.runs).toBe(3);
  });

  it('is 0 when the runs agree as well as their own noise predicts', () => {
    const r = betweenRunVariance([
      { mean: 1, withinVariance: 1 },
      { mean: 1.1, withinVariance: 1 },
    ]);
    expect(r.variance).toBe(0);
  });

  it('needs two runs', () => {
    expect(() => betweenRunVariance([{ mean: 1, withinVariance: 0 }])).toThrow(/at least 2 runs/);
  });
});
