// What a design can decide, before running it: the smallest true change of a ratio metric that the gate
// fails with 95 % probability, given the trials (pairs), the gating family, alpha (its last look's share
// with adaptive trials) and the trial-to-trial noise. A regression needs both a Holm-significant
// worse-direction t-test (at worst alpha / m for the series) and the whole 95 % interval beyond the minimum
// effect, so on the log scale, with standard error se and df degrees of freedom,
//   true change >= max(log(1 + delta) + t(0.975, df)·se, t(1 - a/m, df)·se) + t(0.95, df)·se
// (the normal-theory approximation of the power of a t-test, adequate for planning). Used by `validate`
// and `calibrate`; docs/statistics.md explains the figures.
import { studentTQuantile } from '../stats/index.ts';
import type { CompareMode } from '../compare/types.ts';
import { METRICS } from '../compare/metrics.ts';
import { ruleFor, type Thresholds } from '../compare/rules.ts';

export interface DesignInput {
  mode: CompareMode;
  /** Trials per side (pairs in paired mode) at the deciding look. */
  trials: number;
  /** Gating metrics in the Holm family. */
  family: number;
  /** The level of the deciding look (alpha, or the last look's share with adaptive trials). */
  alpha: number;
  /** Trial-to-trial noise: the standard deviation of log trial values (0.05 = about 5 %). */
  noise: number;
  /** Stored mode: the run-to-run standard deviation of a run's log level (from the history), if known. */
  drift?: number;
  /** The minimum effect, relative (0.1 = +10 %). */
  minEffect: number;
}

/** The smallest true relative change (0.25 = +25 %) failed with 95 % probability; Infinity below 2 trials. */
export function detectableChange(d: DesignInput): number {
  if (d.trials < 2) return Infinity;
  const n = d.trials;
  // Stored: two independent means of n trials (plus twice the run drift); paired: n log ratios of two trials.
  const se = Math.sqrt((2 * d.noise ** 2) / n + (d.mode === 'stored' ? 2 * (d.drift ?? 0) ** 2 : 0));
  const df = d.mode === 'paired' ? n - 1 : 2 * n - 2;
  const significance = studentTQuantile(1 - d.alpha / Math.max(d.family, 1), df) * se;
  const beyond = Math.log1p(Math.abs(d.minEffect)) + studentTQuantile(0.975, df) * se;
  return Math.expm1(Math.max(significance, beyond) + studentTQuantile(0.95, df) * se);
}

/**
 * Trial-to-trial noise assumed when none was measured: the log-sd of a p95 over 10 s trials on a shared CI
 * runner is typically 2 to 5 %; 5 % errs on the side of warning. `perf-gate calibrate` measures it.
 */
export const ASSUMED_TRIAL_NOISE = 0.05;

/** The number of gating metrics a set of scenarios will test (resource metrics, which need a probe, aside). */
export function gatingFamily(
  scenarios: Array<{ name: string; requests: Array<{ name: string }>; load: { model: string } }>,
  thresholds: Thresholds,
): number {
  let m = 0;
  for (const s of scenarios) {
    for (const def of Object.values(METRICS)) {
      if (def.resource) continue;
      if (def.level === 'scenario') {
        if (def.id === 'throughput' && s.load.model !== 'closed') continue;
        if (ruleFor(thresholds, s.name, null, def.id).gating) m++;
        continue;
      }
      for (const r of s.requests) if (ruleFor(thresholds, s.name, r.name, def.id).gating) m++;
    }
  }
  return m;
}
