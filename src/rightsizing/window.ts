// The measurement window the advice rests on: which trials count, the tested and target rates, and how
// far the window can be trusted (a short window is advisory; too short or too few samples is low
// confidence; a CPU-saturated load generator makes every figure unreliable).
import type { MeasuredTrial, RightsizingInput, RightsizingOptions, RightsizingReport } from './model.ts';
import { r3, r4 } from './units.ts';

export interface MeasurementWindow {
  /** Trials that completed requests in a non-empty window: the only ones the advice uses. */
  trials: MeasuredTrial[];
  /** What the probes could not measure, over all trials, deduplicated. */
  missing: string[];
  notes: string[];
  steadyStateMs: number;
  /** Requests per second over the usable trials, and the rate the advice is for (unrounded). */
  testedRps: number;
  targetRps: number;
  /** targetRps / testedRps; 1 when nothing was tested. */
  scale: number;
  window: RightsizingReport['window'];
  confidence: RightsizingReport['confidence'];
  label: string;
}

const sum = (trials: MeasuredTrial[], of: (t: MeasuredTrial) => number) =>
  trials.reduce((n, t) => n + of(t), 0);

export function measurementWindow(input: RightsizingInput, o: RightsizingOptions): MeasurementWindow {
  const notes: string[] = [];
  const trials = input.trials.filter((t) => t.durationMs > 0 && t.requests > 0);
  const missing = [...new Set(input.trials.flatMap((t) => t.resources.missing))];
  if (trials.length < input.trials.length) {
    notes.push(`${input.trials.length - trials.length} trial(s) without completed requests were left out`);
  }
  const sources = [...new Set(input.trials.map((t) => t.resources.source))];
  const source = sources.length === 1 ? sources[0]! : sources.join(', ') || 'none';
  const steadyStateMs = sum(trials, (t) => t.resources.windowMs);
  const samples = sum(trials, (t) => t.resources.samples);
  const totalSeconds = sum(trials, (t) => t.durationMs / 1000);
  const testedRps = totalSeconds > 0 ? sum(trials, (t) => t.requests) / totalSeconds : 0;
  const targetRps = input.targetRps ?? testedRps;
  const scale = testedRps > 0 ? targetRps / testedRps : 1;
  const description =
    `${trials.length} trial${trials.length === 1 ? '' : 's'} × ${(steadyStateMs / Math.max(trials.length, 1) / 1000).toFixed(1)} s ` +
    `steady state at ${testedRps.toFixed(0)} req/s · ${source}`;
  const window = {
    trials: trials.length,
    steadyStateMs,
    samples,
    source,
    testedRps: r3(testedRps),
    targetRps: r3(targetRps),
    scale: r4(scale),
    description,
  };
  return {
    trials,
    missing,
    notes,
    steadyStateMs,
    testedRps,
    targetRps,
    scale,
    window,
    ...trust(input.hostCpuSaturated === true, steadyStateMs, samples, o),
  };
}

/** How far the window can be trusted, and the label that says so. */
function trust(
  hostCpuSaturated: boolean,
  steadyStateMs: number,
  samples: number,
  o: RightsizingOptions,
): { confidence: RightsizingReport['confidence']; label: string } {
  const label = 'advisory (short window)';
  if (hostCpuSaturated) {
    return {
      confidence: 'unreliable',
      label: `${label}, unreliable (the load generator host was CPU-saturated)`,
    };
  }
  if (steadyStateMs < o.minSteadyStateMs || samples < o.minSamples) {
    return {
      confidence: 'low',
      label: `${label}, low confidence (${(steadyStateMs / 1000).toFixed(1)} s, ${samples} samples; want ≥ ${o.minSteadyStateMs / 1000} s and ≥ ${o.minSamples})`,
    };
  }
  return { confidence: 'advisory', label };
}
