// Stored mode's run-to-run drift, from the baseline branch's recent stored runs (as Bencher judges a result
// against a window of past ones). A stored baseline was measured in another job, on another runner state:
// each run's level moves by more than its own trials' noise says. Per series, the between-run variance of
// the run means (stats/variance-components.ts) enters the stored-mode test, so an identical candidate on a
// runner that drifts within the history's range passes. A series with too short a history of its own
// borrows the drift of the series like it (same scenario and metric).
import { betweenRunVariance, median, type RunSummary } from '../stats/index.ts';
import { METRICS, type MetricDef } from './metrics.ts';
import { type MetricId } from '../contracts/metric-ids.ts';
import type { RunResult, ScenarioResult, TrialResult } from '../contracts/run-result.ts';

export interface SeriesDrift {
  /** Between-run variance of one run's mean, on the test's scale (logs for ratio metrics). */
  variance: number;
  /** Degrees of freedom of the estimate (runs - 1). */
  df: number;
  runs: number;
  /** own: from this series' history; similar: the median of the same metric's series in the scenario. */
  source: 'own' | 'similar';
}

export type DriftTable = Map<string, SeriesDrift>;

/** Recent runs used: enough for a stable variance, few enough to follow a runner fleet that changes. */
export const DRIFT_WINDOW = 10;
/** Fewer stored runs than this give no drift estimate (a variance from two values is too rough). */
export const DRIFT_MIN_RUNS = 3;

export function seriesKey(scenario: string, request: string | null, metric: MetricId): string {
  return `${scenario}\u0000${request ?? ''}\u0000${metric}`;
}

/** One run's summary of a series: the mean of its valid trials on the test's scale, and its squared SE. */
function summarise(def: MetricDef, values: number[]): RunSummary | undefined {
  const usable = values.filter((v) => Number.isFinite(v) && (def.scale !== 'ratio' || v > 0));
  if (usable.length < 2) return undefined;
  const xs = def.scale === 'ratio' ? usable.map(Math.log) : usable;
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  const variance = xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1);
  return { mean: m, withinVariance: variance / xs.length };
}

function seriesValues(trials: TrialResult[], def: MetricDef, request: string | null): number[] {
  if (request === null) return trials.map((t) => def.fromTrial!(t));
  return trials.flatMap((t) => {
    const r = t.requests.find((x) => x.name === request);
    return r ? [def.fromRequest!(r)] : [];
  });
}

/**
 * The drift of every series of `scenarios` (the candidate's) from the newest `window` runs of `history`
 * whose scenario has the same name and fingerprint.
 */
export function driftFromHistory(
  history: RunResult[],
  scenarios: ScenarioResult[],
  window = DRIFT_WINDOW,
): { table: DriftTable; runs: number } {
  const table: DriftTable = new Map();
  const recent = [...history]
    .sort((a, b) => Date.parse(a.meta.finishedAt) - Date.parse(b.meta.finishedAt))
    .slice(-window);
  let runsUsed = 0;
  for (const scenario of scenarios) {
    const past = recent.flatMap((run) =>
      run.scenarios.filter((s) => s.name === scenario.name && s.fingerprint === scenario.fingerprint),
    );
    runsUsed = Math.max(runsUsed, past.length);
    const requests = scenario.requests.length
      ? scenario.requests.map((r) => r.name)
      : [...new Set(scenario.trials.flatMap((t) => t.requests.map((r) => r.name)))];
    for (const def of Object.values(METRICS)) {
      const names = def.level === 'scenario' ? [null] : requests;
      const own: Array<{ request: string | null; drift: SeriesDrift }> = [];
      for (const request of names) {
        const summaries = past.flatMap((s) => {
          const summary = summarise(
            def,
            seriesValues(
              s.trials.filter((t) => t.valid),
              def,
              request,
            ),
          );
          return summary ? [summary] : [];
        });
        if (summaries.length < DRIFT_MIN_RUNS) continue;
        const b = betweenRunVariance(summaries);
        own.push({ request, drift: { variance: b.variance, df: b.df, runs: b.runs, source: 'own' } });
      }
      for (const o of own) table.set(seriesKey(scenario.name, o.request, def.id), o.drift);
      if (own.length === 0) continue;
      const similar: SeriesDrift = {
        variance: median(own.map((o) => o.drift.variance)),
        df: Math.min(...own.map((o) => o.drift.df)),
        runs: Math.min(...own.map((o) => o.drift.runs)),
        source: 'similar',
      };
      for (const request of names) {
        const key = seriesKey(scenario.name, request, def.id);
        if (!table.has(key)) table.set(key, similar);
      }
    }
  }
  return { table, runs: runsUsed };
}
