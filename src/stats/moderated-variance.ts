/**
 * Moderated variances (empirical-Bayes shrinkage across a family of series): the variance behind limma's
 * moderated t-statistic.
 *
 * Model (Smyth 2004, §3): series g has a sample variance s_g² on d_g degrees of freedom, s_g² | σ_g² ~
 * σ_g² χ²(d_g) / d_g, and the true variances vary around a prior, 1/σ_g² ~ χ²(d0) / (d0 s0²). Then the
 * posterior variance is s̃_g² = (d0 s0² + d_g s_g²) / (d0 + d_g), and t = estimate / (s̃_g · scale) follows
 * Student's t with d0 + d_g degrees of freedom under the null: the series borrows d0 degrees of freedom from
 * the family. Marginally s_g² / s0² ~ F(d_g, d0).
 *
 * Prior (Smyth 2004, §6.2, the method of moments on log variances, limma's `fitFDist` without a covariate):
 * e_g = log s_g² - ψ(d_g/2) + log(d_g/2); ē = mean(e_g); solve ψ'(d0/2) = Σ(e_g - ē)²/(G - 1) - mean ψ'(d_g/2)
 * for d0 (d0 = ∞ when the right side is ≤ 0: the spread is all sampling noise); s0² = exp(ē + ψ(d0/2) -
 * log(d0/2)), or the pooled variance Σ d_g s_g² / Σ d_g when d0 = ∞ (limma since 2017).
 *
 * Reference: G. K. Smyth, "Linear models and empirical Bayes methods for assessing differential expression in
 * microarray experiments", Statistical Applications in Genetics and Molecular Biology 3 (2004), article 3.
 *
 * Three guards of ours, for small families (limma has thousands of genes, a gate has 3 to a few hundred
 * series), each chosen by the seeded size simulations described in docs/methods/moderated-t.md:
 * - d0 is fitted from the upper 95 % confidence bound of the log variances' spread (a lower confidence bound
 *   for d0; fitVariancePrior's spreadZ, SPREAD_Z): at 3 pairs and 25 series the moment estimate's standard
 *   error exceeds the spread of real routes, and an overestimated d0 shrinks too hard (false alarms rose
 *   from 5 % to 9-15 % with the plain estimate).
 * - Each series' prior is fitted from the other series only (leave one out), and its d0 is capped at their
 *   degrees of freedom: with its own variance in its prior, a series with a small variance also pulls the
 *   prior down (in a family of 3 this doubled the false alarms), and the prior cannot carry more
 *   information than it was fitted from (d0 = ∞ would turn the t into a z-test).
 * - A series whose variance is implausible under its prior (two-sided p of s_g²/s0² in F(d_g, d0) below
 *   OUTLIER_P) is not moderated: a stable route among noisy ones keeps its own small variance (its
 *   regression is not hidden), a noisy one among stable ones its large one (no false alarm). It still counts
 *   in the others' priors: leaving it out would make them look more alike than they are. In the spirit of
 *   limma's robust mode (B. Phipson, S. Lee, I. J. Majewski, W. S. Alexander & G. K. Smyth, Annals of
 *   Applied Statistics 10 (2016) 946–963), much simplified.
 *
 * Why perf-gate uses it: a paired t on 3 pairs has 2 degrees of freedom, so even a clear null cannot show its
 * interval inside the minimum effect at the first look. Series of one kind (the p95 of every route) share most
 * of their noise level, and the moderated variance gains degrees of freedom exactly as far as they do.
 */
import { digamma, pentagamma, trigamma, trigammaInverse } from './polygamma.ts';
import { regularizedIncompleteBeta } from './student-t.ts';

/** A variance estimate with its degrees of freedom (Infinity: known exactly). */
export interface VarianceEstimate {
  variance: number;
  df: number;
}

/** The fitted prior: scale s0² and degrees of freedom d0 (possibly Infinity), from `series` variances. */
export interface VariancePrior {
  variance: number;
  df: number;
  series: number;
}

/** A family needs at least this many series to estimate a prior's spread. */
export const MODERATION_MIN_SERIES = 3;
/** One-sided 95 % normal quantile: the confidence of the bound on the log variances' spread (d0's bound). */
export const SPREAD_Z = 1.6448536269514722;
/** Two-sided level below which a series' variance does not belong to the family's prior. */
export const OUTLIER_P = 0.01;

function assertSamples(samples: readonly VarianceEstimate[], what: string, min: number): void {
  if (!Array.isArray(samples) || samples.length < min) {
    throw new RangeError(`${what}: needs at least ${min} variances, got ${samples?.length ?? 0}`);
  }
  for (const s of samples) {
    if (!(s.variance > 0) || !Number.isFinite(s.variance) || !(s.df > 0) || !Number.isFinite(s.df)) {
      throw new RangeError(
        `${what}: every variance must be finite and > 0 with finite df > 0, got ${s.variance} (df ${s.df})`,
      );
    }
  }
}

/**
 * Smyth's (2004, §6.2) moment estimate of the prior (limma `fitFDist(x, df1)` without a covariate). With
 * `spreadZ` > 0 the sample variance S² of the e_g is replaced by its upper confidence bound: S² is taken as
 * a scaled chi-square on ν = 2/cv² degrees of freedom, cv² = 2/(G - 1) + κ/G its squared coefficient of
 * variation with κ = mean ψ'''(d/2)/ψ'(d/2)², the excess kurtosis of a log chi-square, and the bound is
 * S² ν / χ²(ν) at the lower quantile Φ(-z), by Wilson & Hilferty's cube-root approximation (Proc. Natl.
 * Acad. Sci. 17 (1931) 684–688). d0 becomes a lower confidence bound, so a family's heterogeneity is not
 * underestimated by chance; with so few series that the bound is unbounded, d0 = 0 (no moderation). s0²
 * stays the point estimate's: only the weight of the prior is made conservative, not its scale (with a
 * small d0 the moment formula's s0² falls below the family's typical variance, which in simulation made the
 * bounded prior less safe, not more).
 */
export function fitVariancePrior(samples: readonly VarianceEstimate[], spreadZ = 0): VariancePrior {
  assertSamples(samples, 'fitVariancePrior', 2);
  if (!(spreadZ >= 0) || !Number.isFinite(spreadZ)) {
    throw new RangeError(`fitVariancePrior: spreadZ must be finite and >= 0, got ${spreadZ}`);
  }
  return priorFromSums(
    samples.map(terms).reduce((a, b) => addTerms(a, b)),
    spreadZ,
  );
}

/** A sample's contribution to the prior's moments; sums of them fit the prior (and leave one out cheaply). */
interface Terms {
  g: number;
  e: number;
  e2: number;
  trigamma: number;
  kurtosis: number;
  df: number;
  dfVariance: number;
}

function terms(s: VarianceEstimate): Terms {
  const e = Math.log(s.variance) - digamma(s.df / 2) + Math.log(s.df / 2);
  const tri = trigamma(s.df / 2);
  return {
    g: 1,
    e,
    e2: e * e,
    trigamma: tri,
    kurtosis: pentagamma(s.df / 2) / (tri * tri),
    df: s.df,
    dfVariance: s.df * s.variance,
  };
}

function addTerms(a: Terms, b: Terms, sign = 1): Terms {
  return {
    g: a.g + sign * b.g,
    e: a.e + sign * b.e,
    e2: a.e2 + sign * b.e2,
    trigamma: a.trigamma + sign * b.trigamma,
    kurtosis: a.kurtosis + sign * b.kurtosis,
    df: a.df + sign * b.df,
    dfVariance: a.dfVariance + sign * b.dfVariance,
  };
}

function priorFromSums(sum: Terms, spreadZ: number): VariancePrior {
  const g = sum.g;
  const eMean = sum.e / g;
  const sampling = sum.trigamma / g;
  const s2 = Math.max(0, sum.e2 - g * eMean * eMean) / (g - 1);
  // The prior's degrees of freedom from a spread of the e_g (Infinity when sampling noise explains it all).
  const priorDf = (spread: number) =>
    spread === Infinity ? 0 : spread > 0 ? 2 * trigammaInverse(spread) : Infinity;
  const estimate = priorDf(s2 - sampling);
  const variance =
    estimate === Infinity
      ? sum.dfVariance / sum.df
      : Math.exp(eMean + digamma(estimate / 2) - Math.log(estimate / 2));
  if (spreadZ === 0) return { variance, df: estimate, series: g };
  const nu = 2 / (2 / (g - 1) + sum.kurtosis / g / g);
  const cubeRoot = 1 - 2 / (9 * nu) - spreadZ * Math.sqrt(2 / (9 * nu));
  const bound = cubeRoot > 0 ? 1 / cubeRoot ** 3 : Infinity;
  return { variance, df: priorDf(bound * s2 - sampling), series: g };
}

/** (d0 s0² + d s²) / (d0 + d) on d0 + d degrees of freedom (s0² itself when d0 = ∞). */
export function posteriorVariance(sample: VarianceEstimate, prior: VariancePrior): VarianceEstimate {
  if (prior.df === Infinity) return { variance: prior.variance, df: Infinity };
  return {
    variance: (prior.df * prior.variance + sample.df * sample.variance) / (prior.df + sample.df),
    df: prior.df + sample.df,
  };
}

/** Two-sided p-value of s²/s0² under its marginal F(d, d0) distribution (d0 finite). */
export function varianceOutlierP(sample: VarianceEstimate, prior: VariancePrior): number {
  if (!Number.isFinite(prior.df)) throw new RangeError('varianceOutlierP: the prior df must be finite');
  const f = sample.variance / prior.variance;
  const d1 = sample.df;
  const d2 = prior.df;
  const cdf = regularizedIncompleteBeta((d1 * f) / (d1 * f + d2), d1 / 2, d2 / 2);
  return Math.min(1, 2 * Math.min(cdf, 1 - cdf));
}

export interface ModeratedVariances {
  /** The family's size when some series was moderated, else 0. */
  series: number;
  /** Per input sample, in order: its posterior (or itself when not moderated), and the prior it used. */
  variances: Array<VarianceEstimate & { moderated: boolean; prior?: VariancePrior }>;
}

/**
 * Moderates a family's variances with the guards above. Each series' prior is fitted from the other series
 * (leave one out), so its own variance is independent of its prior: with equal variances the posterior
 * comes at best to the pooled variance of the family on Σ d_g degrees of freedom, however d0 comes out. A
 * series whose variance is implausible under its prior keeps its own. With 3 series, 2 are left to fit
 * each prior and the spread's bound is unbounded: nothing is moderated; 4 or more are needed in practice.
 */
export function moderateVariances(samples: readonly VarianceEstimate[]): ModeratedVariances {
  const unmoderated = (s: VarianceEstimate) => ({ ...s, moderated: false });
  if (samples.length < MODERATION_MIN_SERIES) return { series: 0, variances: samples.map(unmoderated) };
  assertSamples(samples, 'moderateVariances', MODERATION_MIN_SERIES);
  // Leave one out by subtracting a series' terms from the family's sums: linear in the family's size.
  const each = samples.map(terms);
  const all = each.reduce((a, b) => addTerms(a, b));
  const variances = samples.map((s, i) => {
    const others = addTerms(all, each[i]!, -1);
    const fitted = priorFromSums(others, SPREAD_Z);
    const prior = { ...fitted, df: Math.min(fitted.df, others.df) };
    return prior.df > 0 && varianceOutlierP(s, prior) >= OUTLIER_P
      ? { ...posteriorVariance(s, prior), moderated: true, prior }
      : unmoderated(s);
  });
  return { series: variances.some((v) => v.moderated) ? samples.length : 0, variances };
}
