// The process-starter port: a target perf-gate starts (a configured service, the demo's) lives around a
// unit of work and is stopped whatever happens. service.ts implements it; the use cases take it.
import type { ProbeSetup } from './run-trials.ts';
import type { ProfilerSetup } from './profiling/trial-profiler.ts';

/** What a started target lends the measurement: its resource probe and profilers, and its URL. */
export interface TargetSetup {
  probe?: ProbeSetup;
  profiler?: ProfilerSetup;
  baselineProfiler?: ProfilerSetup;
  /** The started target's base URL when only the start tells it (a port chosen by the OS). */
  url?: string;
}

/** Starts the target (when the shell configured one) around a unit of work, and stops it whatever happens. */
export interface ProcessStarter {
  around<T>(work: (setup: TargetSetup) => Promise<T>): Promise<T>;
}

/** Nothing to start: the target is already running somewhere. */
export const noProcess: ProcessStarter = { around: (work) => work({}) };
