// RunResult: the versioned JSON a measurement run produces (docs/run-result.md documents every field).
// Latencies are whole microseconds; rates are per second; durations are milliseconds.
import type { LatencySummaryUs } from '../collectors/latency-histogram.ts';
import type { LoadModel, RunnerKind } from '../scenario/model.ts';
import type { ResourceTrial } from '../collectors/resources/probe.ts';
import type { TrialServerTiming } from '../attribution/server-timing.ts';
import type { StoredProfile } from '../attribution/profile-codec.ts';

/** What the target consumed during a trial (resource probe), plus its CPU per request. */
export type TrialResources = ResourceTrial & {
  /** Target CPU milliseconds per completed request: the cost-regression signal. */
  cpuMsPerRequest?: number;
};

export const RUN_RESULT_SCHEMA_VERSION = 1;
export const RUN_RESULT_KIND = 'perf-gate/run';

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'other';

export interface RequestErrors {
  /** Responses whose status was not in the request's expected statuses. */
  unexpectedStatus: number;
  /** Requests that got no response within the request timeout. */
  timeouts: number;
  /** Socket-level failures: refused, reset, closed mid-response. */
  connection: number;
}

export interface RequestTrialResult {
  name: string;
  /** Requests that finished in the trial window: responses plus timeouts plus connection errors. */
  attempts: number;
  /**
   * Responses with an expected status; only these are in the latency histogram, with (rate model) the
   * requests due but never sent because the target held every connection (see notSent).
   */
  ok: number;
  /** Rate model: requests due in the window and never sent (the target held every connection). */
  notSent?: number;
  errors: RequestErrors;
  /** (unexpectedStatus + timeouts + connection) / attempts; 0 when there were no attempts. */
  errorRate: number;
  /** Connection errors by socket error code (ECONNREFUSED, ECONNRESET, ...), when there were any. */
  connectionErrorCodes?: Record<string, number>;
  statusCodes: Record<string, number>;
  statusClasses: Record<StatusClass, number>;
  /** Response bytes received (headers and body). */
  bytes: number;
  /** Successful responses per second over the trial's measured window. */
  throughput: number;
  latencyUs: LatencySummaryUs;
  /** HdrHistogram V2 compressed base64 of the successful responses' latencies, in µs. */
  histogram: string;
}

export interface GeneratorHealth {
  /** Generator process CPU over the trial, in cores (1 = one full core). */
  cpuCores: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  rssMb: number;
  /** rate model only */
  intendedRate?: number;
  achievedRate?: number;
  /** rate model: requests due in the window that could not be sent before it ended. */
  notSent?: number;
  /**
   * rate model: of notSent, those waiting for a connection the target still held (target back-pressure);
   * the rest were never scheduled in time (the generator fell behind).
   */
  backlog?: number;
  /** rate model: p99 of how late requests left versus their schedule, ms (includes queueing). */
  sendLagP99Ms?: number;
  /** External load engines (k6): the engine and its version, e.g. "k6 v1.0.0"; absent for the built-in runners. */
  engineVersion?: string;
}

export interface TrialResult {
  /** 0-based index among the scenario's measured trials; -1 for the warm-up. */
  index: number;
  startedAt: string;
  durationMs: number;
  requests: RequestTrialResult[];
  generator: GeneratorHealth;
  /** What the target consumed, when a resource probe is configured. */
  resources?: TrialResources;
  /** Server-Timing phases per request name, when the target sent the header. */
  serverTiming?: TrialServerTiming;
  /** The trial's window on the machine's monotonic clock (µs), to cut a target's CPU profile per trial. */
  monotonicUs?: { start: number; end: number };
  /** false when the trial must not be used (saturated generator, load not held, no responses). */
  valid: boolean;
  invalidReasons: string[];
  /**
   * The target failed during this trial (refused, reset, timed out or answered only unexpected
   * statuses): the trial was ended early and the run stopped after it. Also the first invalid reason.
   */
  fault?: string;
}

export interface RequestDescriptor {
  name: string;
  method: string;
  path: string;
  weight: number;
  /** Hash of everything about this request that changes what is measured (secrets masked). */
  fingerprint: string;
}

export interface ScenarioResult {
  name: string;
  file: string;
  runner: RunnerKind;
  /** Hash of the engine, load model, timeout and request set: only equal fingerprints are compared. */
  fingerprint: string;
  /** Target base URL with credentials and secrets masked. */
  target: string;
  load: LoadModel;
  timeoutMs: number;
  requests: RequestDescriptor[];
  /** Summary of the discarded warm-up trial, or null when there was none. */
  warmup: { durationMs: number; attempts: number; valid: boolean; invalidReasons: string[] } | null;
  trials: TrialResult[];
  /**
   * The target's CPU profile of each trial (index i belongs to trials[i]; null when that trial has none),
   * captured over the Node inspector (`service.cpuProfile`, `profile.inspector`) or pprof (`profile.pprof`).
   * Stored with the baseline (latest only, not in the history), so a later run's regression can be
   * attributed.
   */
  profiles?: Array<StoredProfile | null>;
  /** Why there are no profiles although they were asked for. */
  profilesMissing?: string;
}

export interface RunMeta {
  startedAt: string;
  finishedAt: string;
  /** A label such as "baseline" or "candidate" (optional). */
  label?: string;
  git?: { sha: string; ref?: string; dirty: boolean };
  tool: { perfGate: string; autocannon: string; node: string };
  host: {
    cpuModel: string;
    cores: number;
    platform: string;
    arch: string;
    memoryGb: number;
    /** Kernel release (os.release()); absent in runs recorded before it was. */
    kernel?: string;
  };
}

/** A copy without the (large) CPU profiles, for baseline histories. */
export function withoutProfiles(run: RunResult): RunResult {
  return {
    ...run,
    scenarios: run.scenarios.map(({ profiles: _p, profilesMissing: _m, ...rest }) => rest),
  };
}

/** Why a run stopped before measuring everything it was asked to; its result keeps what was measured. */
export interface RunFailureInfo {
  scenario: string;
  /** 0-based trial index; -1 for the warm-up. */
  trial: number;
  reason: string;
}

export interface RunResult {
  kind: typeof RUN_RESULT_KIND;
  schemaVersion: typeof RUN_RESULT_SCHEMA_VERSION;
  meta: RunMeta;
  scenarios: ScenarioResult[];
  /** Present when the run stopped part-way (the target failed): such a run is never a baseline or a pass. */
  failure?: RunFailureInfo;
}
