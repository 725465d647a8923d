// What the config loader returns: perf-gate.yml and its scenario files, resolved (absolute paths,
// durations in ms, thresholds parsed). Types only.

import type { GeneratorLimits, Scenario } from '../scenario/model.ts';
import type { Thresholds } from '../compare/rules.ts';
import type { InvalidTrialPolicy } from '../verdict/trial-loss.ts';
import type { ProfilingConfig, ResourcesConfig, ServiceConfig } from '../measure/settings.ts';
import type { RightsizingSettings } from '../rightsizing/index.ts';

export interface LoadedConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Absolute directory of the config file (scenario globs and output paths are relative to it). */
  dir: string;
  /** The default target: --target, else the config's `target`, without trailing slashes (scenarios may override it). */
  target?: string;
  scenarios: Scenario[];
  generator: GeneratorLimits;
  /** Absolute. */
  outputDir: string;
  /** Absolute. */
  baselineDir: string;
  /** The gate's thresholds (docs/thresholds.md), defaults when the config has none. */
  thresholds: Thresholds;
  /** Invalid trials the candidate may have beyond the baseline's before the gate fails. */
  invalidTrials: InvalidTrialPolicy;
  /** Every value substituted from the environment: mask in logs, never write into results. */
  secrets: string[];
  /** A target perf-gate starts itself (absolute cwd). */
  service?: ServiceConfig;
  /** The resource probe, when configured (or implied by `service`). */
  resources?: ResourcesConfig;
  rightsizing?: RightsizingConfig;
  /** Adaptive trials (defaults.sequential); absent when turned off. */
  adaptive?: { first: number; maxTimeMs: number };
  /** Per-trial CPU profiles of targets perf-gate does not start (`profile`), and the sampling interval. */
  profiling?: ProfilingConfig;
}

/** Rightsizing settings as the pure rightsizing module takes them. */
export type RightsizingConfig = RightsizingSettings;
