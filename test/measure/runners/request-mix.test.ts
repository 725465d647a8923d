import { describe, expect, it } from 'vitest';
import { weightedCycle } from '../../../src/measure/runners/request-mix.ts';

const counts = (cycle: number[], n: number) =>
  Array.from({ length: n }, (_, i) => cycle.filter((x) => x === i).length);

describe('weightedCycle', () => {
  it('repeats each request in proportion to its weight, reduced by the common divisor', () => {
    expect(counts(weightedCycle([3, 1]), 2)).toEqual([3, 1]);
    expect(counts(weightedCycle([6, 2, 4]), 3)).toEqual([3, 1, 2]);
    expect(weightedCycle([1])).toEqual([0]);
  });

  it('interleaves instead of clumping', () => {
    expect(weightedCycle([2, 2])).toEqual([0, 1]);
    expect(weightedCycle([2, 3])).toEqual([1, 0, 1, 0, 1]);
    const c = weightedCycle([5, 1]);
    // the light request is not at either end of a long run of the heavy one
    expect(c.indexOf(1)).toBeGreaterThan(0);
    expect(c.indexOf(1)).toBeLessThan(5);
  });

  it('caps very long cycles and keeps every request', () => {
    const c = weightedCycle([9999, 1]);
    expect(c.length).toBeLessThanOrEqual(1001);
    expect(c).toContain(1);
  });

  it('rejects non-positive or fractional weights', () => {
    expect(() => weightedCycle([0])).toThrow(RangeError);
    expect(() => weightedCycle([1.5])).toThrow(RangeError);
    expect(() => weightedCycle([])).toThrow(RangeError);
  });
});
