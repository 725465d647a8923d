// Reads and writes RunResult JSON. Reading validates the whole document: a corrupt or unknown-version
// file is an error naming the file, never silently treated as "no baseline".
import { z } from 'zod';
import { DataError } from '../../engine/errors.ts';
import { RUN_RESULT_KIND, RUN_RESULT_SCHEMA_VERSION, type RunResult } from '../../results/run-result.ts';

const count = z.number().int().nonnegative();
const num = z.number().finite();

const latency = z.object({
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

const requestTrial = z.object({
  name: z.string(),
  attempts: count,
  ok: count,
  notSent: count.optional(),
  errors: z.object({ unexpectedStatus: count, timeouts: count, connection: count }),
  errorRate: z.number().min(0).max(1),
  connectionErrorCodes: z.record(z.string(), count).optional(),
  statusCodes: z.record(z.string(), count),
  statusClasses: z.record(z.string(), count),
  bytes: count,
  throughput: num,
  latencyUs: latency,
  histogram: z.string(),
});

const generator = z.object({
  cpuCores: num,
  eventLoopDelayP99Ms: num,
  eventLoopDelayMaxMs: num,
  rssMb: num,
  intendedRate: num.optional(),
  achievedRate: num.optional(),
  notSent: count.optional(),
  backlog: count.optional(),
  sendLagP99Ms: num.optional(),
  engineVersion: z.string().optional(),
});

const optionalNumber = num.optional();
const resources = z.object({
  kind: z.enum(['pid', 'cgroup', 'metrics']),
  source: z.string(),
  windowMs: num,
  samples: count,
  cpuCoresMean: optionalNumber,
  cpuCoresP95: optionalNumber,
  cpuCoresMax: optionalNumber,
  cpuSeconds: optionalNumber,
  memoryPeakBytes: optionalNumber,
  memoryWorkingSetBytes: optionalNumber,
  cpuPeriods: optionalNumber,
  throttledPeriods: optionalNumber,
  throttledSeconds: optionalNumber,
  cpuLimitCores: optionalNumber,
  memoryLimitBytes: optionalNumber,
  oomKills: optionalNumber,
  processes: optionalNumber,
  eventLoopLagP99Ms: optionalNumber,
  missing: z.array(z.string()),
  cpuMsPerRequest: optionalNumber,
});

const phase = z.object({
  sumMs: num,
  entries: count,
  responses: count,
  meanMsPerRequest: num,
  shareOfLatency: num,
});
const serverTiming = z.object({
  requests: z.record(
    z.string(),
    z.object({
      responses: count,
      latencySumMs: num,
      meanLatencyMs: num,
      withServerTiming: count,
      phases: z.record(z.string(), phase),
    }),
  ),
});

const trial = z.object({
  index: z.number().int(),
  startedAt: z.string(),
  durationMs: num,
  requests: z.array(requestTrial),
  generator,
  resources: resources.optional(),
  serverTiming: serverTiming.optional(),
  monotonicUs: z.object({ start: num, end: num }).optional(),
  valid: z.boolean(),
  invalidReasons: z.array(z.string()),
  fault: z.string().optional(),
});

export const loadSchema = z.discriminatedUnion('model', [
  z.object({ model: z.literal('closed'), connections: z.number().int().positive(), durationMs: num }),
  z.object({
    model: z.literal('rate'),
    ratePerSec: num,
    connections: z.number().int().positive(),
    durationMs: num,
  }),
]);

const storedProfile = z.object({
  format: z.enum(['cpuprofile', 'pprof']),
  functions: z.array(
    z.tuple([z.string(), z.string(), num, num, z.enum(['js', 'native', 'program', 'gc', 'idle'])]),
  ),
  stackParent: z.array(z.number().int()),
  stackFunction: z.array(z.number().int()),
  stackSelfMs: z.array(num),
  stackSelfSamples: z.array(num),
  lineSamples: z.array(z.tuple([z.number().int(), z.array(z.tuple([num, num]))])),
  cpuMs: num,
  samples: num,
  idleMs: num,
  idleSamples: num,
  wallMs: num,
});

const scenario = z.object({
  name: z.string(),
  file: z.string(),
  runner: z.enum(['autocannon', 'k6']),
  fingerprint: z.string(),
  target: z.string(),
  load: loadSchema,
  timeoutMs: num,
  requests: z.array(
    z.object({
      name: z.string(),
      method: z.string(),
      path: z.string(),
      weight: z.number(),
      fingerprint: z.string(),
    }),
  ),
  warmup: z
    .object({ durationMs: num, attempts: count, valid: z.boolean(), invalidReasons: z.array(z.string()) })
    .nullable(),
  trials: z.array(trial),
  profiles: z.array(storedProfile.nullable()).optional(),
  profilesMissing: z.string().optional(),
});

export const runMetaSchema = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  label: z.string().optional(),
  git: z.object({ sha: z.string(), ref: z.string().optional(), dirty: z.boolean() }).optional(),
  tool: z.object({ perfGate: z.string(), autocannon: z.string(), node: z.string() }),
  host: z.object({
    cpuModel: z.string(),
    cores: z.number(),
    platform: z.string(),
    arch: z.string(),
    memoryGb: z.number(),
    kernel: z.string().optional(),
  }),
});

export const runResultSchema = z.object({
  kind: z.literal(RUN_RESULT_KIND),
  schemaVersion: z.literal(RUN_RESULT_SCHEMA_VERSION),
  meta: runMetaSchema,
  scenarios: z.array(scenario),
  failure: z.object({ scenario: z.string(), trial: z.number().int(), reason: z.string() }).optional(),
});

export function encodeRunResult(run: RunResult): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}

/** Parses and validates a RunResult; `source` names the file in every error. */
export function decodeRunResult(text: string, source: string): RunResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DataError(`${source}: not valid JSON (${(err as Error).message}); the file is corrupt`, source);
  }
  if (typeof data !== 'object' || data === null || (data as { kind?: unknown }).kind !== RUN_RESULT_KIND) {
    throw new DataError(
      `${source}: not a perf-gate run result (expected "kind": "${RUN_RESULT_KIND}")`,
      source,
    );
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== RUN_RESULT_SCHEMA_VERSION) {
    throw new DataError(
      `${source}: run result schema version ${JSON.stringify(version)} is not supported ` +
        `(this perf-gate reads version ${RUN_RESULT_SCHEMA_VERSION}); re-create the baseline with this version`,
      source,
    );
  }
  const parsed = runResultSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new DataError(`${source}: invalid run result: ${first}`, source);
  }
  return parsed.data as RunResult;
}
