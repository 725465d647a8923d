// Calibration from A/A runs (the same target measured several times, as stored mode sees it): per gating
// ratio series, the trial-to-trial noise (pooled within-run log sd), the run-to-run drift (between-run sd,
// stats/variance-components.ts), the change the configured trials can detect in each mode, and a suggested
// minimum effect: the smallest whose double the gate catches with 95 % probability. Pure.
import { METRICS } from '../compare/metrics.ts';
import { type MetricId } from '../contracts/metric-ids.ts';
import { driftFromHistory, seriesKey } from '../compare/drift.ts';
import type { RunResult, TrialResult } from '../contracts/run-result.ts';
import { detectableChange, gatingFamily } from './power.ts';
import { ruleFor, type Thresholds } from '../compare/rules.ts';

export interface CalibrationRow {
  scenario: string;
  request: string | null;
  metric: MetricId;
  /** Pooled within-run log sd of the trial values (0.03 = about 3 %). */
  trialNoise: number;
  /** Between-run log sd beyond the trials' own noise (0 when the runs agree as their noise predicts). */
  runDrift: number;
  /** Smallest true change failed with 95 % probability at the configured trials. */
  detectable: { stored: number; paired: number };
  minEffect: string;
  /** Suggested minimum effects (relative), per mode. */
  suggested: { stored: number; paired: number };
}

function values(trials: TrialResult[], metric: MetricId, request: string | null): number[] {
  const def = METRICS[metric];
  const raw =
    request === null
      ? trials.map((t) => def.fromTrial!(t))
      : trials.flatMap((t) => {
          const r = t.requests.find((x) => x.name === request);
          return r ? [def.fromRequest!(r)] : [];
        });
  return raw.filter((v) => Number.isFinite(v) && v > 0);
}

function logVariance(xs: number[]): number | undefined {
  if (xs.length < 2) return undefined;
  const logs = xs.map(Math.log);
  const m = logs.reduce((a, v) => a + v, 0) / logs.length;
  return logs.reduce((a, v) => a + (v - m) ** 2, 0) / (logs.length - 1);
}

/** The smallest minimum effect (in 1 % steps, up to +100 %) whose double the design detects. */
function suggest(detect: (minEffect: number) => number): number {
  for (let pct = 1; pct <= 100; pct++) {
    const delta = pct / 100;
    if (detect(delta) <= Math.expm1(2 * Math.log1p(delta))) return delta;
  }
  return Infinity;
}

export function calibrate(
  runs: RunResult[],
  thresholds: Thresholds,
  trials: number,
  alpha = thresholds.alpha,
): CalibrationRow[] {
  const last = runs[runs.length - 1];
  if (!last) return [];
  const family = gatingFamily(
    last.scenarios.map((s) => ({ name: s.name, requests: s.requests, load: s.load })),
    thresholds,
  );
  const drift = driftFromHistory(runs, last.scenarios, runs.length).table;
  const rows: CalibrationRow[] = [];
  for (const scenario of last.scenarios) {
    for (const def of Object.values(METRICS)) {
      if (def.scale !== 'ratio' || def.resource) continue;
      if (def.id === 'throughput' && scenario.load.model !== 'closed') continue;
      const requests = def.level === 'scenario' ? [null] : scenario.requests.map((r) => r.name);
      for (const request of requests) {
        const rules = ruleFor(thresholds, scenario.name, request, def.id);
        if (!rules.gating || rules.minEffect.kind !== 'relative') continue;
        const within = runs.flatMap((run) =>
          run.scenarios
            .filter((s) => s.name === scenario.name && s.fingerprint === scenario.fingerprint)
            .flatMap((s) => {
              const v = logVariance(
                values(
                  s.trials.filter((t) => t.valid),
                  def.id,
                  request,
                ),
              );
              return v === undefined ? [] : [v];
            }),
        );
        if (within.length === 0) continue;
        const trialNoise = Math.sqrt(within.reduce((a, v) => a + v, 0) / within.length);
        const runDrift = Math.sqrt(drift.get(seriesKey(scenario.name, request, def.id))?.variance ?? 0);
        const design = (mode: 'stored' | 'paired', minEffect: number) =>
          detectableChange({ mode, trials, family, alpha, noise: trialNoise, drift: runDrift, minEffect });
        rows.push({
          scenario: scenario.name,
          request,
          metric: def.id,
          trialNoise,
          runDrift,
          detectable: {
            stored: design('stored', rules.minEffect.value),
            paired: design('paired', rules.minEffect.value),
          },
          minEffect: rules.minEffect.text,
          suggested: {
            stored: suggest((d) => design('stored', d)),
            paired: suggest((d) => design('paired', d)),
          },
        });
      }
    }
  }
  return rows;
}
