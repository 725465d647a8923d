/**
 * Descriptive statistics of one sample: mean, sample variance and standard deviation, coefficient of
 * variation, and the (scaled) median absolute deviation. Also the input validators shared by the stats core.
 *
 * The arithmetic comes from simple-statistics 7.12 (`mean` with Kahan–Babuška summation, `sampleVariance` and
 * `sampleStandardDeviation` with Bessel's n - 1 and two-pass deviations, `coefficientOfVariation`,
 * `medianAbsoluteDeviation`, which is unscaled). This module adds input validation and the 1.4826 consistency
 * factor that makes the MAD estimate σ for normal data, as R's `mad(x)` does by default
 * (R: stats::mad, `constant = 1.4826`; Hampel, JASA 69 (1974) 383–393).
 */
import * as ss from 'simple-statistics';

/**
 * Throw a RangeError unless `x` is an array of at least `minLength` finite numbers.
 * @param what name used in the error message, e.g. `"mannWhitneyU: x"`.
 */
export function assertFiniteSample(x: readonly number[], what: string, minLength = 1): void {
  if (!Array.isArray(x)) {
    throw new RangeError(`${what} must be an array of numbers`);
  }
  if (x.length < minLength) {
    throw new RangeError(
      `${what} needs at least ${minLength} value${minLength === 1 ? '' : 's'}, got ${x.length}`,
    );
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${what}[${i}] must be a finite number, got ${String(v)}`);
    }
  }
}

/** Throw a RangeError unless `confidence` is a number strictly between 0 and 1. */
export function assertConfidence(confidence: number, what: string): void {
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new RangeError(`${what}: confidence must be strictly between 0 and 1, got ${String(confidence)}`);
  }
}

/** Arithmetic mean (simple-statistics `mean`). @throws RangeError on an empty or non-finite sample. */
export function mean(x: readonly number[]): number {
  assertFiniteSample(x, 'mean: x', 1);
  return ss.mean(x as number[]);
}

/**
 * Unbiased sample variance Σ(x - x̄)² / (n - 1) (simple-statistics `sampleVariance`; R `var`).
 * @throws RangeError when fewer than 2 finite values are given.
 */
export function sampleVariance(x: readonly number[]): number {
  assertFiniteSample(x, 'sampleVariance: x', 2);
  return ss.sampleVariance(x as number[]);
}

/** Sample standard deviation √(sampleVariance) (simple-statistics; R `sd`). @throws RangeError when n < 2. */
export function sampleStdDev(x: readonly number[]): number {
  assertFiniteSample(x, 'sampleStdDev: x', 2);
  return ss.sampleStandardDeviation(x as number[]);
}

/**
 * Coefficient of variation sd / mean (simple-statistics `coefficientOfVariation`). It keeps the sign of the
 * mean; it is meant for positive, ratio-scale data such as latencies.
 * @throws RangeError when n < 2 or the mean is 0.
 */
export function coefficientOfVariation(x: readonly number[]): number {
  assertFiniteSample(x, 'coefficientOfVariation: x', 2);
  const m = ss.mean(x as number[]);
  if (m === 0) {
    throw new RangeError('coefficientOfVariation: the mean is 0, so the ratio is undefined');
  }
  return ss.coefficientOfVariation(x as number[]);
}

/** Consistency constant that makes the MAD estimate σ for normal data (1 / Φ⁻¹(3/4), rounded as in R). */
export const MAD_SCALE = 1.4826;

/**
 * Median absolute deviation median(|x - median(x)|) (simple-statistics), multiplied by 1.4826 when `scaled`
 * (the default, as R's `mad`). For even n both medians average the two middle values (R's default).
 * @throws RangeError on an empty or non-finite sample.
 */
export function medianAbsoluteDeviation(x: readonly number[], scaled = true): number {
  assertFiniteSample(x, 'medianAbsoluteDeviation: x', 1);
  const raw = ss.medianAbsoluteDeviation(x as number[]);
  return scaled ? raw * MAD_SCALE : raw;
}
