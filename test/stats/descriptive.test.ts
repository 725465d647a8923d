import { describe, it, expect } from 'vitest';
import {
  coefficientOfVariation,
  MAD_SCALE,
  mean,
  medianAbsoluteDeviation,
  sampleStdDev,
  sampleVariance,
} from '../../src/stats/descriptive.ts';

// NIST Statistical Reference Datasets, univariate summary statistics ("NumAcc" lower-difficulty to
// higher-difficulty numerical accuracy sets), with certified values.
// NumAcc1: 10000001, 10000003, 10000002 → mean 10000002, sd 1.
// NumAcc3 / NumAcc4: the first value c + 0.2, then 500 pairs (c + 0.1, c + 0.3), 1001 values in all,
// c = 1000000 and 10000000 → certified mean c + 0.2 and sd 0.1.
function numAcc(c: number): number[] {
  const out = [c + 0.2];
  for (let i = 0; i < 500; i++) out.push(c + 0.1, c + 0.3);
  return out;
}

describe('mean / sampleVariance / sampleStdDev', () => {
  it('NIST StRD NumAcc1: mean 10000002, standard deviation 1 (certified)', () => {
    const x = [10000001, 10000003, 10000002];
    expect(mean(x)).toBe(10000002);
    expect(sampleStdDev(x)).toBeCloseTo(1, 12);
    expect(sampleVariance(x)).toBeCloseTo(1, 12);
  });

  it('NIST StRD NumAcc3 (c = 1e6) and NumAcc4 (c = 1e7): mean c + 0.2, standard deviation 0.1 (certified)', () => {
    for (const c of [1e6, 1e7]) {
      const x = numAcc(c);
      expect(x).toHaveLength(1001);
      expect(mean(x)).toBeCloseTo(c + 0.2, 7);
      expect(sampleStdDev(x)).toBeCloseTo(0.1, 8);
    }
  });

  it('simple-statistics docs: sampleVariance([1, 2, 3, 4, 5]) = 2.5; R ?sd: sd(1:2)² = 0.5', () => {
    expect(sampleVariance([1, 2, 3, 4, 5])).toBe(2.5);
    expect(sampleStdDev([1, 2]) ** 2).toBeCloseTo(0.5, 15);
  });

  it('rejects empty, too-short and non-finite samples', () => {
    expect(() => mean([])).toThrow(RangeError);
    expect(() => sampleVariance([1])).toThrow(RangeError);
    expect(() => sampleStdDev([1])).toThrow(RangeError);
    expect(() => mean([1, Number.NaN])).toThrow(RangeError);
    expect(() => mean([1, Infinity])).toThrow(RangeError);
  });
});

describe('coefficientOfVariation', () => {
  it('simple-statistics docs: [1, 2, 3, 4] → 0.516, [1, 2, 3, 4, 5] → 0.527, [-1, 0, 1, 2, 3, 4] → 1.247', () => {
    expect(coefficientOfVariation([1, 2, 3, 4])).toBeCloseTo(0.516, 3);
    expect(coefficientOfVariation([1, 2, 3, 4, 5])).toBeCloseTo(0.527, 3);
    expect(coefficientOfVariation([-1, 0, 1, 2, 3, 4])).toBeCloseTo(1.247, 3);
  });

  it('is scale invariant and rejects a zero mean', () => {
    expect(coefficientOfVariation([10, 20, 30, 40])).toBeCloseTo(coefficientOfVariation([1, 2, 3, 4]), 14);
    expect(() => coefficientOfVariation([-1, 1])).toThrow(/mean is 0/);
    expect(() => coefficientOfVariation([3])).toThrow(RangeError);
  });
});

describe('medianAbsoluteDeviation', () => {
  it('R ?mad examples: mad(c(1:9)) = 2.9652; mad(c(1:9), constant = 1) = mad(c(1:8, 100), constant = 1) = 2', () => {
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 5, 6, 7, 8, 9])).toBeCloseTo(2.9652, 12);
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 5, 6, 7, 8, 9], false)).toBe(2);
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 5, 6, 7, 8, 100], false)).toBe(2);
  });

  it('R ?mad: x <- c(1,2,3,5,7,8); mad(x, constant = 1) = 2.5', () => {
    expect(medianAbsoluteDeviation([1, 2, 3, 5, 7, 8], false)).toBe(2.5);
    expect(medianAbsoluteDeviation([1, 2, 3, 5, 7, 8])).toBeCloseTo(2.5 * MAD_SCALE, 14);
  });

  it('simple-statistics docs: medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9]) = 1 (unscaled)', () => {
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9], false)).toBe(1);
  });

  it('rejects empty and non-finite input', () => {
    expect(() => medianAbsoluteDeviation([])).toThrow(RangeError);
    expect(() => medianAbsoluteDeviation([1, Number.NaN])).toThrow(RangeError);
  });
});
