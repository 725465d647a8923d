// The metric catalogue: what can be compared, in which unit, and which direction is worse.
// Request-level metrics come from each request's trial result; scenario-level ones from the whole trial.
import type { RequestTrialResult, TrialResult } from '../contracts/run-result.ts';
import { METRIC_IDS, type MetricId } from '../contracts/metric-ids.ts';

export type MetricUnit = 'us' | 'req/s' | 'fraction' | 'ms' | 'cores' | 'bytes';

export interface MetricDef {
  id: MetricId;
  label: string;
  unit: MetricUnit;
  /** Which direction is a regression. */
  worse: 'higher' | 'lower';
  /**
   * ratio: changes are relative (candidate / baseline, estimated on logs); values must be > 0.
   * difference: changes are absolute (candidate - baseline), e.g. error rate in percentage points.
   */
  scale: 'ratio' | 'difference';
  /** request: one series per request name; scenario: one series per scenario (all requests together). */
  level: 'request' | 'scenario';
  /** Comes from the target's resource probe: absent when no probe ran. */
  resource?: boolean;
  fromRequest?: (r: RequestTrialResult) => number;
  fromTrial?: (t: TrialResult) => number;
}

const latency = (id: 'p50' | 'p90' | 'p95' | 'p99', label: string): MetricDef => ({
  id,
  label,
  unit: 'us',
  worse: 'higher',
  scale: 'ratio',
  level: 'request',
  fromRequest: (r) => r.latencyUs[id],
});

export const METRICS: Record<MetricId, MetricDef> = {
  p50: latency('p50', 'p50 latency'),
  p90: latency('p90', 'p90 latency'),
  p95: latency('p95', 'p95 latency'),
  p99: latency('p99', 'p99 latency'),
  errorRate: {
    id: 'errorRate',
    label: 'error rate',
    unit: 'fraction',
    worse: 'higher',
    scale: 'difference',
    level: 'request',
    fromRequest: (r) => r.errorRate,
  },
  // In a closed model every request shares the same connections, so one slower request lowers every
  // request's throughput: throughput is judged for the scenario as a whole.
  throughput: {
    id: 'throughput',
    label: 'throughput',
    unit: 'req/s',
    worse: 'lower',
    scale: 'ratio',
    level: 'scenario',
    fromTrial: (t) => t.requests.reduce((sum, r) => sum + r.throughput, 0),
  },
  // The target's resource use (resource probe): CPU per request is the cost-regression signal.
  cpuMsPerRequest: {
    id: 'cpuMsPerRequest',
    label: 'CPU per request',
    unit: 'ms',
    worse: 'higher',
    scale: 'ratio',
    level: 'scenario',
    resource: true,
    fromTrial: (t) => t.resources?.cpuMsPerRequest ?? Number.NaN,
  },
  cpuCores: {
    id: 'cpuCores',
    label: 'CPU cores (mean)',
    unit: 'cores',
    worse: 'higher',
    scale: 'ratio',
    level: 'scenario',
    resource: true,
    fromTrial: (t) => t.resources?.cpuCoresMean ?? Number.NaN,
  },
  memoryPeak: {
    id: 'memoryPeak',
    label: 'memory peak',
    unit: 'bytes',
    worse: 'higher',
    scale: 'ratio',
    level: 'scenario',
    resource: true,
    fromTrial: (t) => t.resources?.memoryPeakBytes ?? Number.NaN,
  },
};

export function isMetricId(x: string): x is MetricId {
  return (METRIC_IDS as readonly string[]).includes(x);
}
