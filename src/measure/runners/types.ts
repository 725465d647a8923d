import type { TrialRecorder } from '../collectors/request-recorder.ts';
import type { GeneratorHealth } from '../../contracts/run-result.ts';
import type { Scenario } from '../../scenario/model.ts';

export interface TrialProgress {
  elapsedMs: number;
  attempts: number;
  /** The trial's sinks so far (engines that record locally), to spot a failing target early. */
  recorder?: TrialRecorder;
}

export interface TrialInput {
  scenario: Scenario;
  durationMs: number;
  onProgress?: (progress: TrialProgress) => void;
  /** Ends the trial early (a dead or failing target): the engine stops loading and returns what it measured. */
  signal?: AbortSignal;
}

/** What a runner hands back: the filled sinks and its measured window. */
export interface RawTrial {
  startedAt: string;
  /** The measured window, from first send to the end of the load (shorter when the trial was aborted). */
  durationMs: number;
  recorder: TrialRecorder;
  /** Load-model specific generator facts (the rate model reports its intended and achieved rate). */
  generator?: Partial<GeneratorHealth>;
  /** Engine-specific reasons the trial must not be used (e.g. k6 dropped iterations). */
  problems?: string[];
}

/** A load engine that runs one trial of a scenario. */
export interface TrialEngine {
  readonly name: string;
  runTrial(input: TrialInput): Promise<RawTrial>;
}

/** Joins the target's base URL (which may carry a path prefix) and a request path. */
export function requestUrl(target: string, path: string): URL {
  const base = new URL(target);
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(prefix + path, base.origin);
}
