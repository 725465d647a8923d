// The metrics perf-gate compares, by id: stored in comparisons, verdicts and reports, so part of the
// contract. Their units, directions and extractors are in compare/metrics.ts.
export const METRIC_IDS = [
  'p50',
  'p90',
  'p95',
  'p99',
  'throughput',
  'errorRate',
  'cpuMsPerRequest',
  'cpuCores',
  'memoryPeak',
] as const;
export type MetricId = (typeof METRIC_IDS)[number];
