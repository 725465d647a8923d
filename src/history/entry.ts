// History entries (their contract is contracts/history-entry.ts): built from a RunResult, and matched
// against the exclusions that `baseline mark-bad` records. Pure: no I/O.
import type { RunResult } from '../contracts/run-result.ts';
import {
  HISTORY_ENTRY_KIND,
  HISTORY_ENTRY_SCHEMA_VERSION,
  type HistoryEntry,
  type HistoryExclusion,
} from '../contracts/history-entry.ts';

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
