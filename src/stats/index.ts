/**
 * perf-gate statistics API: the pure, dependency-light methods the comparison and verdict layers use.
 *
 * Every function validates its input and throws a RangeError with a clear message instead of returning NaN.
 * Randomness is injected (`createRng(seed)`), nothing here does I/O or reads the clock. See docs/methods/ for
 * what each method computes, its references and its limits.
 *
 * Direction conventions: two-sample functions take (baseline, candidate) where they estimate an effect
 * (Hodges–Lehmann shift and ratios: candidate - baseline, candidate / baseline); the tests take (x, y) with
 * `alternative: 'greater'` meaning x > y, as in R. Paired differences are d = candidate - baseline.
 */

/** Seeded PRNG (xoshiro128**) and a uniform index helper. */
export { createRng, randomIndex } from './rng.ts';
export type { Rng } from './rng.ts';

/** Standard normal CDF (Cody), density, and quantile (Wichura AS 241), accurate in the far tails. */
export { normalCdf, normalPdf, normalQuantile } from './normal.ts';

/** Student's t CDF/density/quantile, regularized incomplete beta, log-gamma and log-beta. */
export {
  logBeta,
  logGamma,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
  tPValue,
} from './student-t.ts';

/** Welch's unequal-variances t-test (R `t.test`). */
export { welchTTest } from './welch.ts';
export type { Alternative, WelchTTestResult } from './welch.ts';

/** One-sample (and paired) t-test with its interval (R `t.test(x)`): no discreteness floor. */
export { oneSampleTTest, oneSampleTTestWithVariance, tTestResult } from './one-sample-t.ts';
export type { TTestResult } from './one-sample-t.ts';

/** Welch difference of means with its interval, optionally widened by run-to-run drift (R `t.test(y, x)`). */
export { meanDifference } from './mean-difference.ts';
export type { ExtraVariance } from './mean-difference.ts';

/** Digamma, trigamma, tetragamma and the inverse of trigamma (x > 0). */
export { digamma, tetragamma, trigamma, trigammaInverse } from './polygamma.ts';

/** Moderated variances across a family (empirical Bayes, Smyth 2004: limma's moderated t). */
export {
  fitVariancePrior,
  moderateVariances,
  posteriorVariance,
  varianceOutlierP,
  MODERATION_MIN_SERIES,
  OUTLIER_P,
} from './moderated-variance.ts';
export type { ModeratedVariances, VarianceEstimate, VariancePrior } from './moderated-variance.ts';

/** Between-run variance of a run history (one-way random effects, method of moments). */
export { betweenRunVariance } from './variance-components.ts';
export type { BetweenRunVariance, RunSummary } from './variance-components.ts';

/** Alpha spending over the looks of an adaptive run (Lan–DeMets power family, Bonferroni across looks). */
export { lookSchedule, spendAlpha } from './alpha-spending.ts';

/** Mann–Whitney U / Wilcoxon rank-sum test with exact distribution (R `wilcox.test(x, y)`), and its floor. */
export {
  mannWhitneyCdf,
  mannWhitneyMinP,
  mannWhitneyQuantile,
  mannWhitneyU,
  MANN_WHITNEY_EXACT_MAX_N,
  MANN_WHITNEY_EXACT_MAX_PRODUCT,
} from './mann-whitney.ts';
export type { MannWhitneyOptions, MannWhitneyResult } from './mann-whitney.ts';

/** Wilcoxon signed-rank test for paired differences with exact distribution (R `wilcox.test(d)`), and its floor. */
export {
  signedRankCdf,
  signedRankMinP,
  signedRankQuantile,
  wilcoxonSignedRank,
  SIGNED_RANK_EXACT_LIMIT,
  SIGNED_RANK_EXACT_MAX_N,
} from './wilcoxon-signed-rank.ts';
export type { SignedRankOptions, SignedRankResult } from './wilcoxon-signed-rank.ts';

/** Hodges–Lehmann shift/ratio estimates with distribution-free (Moses / signed-rank) confidence intervals. */
export {
  hodgesLehmannOneSample,
  hodgesLehmannRatio,
  hodgesLehmannShift,
  pairedHodgesLehmannRatio,
} from './hodges-lehmann.ts';
export type { HodgesLehmannResult } from './hodges-lehmann.ts';

/** Type-7 quantiles, median, and benchstat-style order-statistic confidence intervals. */
export { median, medianConfidenceInterval, quantileConfidenceInterval, quantileType7 } from './quantile.ts';
export type { QuantileConfidenceInterval } from './quantile.ts';

/** Seeded percentile bootstrap, unpaired (per-group) and paired (per-index) resampling. */
export { bootstrapCi, pairedBootstrapCi } from './bootstrap.ts';
export type { BootstrapOptions, BootstrapResult } from './bootstrap.ts';

/** Holm and Benjamini–Hochberg adjusted p-values (R `p.adjust`). */
export { benjaminiHochbergAdjust, holmAdjust } from './adjust.ts';

/** Mean, sample variance/SD, coefficient of variation, scaled MAD (simple-statistics based), and validators. */
export {
  assertConfidence,
  assertFiniteSample,
  coefficientOfVariation,
  MAD_SCALE,
  mean,
  medianAbsoluteDeviation,
  sampleStdDev,
  sampleVariance,
} from './descriptive.ts';

/** E-Divisive means change points with a permutation test (Matteson & James 2014; as in Apache Otava). */
export { bestSplit, eDivisive } from './e-divisive.ts';
export type { EDivisiveChangePoint, EDivisiveOptions } from './e-divisive.ts';

/** Mann–Kendall trend test with Sen's slope. */
export { mannKendall } from './mann-kendall.ts';
export type { MannKendallResult } from './mann-kendall.ts';
