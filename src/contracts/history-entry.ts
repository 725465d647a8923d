// History entries: the compact summary of one baseline run kept on the main branch for months (trial-level
// values of a few metrics per request, the commit, the time and the runner), and the exclusions that
// `baseline mark-bad` records. The zod schemas are the contract; the types are derived from them.
import { z } from 'zod';

export const HISTORY_ENTRY_KIND = 'perf-gate/history-entry';
export const HISTORY_ENTRY_SCHEMA_VERSION = 1;
export const EXCLUSIONS_KIND = 'perf-gate/exclusions';

/** Metrics kept per request and trial; throughput is kept per scenario (closed-model throughput is shared). */
export const HISTORY_REQUEST_METRICS = ['p50', 'p95', 'p99', 'errorRate'] as const;
export type HistoryRequestMetric = (typeof HISTORY_REQUEST_METRICS)[number];
export type HistoryMetric = HistoryRequestMetric | 'throughput';

const values = z.array(z.number().finite());

export const historyRunnerSchema = z.object({
  cpuModel: z.string(),
  cores: z.number(),
  platform: z.string(),
  arch: z.string(),
  node: z.string(),
  perfGate: z.string(),
});
export type HistoryRunner = z.infer<typeof historyRunnerSchema>;

export const historyScenarioSchema = z.object({
  name: z.string(),
  fingerprint: z.string(),
  /** Valid trials only; successful responses per second. */
  throughput: values,
  requests: z.array(z.object({ name: z.string(), p50: values, p95: values, p99: values, errorRate: values })),
});
export type HistoryScenario = z.infer<typeof historyScenarioSchema>;

export const historyEntrySchema = z.object({
  kind: z.literal(HISTORY_ENTRY_KIND),
  schemaVersion: z.literal(HISTORY_ENTRY_SCHEMA_VERSION),
  /** Unique and sortable by time: `<finishedAt with : and . as ->-<sha12 or nosha>`. */
  id: z.string().min(1),
  /** The commit measured; absent when it could not be told (then the run is shown by time only). */
  commit: z.string().optional(),
  ref: z.string().optional(),
  finishedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  runner: historyRunnerSchema,
  scenarios: z.array(historyScenarioSchema),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** A run excluded from baselines and history by `baseline mark-bad`, with who/why for the audit trail. */
export const historyExclusionSchema = z.object({
  /** An entry id, a full commit sha or a prefix of at least 7 hex digits. */
  run: z.string().min(1),
  reason: z.string(),
  by: z.string(),
  at: z.string(),
});
export type HistoryExclusion = z.infer<typeof historyExclusionSchema>;

export const exclusionsSchema = z.object({
  kind: z.literal(EXCLUSIONS_KIND),
  exclusions: z.array(historyExclusionSchema),
});
