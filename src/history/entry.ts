// History entries: the compact summary of one baseline run kept on the main branch for months (trial-level
// values of a few metrics per request, the commit, the time and the runner), and the exclusions that
// `baseline mark-bad` records. Pure: built from a RunResult, no I/O.
import type { RunResult } from '../contracts/run-result.ts';

export const HISTORY_ENTRY_KIND = 'perf-gate/history-entry';
export const HISTORY_ENTRY_SCHEMA_VERSION = 1;

/** Metrics kept per request and trial; throughput is kept per scenario (closed-model throughput is shared). */
export const HISTORY_REQUEST_METRICS = ['p50', 'p95', 'p99', 'errorRate'] as const;
export type HistoryRequestMetric = (typeof HISTORY_REQUEST_METRICS)[number];
export type HistoryMetric = HistoryRequestMetric | 'throughput';

export interface HistoryRunner {
  cpuModel: string;
  cores: number;
  platform: string;
  arch: string;
  node: string;
  perfGate: string;
}

export interface HistoryScenario {
  name: string;
  fingerprint: string;
  /** Valid trials only; successful responses per second. */
  throughput: number[];
  requests: Array<{ name: string } & Record<HistoryRequestMetric, number[]>>;
}

export interface HistoryEntry {
  kind: typeof HISTORY_ENTRY_KIND;
  schemaVersion: typeof HISTORY_ENTRY_SCHEMA_VERSION;
  /** Unique and sortable by time: `<finishedAt with : and . as ->-<sha12 or nosha>`. */
  id: string;
  /** The commit measured; absent when it could not be told (then the run is shown by time only). */
  commit?: string;
  ref?: string;
  finishedAt: string;
  runner: HistoryRunner;
  scenarios: HistoryScenario[];
}

/** A run excluded from baselines and history by `baseline mark-bad`, with who/why for the audit trail. */
export interface HistoryExclusion {
  /** An entry id, a full commit sha or a prefix of at least 7 hex digits. */
  run: string;
  reason: string;
  by: string;
  at: string;
}

/** The storage stamp of a run: its finish time made file-name safe, then the short commit. */
export function runId(run: Pick<RunResult, 'meta'>): string {
  const stamp = run.meta.finishedAt.replace(/[:.]/g, '-');
  return `${stamp}-${run.meta.git?.sha.slice(0, 12) || 'nosha'}`;
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** The compact summary of a run: valid trials only, latencies in whole µs, rates rounded. */
export function summarizeRun(run: RunResult): HistoryEntry {
  const { meta } = run;
  return {
    kind: HISTORY_ENTRY_KIND,
    schemaVersion: HISTORY_ENTRY_SCHEMA_VERSION,
    id: runId(run),
    ...(meta.git?.sha ? { commit: meta.git.sha } : {}),
    ...(meta.git?.ref ? { ref: meta.git.ref } : {}),
    finishedAt: meta.finishedAt,
    runner: {
      cpuModel: meta.host.cpuModel,
      cores: meta.host.cores,
      platform: meta.host.platform,
      arch: meta.host.arch,
      node: meta.tool.node,
      perfGate: meta.tool.perfGate,
    },
    scenarios: run.scenarios.map((s) => {
      const trials = s.trials.filter((t) => t.valid && t.index >= 0);
      const names = s.requests.map((r) => r.name);
      return {
        name: s.name,
        fingerprint: s.fingerprint,
        throughput: trials.map((t) =>
          round(
            t.requests.reduce((sum, r) => sum + r.throughput, 0),
            2,
          ),
        ),
        requests: names.map((name) => {
          const per = trials.flatMap((t) => t.requests.filter((r) => r.name === name));
          const withLatency = per.filter((r) => r.ok > 0);
          return {
            name,
            p50: withLatency.map((r) => Math.round(r.latencyUs.p50)),
            p95: withLatency.map((r) => Math.round(r.latencyUs.p95)),
            p99: withLatency.map((r) => Math.round(r.latencyUs.p99)),
            errorRate: per.map((r) => round(r.errorRate, 6)),
          };
        }),
      };
    }),
  };
}

/** Whether an exclusion names this entry (by id, full sha or a sha prefix of 7+ characters). */
export function excludes(exclusion: Pick<HistoryExclusion, 'run'>, entry: HistoryEntry): boolean {
  const key = exclusion.run.toLowerCase();
  if (key === entry.id.toLowerCase()) return true;
  return !!entry.commit && key.length >= 7 && entry.commit.toLowerCase().startsWith(key);
}

/** A branch's stored history as read back: entries (any order), exclusions, and what had to be skipped. */
export interface HistoryData {
  entries: HistoryEntry[];
  exclusions: HistoryExclusion[];
  /** Corrupt or unreadable entries that were skipped, each naming its file (and line). */
  problems: string[];
}

/** Whether a full run is excluded (by its id or commit). */
export function isRunExcluded(run: RunResult, exclusions: readonly HistoryExclusion[]): boolean {
  const entry = summarizeRun({ ...run, scenarios: [] });
  return exclusions.some((x) => excludes(x, entry));
}
