import { describe, expect, it } from 'vitest';
import { mannKendall } from '../../src/stats/mann-kendall.ts';

describe('Mann–Kendall', () => {
  it('matches the hand computation for a strict trend (R Kendall::MannKendall: S = 45, p = 8.3e-5)', () => {
    const r = mannKendall([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.s).toBe(45);
    expect(r.z).toBeCloseTo(44 / Math.sqrt(125), 10);
    expect(r.p).toBeCloseTo(8.3e-5, 6);
    expect(r.slope).toBe(1);
  });

  it('corrects the variance for ties, and sees no trend in a flat series', () => {
    const r = mannKendall([1, 2, 2, 3]);
    expect(r.s).toBe(5);
    expect(r.z).toBeCloseTo(4 / Math.sqrt((4 * 3 * 13 - 18) / 18), 10);
    const flat = mannKendall([5, 5, 5, 5]);
    expect(flat.s).toBe(0);
    expect(flat.p).toBe(1);
    expect(() => mannKendall([1, 2])).toThrow(RangeError);
  });
});
