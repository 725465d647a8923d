// From history entries to series: one per scenario fingerprint x request x metric, one point per commit.
// Bad input is handled here and said in notes: excluded runs are left out, a commit measured twice is one
// point (trials pooled), a runner change and a scenario change are named, gaps just shorten a series.
import { mean } from '../stats/descriptive.ts';
import { median } from '../stats/quantile.ts';
import { excludes } from './entry.ts';
import {
  HISTORY_REQUEST_METRICS,
  type HistoryEntry,
  type HistoryExclusion,
  type HistoryMetric,
  type HistoryRunner,
} from '../contracts/history-entry.ts';

export interface SeriesPoint {
  /** Entry ids pooled into this point (more than one when a commit was measured again). */
  ids: string[];
  commit?: string;
  finishedAt: string;
  /** The point's value: median of the trials (mean for error rate). */
  value: number;
  trials: number[];
  /** The runner differs from the previous point's. */
  runnerChanged?: boolean;
}

export interface Series {
  /** `<scenario>/<request or *>/<metric>@<fingerprint>`: unique per measured thing. */
  key: string;
  scenario: string;
  fingerprint: string;
  /** null for scenario-level metrics (throughput). */
  request: string | null;
  metric: HistoryMetric;
  scale: 'ratio' | 'difference';
  worse: 'higher' | 'lower';
  points: SeriesPoint[];
}

export interface SeriesSet {
  series: Series[];
  /** Entries used, oldest first, after exclusions. */
  entries: HistoryEntry[];
  notes: string[];
}

const METRIC_SHAPE: Record<HistoryMetric, Pick<Series, 'scale' | 'worse'>> = {
  p50: { scale: 'ratio', worse: 'higher' },
  p95: { scale: 'ratio', worse: 'higher' },
  p99: { scale: 'ratio', worse: 'higher' },
  errorRate: { scale: 'difference', worse: 'higher' },
  throughput: { scale: 'ratio', worse: 'lower' },
};

const shortSha = (e: Pick<HistoryEntry, 'commit' | 'id'>): string => e.commit?.slice(0, 12) ?? e.id;
const runnerText = (r: HistoryRunner): string =>
  `${r.cpuModel} x${r.cores} ${r.platform}/${r.arch} node ${r.node}`;

export function buildSeries(
  entries: readonly HistoryEntry[],
  exclusions: readonly HistoryExclusion[] = [],
): SeriesSet {
  const notes: string[] = [];
  const sorted = [...entries].sort(
    (a, b) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt) || (a.id < b.id ? -1 : 1),
  );
  const kept: HistoryEntry[] = [];
  for (const e of mergeById(sorted)) {
    const ex = exclusions.find((x) => excludes(x, e));
    if (ex) {
      notes.push(
        `run ${shortSha(e)} (${e.finishedAt}) is excluded: ${ex.reason} (marked bad by ${ex.by} at ${ex.at})`,
      );
      continue;
    }
    kept.push(e);
  }
  // One point per commit: a commit measured again is pooled with its earlier run, at the earlier position.
  const byCommit = new Map<string, HistoryEntry[]>();
  const groups: HistoryEntry[][] = [];
  for (const e of kept) {
    const existing = e.commit ? byCommit.get(e.commit) : undefined;
    if (existing) {
      existing.push(e);
      continue;
    }
    const group = [e];
    groups.push(group);
    if (e.commit) byCommit.set(e.commit, group);
  }
  for (const g of groups) {
    if (g.length > 1)
      notes.push(
        `commit ${shortSha(g[0]!)} was measured ${g.length} times: its trials are pooled into one point`,
      );
  }
  const missing = kept.filter((e) => !e.commit).length;
  if (missing > 0) notes.push(`${missing} run(s) have no commit: they are shown by time only`);

  const series = new Map<string, Series>();
  let previousRunner: HistoryRunner | undefined;
  const seenFingerprints = new Map<string, string>();
  for (const group of groups) {
    const head = group[0]!;
    const runnerChanged = !!previousRunner && runnerText(previousRunner) !== runnerText(head.runner);
    if (runnerChanged) {
      notes.push(
        `the runner changed at ${shortSha(head)}: ${runnerText(previousRunner!)} -> ${runnerText(head.runner)}; a change point there may be the machine, not the code`,
      );
    }
    previousRunner = head.runner;
    const values = new Map<string, { meta: Omit<Series, 'points'>; trials: number[] }>();
    for (const entry of group) {
      for (const sc of entry.scenarios) {
        const before = seenFingerprints.get(sc.name);
        if (before !== undefined && before !== sc.fingerprint) {
          notes.push(
            `scenario "${sc.name}" changed at ${shortSha(entry)} (new fingerprint): its numbers start a new series`,
          );
        }
        seenFingerprints.set(sc.name, sc.fingerprint);
        const add = (request: string | null, metric: HistoryMetric, trials: number[]): void => {
          const key = `${sc.name}/${request ?? '*'}/${metric}@${sc.fingerprint}`;
          const slot = values.get(key) ?? {
            meta: {
              key,
              scenario: sc.name,
              fingerprint: sc.fingerprint,
              request,
              metric,
              ...METRIC_SHAPE[metric],
            },
            trials: [],
          };
          slot.trials.push(...trials);
          values.set(key, slot);
        };
        add(null, 'throughput', sc.throughput);
        for (const r of sc.requests) for (const m of HISTORY_REQUEST_METRICS) add(r.name, m, r[m]);
      }
    }
    for (const [key, { meta, trials }] of values) {
      if (trials.length === 0) continue; // no valid trial: a gap in this series
      const s = series.get(key) ?? { ...meta, points: [] };
      s.points.push({
        ids: group.map((e) => e.id),
        ...(head.commit ? { commit: head.commit } : {}),
        finishedAt: head.finishedAt,
        value: meta.metric === 'errorRate' ? mean(trials) : median(trials),
        trials,
        ...(runnerChanged ? { runnerChanged } : {}),
      });
      series.set(key, s);
    }
  }
  if (groups.length === 1)
    notes.push('the history holds a single run: trends and change points need more runs');
  if (groups.length === 0 && entries.length > 0) notes.push('every run in the history is excluded');
  return { series: [...series.values()], entries: kept, notes: dedupe(notes) };
}

function dedupe(notes: string[]): string[] {
  return [...new Set(notes)];
}

/**
 * One entry per run id: a run stored per scenario fingerprint (the git-branch store) comes back as several
 * entries with the same id, and a retried push can store the same one twice.
 */
export function mergeById(entries: readonly HistoryEntry[]): HistoryEntry[] {
  const byId = new Map<string, HistoryEntry>();
  for (const e of entries) {
    const seen = byId.get(e.id);
    if (!seen) {
      byId.set(e.id, e);
      continue;
    }
    const have = new Set(seen.scenarios.map((s) => `${s.name}@${s.fingerprint}`));
    const extra = e.scenarios.filter((s) => !have.has(`${s.name}@${s.fingerprint}`));
    if (extra.length > 0) byId.set(e.id, { ...seen, scenarios: [...seen.scenarios, ...extra] });
  }
  return [...byId.values()];
}
