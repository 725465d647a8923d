// RunResult: the versioned JSON a measurement run produces (docs/run-result.md documents every field).
// The zod schema is the contract: the types below are derived from it, so what a decoded file is
// checked against and what the code reads are one description. Latencies are whole microseconds; rates
// are per second; durations are milliseconds.
import { z } from 'zod';

export const RUN_RESULT_SCHEMA_VERSION = 1;
export const RUN_RESULT_KIND = 'perf-gate/run';

const count = z.number().int().nonnegative();
const num = z.number().finite();

export const runnerKindSchema = z.enum(['autocannon', 'k6']);
export type RunnerKind = z.infer<typeof runnerKindSchema>;

/**
 * closed: a fixed number of connections, each sending its next request when the previous answer arrives
 *   ("latency at concurrency c"; throughput is meaningful).
 * rate: an open model: requests are scheduled at a constant arrival rate, latency is measured from the
 *   scheduled send time (coordinated omission corrected); `connections` caps concurrency.
 */
export const loadSchema = z.discriminatedUnion('model', [
  z.object({ model: z.literal('closed'), connections: z.number().int().positive(), durationMs: num }),
  z.object({
    model: z.literal('rate'),
    ratePerSec: num,
    connections: z.number().int().positive(),
    durationMs: num,
  }),
]);
export type LoadModel = z.infer<typeof loadSchema>;

/** Latency summary of one histogram, whole µs (mean and stdDev to 0.1 µs); all 0 when it is empty. */
export const latencySummarySchema = z.object({
  count,
  min: num,
  mean: num,
  stdDev: num,
  p50: num,
  p90: num,
  p95: num,
  p99: num,
  p999: num,
  max: num,
});
export type LatencySummaryUs = z.infer<typeof latencySummarySchema>;

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export const requestErrorsSchema = z.object({
  /** Responses whose status was not in the request's expected statuses. */
  unexpectedStatus: count,
  /** Requests that got no response within the request timeout. */
  timeouts: count,
  /** Socket-level failures: refused, reset, closed mid-response. */
  connection: count,
});
export type RequestErrors = z.infer<typeof requestErrorsSchema>;

export const requestTrialSchema = z.object({
  name: z.string(),
  /** Requests that finished in the trial window: responses plus timeouts plus connection errors. */
  attempts: count,
  /**
   * Responses with an expected status; only these are in the latency histogram, with (rate model) the
   * requests due but never sent because the target held every connection (see notSent).
   */
  ok: count,
  /** Rate model: requests due in the window and never sent (the target held every connection). */
  notSent: count.optional(),
  errors: requestErrorsSchema,
  /** (unexpectedStatus + timeouts + connection) / attempts; 0 when there were no attempts. */
  errorRate: z.number().min(0).max(1),
  /** Connection errors by socket error code (ECONNREFUSED, ECONNRESET, ...), when there were any. */
  connectionErrorCodes: z.record(z.string(), count).optional(),
  statusCodes: z.record(z.string(), count),
  /** Every class is present (0 when none). */
  statusClasses: z.record(z.enum(STATUS_CLASSES), count),
  /** Response bytes received (headers and body). */
  bytes: count,
  /** Successful responses per second over the trial's measured window. */
  throughput: num,
  latencyUs: latencySummarySchema,
  /** HdrHistogram V2 compressed base64 of the successful responses' latencies, in µs. */
  histogram: z.string(),
});
export type RequestTrialResult = z.infer<typeof requestTrialSchema>;

export const generatorHealthSchema = z.object({
  /** Generator process CPU over the trial, in cores (1 = one full core). */
  cpuCores: num,
  eventLoopDelayP99Ms: num,
  eventLoopDelayMaxMs: num,
  rssMb: num,
  /** rate model only */
  intendedRate: num.optional(),
  achievedRate: num.optional(),
  /** rate model: requests due in the window that could not be sent before it ended. */
  notSent: count.optional(),
  /**
   * rate model: of notSent, those waiting for a connection the target still held (target back-pressure);
   * the rest were never scheduled in time (the generator fell behind).
   */
  backlog: count.optional(),
  /** rate model: p99 of how late requests left versus their schedule, ms (includes queueing). */
  sendLagP99Ms: num.optional(),
  /** External load engines (k6): the engine and its version, e.g. "k6 v1.0.0"; absent for the built-in runners. */
  engineVersion: z.string().optional(),
});
export type GeneratorHealth = z.infer<typeof generatorHealthSchema>;

export const resourceSourceKindSchema = z.enum(['pid', 'cgroup', 'metrics']);
export type ResourceSourceKind = z.infer<typeof resourceSourceKindSchema>;

const optionalNumber = num.optional();
/**
 * What the target consumed during one trial's window (a resource probe's reading). Every number is
 * finite; a figure that could not be measured is absent and `missing` says why. Units: cores (1 = one
 * CPU fully busy), seconds, bytes, milliseconds.
 */
export const resourceTrialSchema = z.object({
  kind: resourceSourceKindSchema,
  /** Human-readable source, e.g. "pid 4242 and its descendants", credentials removed from URLs. */
  source: z.string(),
  /** From the first to the last reading used. */
  windowMs: num,
  /** Readings taken in the window. */
  samples: count,
  /** CPU seconds / window seconds. */
  cpuCoresMean: optionalNumber,
  /** 95th percentile (type 7) of the per-interval CPU rate. */
  cpuCoresP95: optionalNumber,
  cpuCoresMax: optionalNumber,
  /** CPU time used in the window, all processes / the whole cgroup. */
  cpuSeconds: optionalNumber,
  /** Highest memory seen in the window: cgroup memory.peak when it rose in the window, else the largest
   *  sampled memory.current (page cache included); pid: summed RSS, raised by a VmHWM that rose in the
   *  window; metrics: largest sampled process_resident_memory_bytes. */
  memoryPeakBytes: optionalNumber,
  /** Highest working set: cgroup memory.current − inactive_file (as kubelet); pid/metrics: as memoryPeakBytes. */
  memoryWorkingSetBytes: optionalNumber,
  /** cgroup: periods with runnable tasks and periods throttled by cpu.max, in the window. */
  cpuPeriods: optionalNumber,
  throttledPeriods: optionalNumber,
  throttledSeconds: optionalNumber,
  /** cgroup cpu.max quota / period; absent when unlimited ("max") or unknown (see missing). */
  cpuLimitCores: optionalNumber,
  /** cgroup memory.max; absent when unlimited or unknown. */
  memoryLimitBytes: optionalNumber,
  /** cgroup memory.events oom_kill increase in the window. */
  oomKills: optionalNumber,
  /** pid: most processes seen in the tree at one reading. */
  processes: optionalNumber,
  /** metrics (Node prom-client): highest nodejs_eventloop_lag_p99_seconds scraped, in ms. */
  eventLoopLagP99Ms: optionalNumber,
  /** What could not be measured and why. Empty when everything was. */
  missing: z.array(z.string()),
});
export type ResourceTrial = z.infer<typeof resourceTrialSchema>;

/** What the target consumed during a trial (resource probe), plus its CPU per request. */
export const trialResourcesSchema = resourceTrialSchema.extend({
  /** Target CPU milliseconds per completed request: the cost-regression signal. */
  cpuMsPerRequest: optionalNumber,
});
export type TrialResources = z.infer<typeof trialResourcesSchema>;

export const phaseAggregateSchema = z.object({
  /** Sum of the phase's durations over all responses, ms. */
  sumMs: num,
  /** Number of metric entries (a response may time a phase several times). */
  entries: count,
  /** Responses that carried the phase. */
  responses: count,
  /** sumMs / all responses of the request (responses without the phase count as 0), ms per request. */
  meanMsPerRequest: num,
  /** meanMsPerRequest / mean latency of the request. */
  shareOfLatency: num,
});
export type PhaseAggregate = z.infer<typeof phaseAggregateSchema>;

export const requestServerTimingSchema = z.object({
  responses: count,
  latencySumMs: num,
  meanLatencyMs: num,
  /** Responses that had at least one Server-Timing metric. */
  withServerTiming: count,
  phases: z.record(z.string(), phaseAggregateSchema),
});
export type RequestServerTiming = z.infer<typeof requestServerTimingSchema>;

/** One trial's Server-Timing figures per request name. */
export const trialServerTimingSchema = z.object({
  requests: z.record(z.string(), requestServerTimingSchema),
});
export type TrialServerTiming = z.infer<typeof trialServerTimingSchema>;

export const frameKindSchema = z.enum(['js', 'native', 'program', 'gc', 'idle']);
export type FrameKind = z.infer<typeof frameKindSchema>;

/** A CPU profile in the compact form stored with a run (attribution/profile-codec.ts encodes it). */
export const storedProfileSchema = z.object({
  format: z.enum(['cpuprofile', 'pprof']),
  /** [name, url, line, column, kind] per function. */
  functions: z.array(z.tuple([z.string(), z.string(), num, num, frameKindSchema])),
  stackParent: z.array(z.number().int()),
  stackFunction: z.array(z.number().int()),
  /** CPU ms with 4 decimals (0.1 µs): well under a sample's resolution. */
  stackSelfMs: z.array(num),
  stackSelfSamples: z.array(num),
  /** [function index, [[line, samples], ...]] */
  lineSamples: z.array(z.tuple([z.number().int(), z.array(z.tuple([num, num]))])),
  cpuMs: num,
  samples: num,
  idleMs: num,
  idleSamples: num,
  wallMs: num,
});
export type StoredProfile = z.infer<typeof storedProfileSchema>;

export const trialSchema = z.object({
  /** 0-based index among the scenario's measured trials; -1 for the warm-up. */
  index: z.number().int().min(-1),
  startedAt: z.string(),
  durationMs: num,
  requests: z.array(requestTrialSchema),
  generator: generatorHealthSchema,
  /** What the target consumed, when a resource probe is configured. */
  resources: trialResourcesSchema.optional(),
  /** Server-Timing phases per request name, when the target sent the header. */
  serverTiming: trialServerTimingSchema.optional(),
  /** The trial's window on the machine's monotonic clock (µs), to cut a target's CPU profile per trial. */
  monotonicUs: z.object({ start: num, end: num }).optional(),
  /** false when the trial must not be used (saturated generator, load not held, no responses). */
  valid: z.boolean(),
  invalidReasons: z.array(z.string()),
  /**
   * The target failed during this trial (refused, reset, timed out or answered only unexpected
   * statuses): the trial was ended early and the run stopped after it. Also the first invalid reason.
   */
  fault: z.string().optional(),
});
export type TrialResult = z.infer<typeof trialSchema>;

export const requestDescriptorSchema = z.object({
  name: z.string(),
  method: z.string(),
  path: z.string(),
  weight: z.number(),
  /** Hash of everything about this request that changes what is measured (secrets masked). */
  fingerprint: z.string(),
});
export type RequestDescriptor = z.infer<typeof requestDescriptorSchema>;

export const scenarioResultSchema = z.object({
  name: z.string(),
  file: z.string(),
  runner: runnerKindSchema,
  /** Hash of the engine, load model, timeout and request set: only equal fingerprints are compared. */
  fingerprint: z.string(),
  /** Target base URL with credentials and secrets masked. */
  target: z.string(),
  load: loadSchema,
  timeoutMs: num,
  requests: z.array(requestDescriptorSchema),
  /** Summary of the discarded warm-up trial, or null when there was none. */
  warmup: z
    .object({ durationMs: num, attempts: count, valid: z.boolean(), invalidReasons: z.array(z.string()) })
    .nullable(),
  trials: z.array(trialSchema),
  /**
   * The target's CPU profile of each trial (index i belongs to trials[i]; null when that trial has none),
   * captured over the Node inspector (`service.cpuProfile`, `profile.inspector`) or pprof (`profile.pprof`).
   * Stored with the baseline (latest only, not in the history), so a later run's regression can be
   * attributed.
   */
  profiles: z.array(storedProfileSchema.nullable()).optional(),
  /** Why there are no profiles although they were asked for. */
  profilesMissing: z.string().optional(),
});
export type ScenarioResult = z.infer<typeof scenarioResultSchema>;

export const runMetaSchema = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  /** A label such as "baseline" or "candidate" (optional). */
  label: z.string().optional(),
  git: z.object({ sha: z.string(), ref: z.string().optional(), dirty: z.boolean() }).optional(),
  tool: z.object({ perfGate: z.string(), autocannon: z.string(), node: z.string() }),
  host: z.object({
    cpuModel: z.string(),
    cores: z.number(),
    platform: z.string(),
    arch: z.string(),
    memoryGb: z.number(),
    /** Kernel release (os.release()); absent in runs recorded before it was. */
    kernel: z.string().optional(),
  }),
});
export type RunMeta = z.infer<typeof runMetaSchema>;

/** Why a run stopped before measuring everything it was asked to; its result keeps what was measured. */
export const runFailureSchema = z.object({
  scenario: z.string(),
  /** 0-based trial index; -1 for the warm-up. */
  trial: z.number().int().min(-1),
  reason: z.string(),
});
export type RunFailureInfo = z.infer<typeof runFailureSchema>;

export const runResultSchema = z.object({
  kind: z.literal(RUN_RESULT_KIND),
  schemaVersion: z.literal(RUN_RESULT_SCHEMA_VERSION),
  meta: runMetaSchema,
  scenarios: z.array(scenarioResultSchema),
  /** Present when the run stopped part-way (the target failed): such a run is never a baseline or a pass. */
  failure: runFailureSchema.optional(),
});
export type RunResult = z.infer<typeof runResultSchema>;

/** A copy without the (large) CPU profiles, for baseline histories. */
export function withoutProfiles(run: RunResult): RunResult {
  return {
    ...run,
    scenarios: run.scenarios.map(({ profiles: _p, profilesMissing: _m, ...rest }) => rest),
  };
}
