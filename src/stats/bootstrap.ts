/**
 * Seeded percentile bootstrap confidence intervals, resampling whole units (trials or pairs of trials).
 *
 * Computes: the statistic on the observed groups (the estimate) and on `resamples` bootstrap replicates, and
 * the percentile interval [Q(α/2), Q(1 - α/2)] of the replicates, where Q is the type-7 sample quantile.
 * - `bootstrapCi` resamples each group independently with replacement, keeping each group's size (the
 *   stratified, unpaired design: baseline trials and candidate trials).
 * - `pairedBootstrapCi` draws one vector of indices per replicate and applies it to every group, so pairs
 *   (baseline_i, candidate_i) stay together (the paired / interleaved design).
 *
 * References: B. Efron & R. J. Tibshirani, "An Introduction to the Bootstrap" (1993), ch. 6 (bootstrap standard
 * error), ch. 13 (percentile interval); A. C. Davison & D. V. Hinkley, "Bootstrap Methods and their
 * Application" (1997), §3.2 (stratified resampling) and §5.3. Percentile method only; no BCa.
 *
 * Limits: with fewer than about 10 units per group the percentile interval under-covers and is coarse (few
 * distinct replicates). Resample trials, never individual requests: requests inside a trial are correlated.
 * Randomness comes only from the injected `rng` (see `createRng`), so a logged seed reproduces the interval.
 */
import { assertConfidence, assertFiniteSample } from './descriptive.ts';
import { quantileType7 } from './quantile.ts';
import { randomIndex } from './rng.ts';
import type { Rng } from './rng.ts';

export interface BootstrapOptions {
  /** Number of bootstrap replicates (default 2000). */
  resamples?: number;
  /** Two-sided confidence level of the percentile interval (default 0.95). */
  confidence?: number;
  /** Seeded uniform generator, e.g. `createRng(seed)`. Required: the core has no hidden randomness. */
  rng: Rng;
}

export interface BootstrapResult {
  /** Statistic of the original (not resampled) groups. */
  estimate: number;
  /** Percentile lower bound (type-7 quantile of the replicates at α/2). */
  lower: number;
  /** Percentile upper bound (type-7 quantile of the replicates at 1 - α/2). */
  upper: number;
  /** Number of replicates used. */
  resamples: number;
  /** Bootstrap standard error: sample standard deviation of the replicates. */
  standardError: number;
}

type Statistic = (resampled: number[][]) => number;

function validate(
  samples: readonly (readonly number[])[],
  statistic: Statistic,
  options: BootstrapOptions,
  what: string,
): { resamples: number; confidence: number; rng: Rng } {
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new RangeError(`${what}: samples must be a non-empty array of groups`);
  }
  samples.forEach((g, i) => assertFiniteSample(g, `${what}: samples[${i}]`, 1));
  if (typeof statistic !== 'function') {
    throw new RangeError(`${what}: statistic must be a function`);
  }
  if (options === null || typeof options !== 'object' || typeof options.rng !== 'function') {
    throw new RangeError(`${what}: options.rng (a seeded generator from createRng) is required`);
  }
  const resamples = options.resamples ?? 2000;
  if (!Number.isInteger(resamples) || resamples < 2) {
    throw new RangeError(`${what}: resamples must be an integer ≥ 2, got ${String(resamples)}`);
  }
  const confidence = options.confidence ?? 0.95;
  assertConfidence(confidence, what);
  return { resamples, confidence, rng: options.rng };
}

function evaluate(statistic: Statistic, groups: number[][], what: string, label: string): number {
  const value = statistic(groups);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(
      `${what}: statistic returned ${String(value)} on ${label}; it must return a finite number`,
    );
  }
  return value;
}

function summarize(estimate: number, replicates: number[], confidence: number): BootstrapResult {
  const alpha = 1 - confidence;
  let sum = 0;
  for (const r of replicates) sum += r;
  const m = sum / replicates.length;
  let ss = 0;
  for (const r of replicates) ss += (r - m) * (r - m);
  return {
    estimate,
    lower: quantileType7(replicates, alpha / 2),
    upper: quantileType7(replicates, 1 - alpha / 2),
    resamples: replicates.length,
    standardError: Math.sqrt(ss / (replicates.length - 1)),
  };
}

/**
 * Percentile bootstrap interval for `statistic`, resampling each group independently with replacement.
 * `statistic` receives freshly allocated arrays in the same group order as `samples`.
 * @throws RangeError on empty or non-finite groups, a missing rng, bad options, or a non-finite statistic.
 */
export function bootstrapCi(
  samples: readonly (readonly number[])[],
  statistic: Statistic,
  options: BootstrapOptions,
): BootstrapResult {
  const what = 'bootstrapCi';
  const { resamples, confidence, rng } = validate(samples, statistic, options, what);
  const estimate = evaluate(
    statistic,
    samples.map((g) => [...g]),
    what,
    'the original samples',
  );
  const replicates = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) {
    const groups = samples.map((g) => {
      const out = new Array<number>(g.length);
      for (let i = 0; i < g.length; i++) out[i] = g[randomIndex(rng, g.length)]!;
      return out;
    });
    replicates[b] = evaluate(statistic, groups, what, `replicate ${b}`);
  }
  return summarize(estimate, replicates, confidence);
}

/**
 * Percentile bootstrap interval for `statistic` on paired data: all groups must have the same length n; each
 * replicate draws n indices with replacement and applies them to every group, keeping pairs together.
 * @throws RangeError on groups of different lengths, empty or non-finite groups, a missing rng, bad options,
 * or a non-finite statistic.
 */
export function pairedBootstrapCi(
  samples: readonly (readonly number[])[],
  statistic: Statistic,
  options: BootstrapOptions,
): BootstrapResult {
  const what = 'pairedBootstrapCi';
  const { resamples, confidence, rng } = validate(samples, statistic, options, what);
  const n = samples[0]!.length;
  samples.forEach((g, i) => {
    if (g.length !== n) {
      throw new RangeError(
        `${what}: all groups must have the same length (pairs), samples[${i}] has ${g.length}, expected ${n}`,
      );
    }
  });
  const estimate = evaluate(
    statistic,
    samples.map((g) => [...g]),
    what,
    'the original samples',
  );
  const replicates = new Array<number>(resamples);
  const idx = new Array<number>(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) idx[i] = randomIndex(rng, n);
    const groups = samples.map((g) => idx.map((k) => g[k]!));
    replicates[b] = evaluate(statistic, groups, what, `replicate ${b}`);
  }
  return summarize(estimate, replicates, confidence);
}
