// What the measure layer needs from the configuration: the service it may start, the resource probe and
// the profilers. Declared here, where they are used; src/config parses perf-gate.yml into them.
import type { ResourceSpec } from './collectors/resources/probe.ts';
import type { ProfilerTarget } from './profiling/trial-profiler.ts';

export interface ProfilingConfig {
  /** The measured target's profiler (the candidate in a gate). */
  target?: ProfilerTarget;
  /** Paired mode: the baseline deployment's profiler. */
  baselineTarget?: ProfilerTarget;
  /** Inspector sampling interval, µs. */
  samplingIntervalUs: number;
  /** Keep V8's inlining in a service started with cpuProfile (default: --no-turbo-inlining). */
  keepInlining: boolean;
}

export interface ServiceConfig {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  readyTimeoutMs: number;
  cpuProfile: boolean;
}

export interface ResourcesConfig {
  /** 'service': the process of `service` (known only once it runs). */
  probe: ResourceSpec | 'service';
  intervalMs: number;
}
