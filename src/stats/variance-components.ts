/**
 * Between-run variance from a history of runs: how much a run's level moves from run to run beyond what its
 * own trial-to-trial noise explains (one-way random-effects model, method-of-moments estimate).
 *
 * Model: the mean of run j is m_j = μ + u_j + e_j, with run effect u_j ~ (0, τ²) and within-run error
 * e_j ~ (0, w_j), w_j = s_j² / n_j (the squared standard error of the run's own mean). Then
 * E[var(m)] = τ² + mean(w), so τ̂² = max(0, var(m) - mean(w)), with k - 1 degrees of freedom for k runs.
 *
 * References: S. R. Searle, G. Casella & C. E. McCulloch, "Variance Components", Wiley 1992, §3.5 (ANOVA
 * estimators, unbalanced data, unweighted means); R. DerSimonian & N. Laird, "Meta-analysis in clinical
 * trials", Controlled Clinical Trials 7 (1986) 177–188 (the same moment idea, weighted). Bencher's
 * thresholds use a window of past results in the same spirit.
 *
 * Truncation at 0 makes τ̂² biased upwards for small k, which errs on the side of fewer false alarms.
 */
import { assertFiniteSample, mean, sampleVariance } from './descriptive.ts';

export interface RunSummary {
  /** The run's mean of the per-trial values (on the scale of the test, e.g. logs). */
  mean: number;
  /** Squared standard error of that mean: s² / n over the run's trials, ≥ 0. */
  withinVariance: number;
}

export interface BetweenRunVariance {
  /** τ̂², the run-to-run variance beyond the trials' own noise (≥ 0). */
  variance: number;
  /** Degrees of freedom of the estimate: k - 1. */
  df: number;
  /** Runs used. */
  runs: number;
}

/**
 * τ̂² = max(0, var(means) - mean(within variances)) over k ≥ 2 runs.
 * @throws RangeError with fewer than 2 runs or a non-finite or negative value.
 */
export function betweenRunVariance(runs: readonly RunSummary[]): BetweenRunVariance {
  if (!Array.isArray(runs) || runs.length < 2) {
    throw new RangeError(`betweenRunVariance: needs at least 2 runs, got ${runs?.length ?? 0}`);
  }
  const means = runs.map((r) => r.mean);
  const within = runs.map((r) => r.withinVariance);
  assertFiniteSample(means, 'betweenRunVariance: mean', 2);
  assertFiniteSample(within, 'betweenRunVariance: withinVariance', 2);
  if (within.some((w) => w < 0)) throw new RangeError('betweenRunVariance: withinVariance must be >= 0');
  return {
    variance: Math.max(0, sampleVariance(means) - mean(within)),
    df: runs.length - 1,
    runs: runs.length,
  };
}
