// The validated, fully-resolved shape of what perf-gate measures. The config loader produces it;
// runners consume it. Durations are milliseconds, rates are requests per second.

import type { LoadModel, RunnerKind } from '../contracts/run-result.ts';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One named request of a scenario. Every response is attributed to exactly one of these by name. */
export interface RequestSpec {
  name: string;
  method: HttpMethod;
  /** Path and query, always starting with '/'; joined to the target's base URL. */
  path: string;
  /** Scenario-level headers merged with the request's own (request wins). */
  headers: Record<string, string>;
  /** Raw request body; a YAML `json:` body is serialised here and sets content-type. */
  body?: string;
  /** Statuses that count as success. Anything else counts as an error for the error rate. */
  expectStatus: number[];
  /** Relative share of this request in the mix (positive integer). */
  weight: number;
}

/** Distributed k6 load through the k6-operator on Kubernetes (docs/k6.md). */
export interface K6Distributed {
  /** Number of k6 runner pods; the load model is split between them (k6 execution segments). */
  parallelism: number;
  /** Namespace of the TestRun; absent: kubectl's current namespace. */
  namespace?: string;
  /** kubectl executable: a name looked up on PATH, or a path. */
  kubectl: string;
  /** Runner image, e.g. grafana/k6:1.0.0. Absent: the operator's default. */
  image?: string;
  /** How long the cluster may take to schedule and start the runners, on top of the trial. */
  startTimeoutMs: number;
}

/** Options of the k6 runner (docs/k6.md). */
export interface K6Options {
  /** k6 executable: a name looked up on PATH, or a path. */
  binary: string;
  /** Absolute path of the user's own k6 script; absent: the script is generated from `requests`. */
  script?: string;
  /** sha256 of the script's text (set by the config loader): a changed script is a different scenario. */
  scriptSha256?: string;
  distributed?: K6Distributed;
}

export interface Scenario {
  name: string;
  /** The file the scenario came from (for messages). */
  file: string;
  runner: RunnerKind;
  /** Base URL of the target, e.g. http://127.0.0.1:3000 (may carry a path prefix). */
  target: string;
  /** Empty only for a k6 scenario with its own script, whose `name` tags become the request names. */
  requests: RequestSpec[];
  load: LoadModel;
  /** Duration of the discarded warm-up trial; 0 skips it. */
  warmupMs: number;
  trials: number;
  /** Pause between trials. */
  pauseMs: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /** k6 runner options; absent means the defaults (k6 on PATH, generated script, local). */
  k6?: K6Options;
}

/** Limits beyond which a trial's own load generator is considered saturated (trial invalid). */
export interface GeneratorLimits {
  /** Generator process CPU, in cores (1 = one full core), averaged over the trial. */
  maxCpuCores: number;
  /** p99 event-loop delay of the generator, ms. */
  maxEventLoopDelayP99Ms: number;
  /** Rate model: achieved/intended arrival rate below this fraction means the load was not held. */
  minRateAchieved: number;
}

export const DEFAULT_GENERATOR_LIMITS: GeneratorLimits = {
  maxCpuCores: 0.9,
  maxEventLoopDelayP99Ms: 20,
  minRateAchieved: 0.95,
};
