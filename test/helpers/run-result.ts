// Builds RunResults from chosen per-trial latencies, with real encoded histograms, for tests that start
// from stored results (codec, store, comparison) instead of running load.
import {
  createLatencyHistogram,
  encodeHistogram,
  recordLatencyMs,
  summarizeHistogram,
} from '../../src/measure/collectors/latency-histogram.ts';
import type {
  RequestTrialResult,
  RunResult,
  ScenarioResult,
  TrialResult,
} from '../../src/contracts/run-result.ts';

export interface SyntheticRequest {
  name: string;
  /** Latency samples (ms) per trial. */
  trialsMs: number[][];
  errorRates?: number[];
}

export function requestTrial(
  name: string,
  samplesMs: number[],
  errorRate = 0,
  windowMs = 1000,
): RequestTrialResult {
  const h = createLatencyHistogram();
  for (const ms of samplesMs) recordLatencyMs(h, ms);
  const ok = samplesMs.length;
  const failed = errorRate > 0 ? Math.round((ok * errorRate) / (1 - errorRate)) : 0;
  return {
    name,
    attempts: ok + failed,
    ok,
    errors: { unexpectedStatus: failed, timeouts: 0, connection: 0 },
    errorRate: ok + failed === 0 ? 0 : failed / (ok + failed),
    statusCodes: { '200': ok, ...(failed ? { '500': failed } : {}) },
    statusClasses: { '1xx': 0, '2xx': ok, '3xx': 0, '4xx': 0, '5xx': failed, other: 0 },
    bytes: ok * 100,
    throughput: (ok * 1000) / windowMs,
    latencyUs: summarizeHistogram(h),
    histogram: encodeHistogram(h),
  };
}

export function syntheticScenario(
  name: string,
  requests: SyntheticRequest[],
  fingerprint = `fp-${name}`,
): ScenarioResult {
  const nTrials = Math.max(...requests.map((r) => r.trialsMs.length));
  const trials: TrialResult[] = Array.from({ length: nTrials }, (_, i) => ({
    index: i,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    durationMs: 1000,
    requests: requests.map((r) => requestTrial(r.name, r.trialsMs[i] ?? [], r.errorRates?.[i] ?? 0)),
    generator: { cpuCores: 0.2, eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 2, rssMb: 80 },
    valid: true,
    invalidReasons: [],
  }));
  return {
    name,
    file: `${name}.yml`,
    runner: 'autocannon',
    fingerprint,
    target: 'http://127.0.0.1:1',
    load: { model: 'closed', connections: 4, durationMs: 1000 },
    timeoutMs: 1000,
    requests: requests.map((r) => ({
      name: r.name,
      method: 'GET',
      path: `/${r.name}`,
      weight: 1,
      fingerprint: `rq-${r.name}`,
    })),
    warmup: null,
    trials,
  };
}

export function syntheticRun(scenarios: ScenarioResult[], label = 'test'): RunResult {
  return {
    kind: 'perf-gate/run',
    schemaVersion: 1,
    meta: {
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:01:00.000Z',
      label,
      git: { sha: '0123456789abcdef0123456789abcdef01234567', ref: 'main', dirty: false },
      tool: { perfGate: '0.1.0', autocannon: '9.0.0', node: 'v20.20.2' },
      host: { cpuModel: 'test cpu', cores: 2, platform: 'linux', arch: 'x64', memoryGb: 24 },
    },
    scenarios,
  };
}
