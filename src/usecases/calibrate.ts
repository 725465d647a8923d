// Finds a load the generator can hold on this runner: short probe trials of each scenario, stepping the
// load down (scaled by how far over its limits the generator was) until two trials in a row are valid.
// A target fault stops the search: no load level fixes a failing target.
import { runTrial, type TrialContext } from '../measure/run-trials.ts';
import { RunFailure } from '../contracts/errors.ts';
import { targetBound } from '../measure/collectors/generator-health.ts';
import type { TrialResult } from '../contracts/run-result.ts';
import type { Scenario } from '../scenario/model.ts';
import type { LoadModel } from '../contracts/run-result.ts';

export interface CalibrationStep {
  load: LoadModel;
  valid: boolean;
  reasons: string[];
  generatorCpuCores: number;
  /** Successful responses per second in the step's last probe trial. */
  okPerSec: number;
}

export interface Calibration {
  scenario: string;
  configured: LoadModel;
  /** The highest load tried that the generator held, or null when even the lowest did not. */
  holds: LoadModel | null;
  steps: CalibrationStep[];
  /**
   * Closed model that no connection count could hold: the generator sends as fast as the target
   * answers at any concurrency, so only an arrival rate bounds its work. A rate it could likely hold.
   */
  rateHint?: number;
}

export interface CalibrateOptions extends TrialContext {
  /** Length of each probe trial. */
  trialMs: number;
  /** Probe trials that must be valid in a row at a level. */
  confirmations?: number;
  maxSteps?: number;
}

/** The next, lower load: scaled by the generator's headroom (CPU and achieved rate), at least one step down. */
export function lowerLoad(load: LoadModel, trial: TrialResult, maxCpuCores: number): LoadModel | null {
  const g = trial.generator;
  const cpuShare = g.cpuCores > maxCpuCores ? maxCpuCores / g.cpuCores : 1;
  const rateShare = g.intendedRate && g.achievedRate && !targetBound(g) ? g.achievedRate / g.intendedRate : 1;
  const share = Math.min(cpuShare, rateShare, 1) * 0.8;
  if (load.model === 'closed') {
    if (load.connections <= 1) return null;
    const connections = Math.max(1, Math.min(load.connections - 1, Math.floor(load.connections * share)));
    return { ...load, connections };
  }
  if (load.ratePerSec <= 1) return null;
  const ratePerSec = Math.max(1, Math.min(load.ratePerSec - 1, Math.floor(load.ratePerSec * share)));
  return { ...load, ratePerSec };
}

export async function calibrateScenario(scenario: Scenario, o: CalibrateOptions): Promise<Calibration> {
  const confirmations = o.confirmations ?? 2;
  const steps: CalibrationStep[] = [];
  let load: LoadModel | null = scenario.load;
  for (let step = 0; load && step < (o.maxSteps ?? 8); step++) {
    const probe: Scenario = { ...scenario, load: { ...load, durationMs: o.trialMs }, trials: confirmations };
    let held = true;
    let last: TrialResult | undefined;
    for (let i = 0; i < confirmations && held; i++) {
      last = await runTrial(probe, i, o.trialMs, o);
      if (last.fault) {
        throw new RunFailure(`${scenario.name}: ${last.fault}; no load level fixes a failing target`);
      }
      held = last.valid;
    }
    steps.push({
      load,
      valid: held,
      reasons: last?.invalidReasons ?? [],
      generatorCpuCores: last?.generator.cpuCores ?? 0,
      okPerSec: last
        ? last.requests.reduce((n, r) => n + r.ok, 0) / Math.max(last.durationMs / 1000, 0.001)
        : 0,
    });
    if (held) return { scenario: scenario.name, configured: scenario.load, holds: load, steps };
    load = lowerLoad(load, last!, o.limits.maxCpuCores);
  }
  const last = steps.at(-1);
  const rateHint =
    scenario.load.model === 'closed' && last && last.okPerSec > 0
      ? Math.max(
          1,
          Math.floor(
            last.okPerSec * Math.min(1, o.limits.maxCpuCores / Math.max(last.generatorCpuCores, 0.001)) * 0.5,
          ),
        )
      : undefined;
  return {
    scenario: scenario.name,
    configured: scenario.load,
    holds: null,
    steps,
    ...(rateHint ? { rateHint } : {}),
  };
}

/** "connections: 6" or "rate: 800 per second". */
export function describeLoad(load: LoadModel): string {
  return load.model === 'closed'
    ? `connections: ${load.connections}`
    : `rate: ${load.ratePerSec} per second (connections: ${load.connections})`;
}
