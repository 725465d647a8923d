// The history of a branch, analysed: change points per series, creep on the current level, the run where the
// current level of every series starts (for a baseline that does not pool across a step), and trends.
import type { Rng } from '../stats/rng.ts';
import { detectChangePoints, type ChangePoint, type ChangePointOptions } from './change-points.ts';
import { detectCreep, type Creep, type CreepOptions } from './creep.ts';
import type { HistoryEntry, HistoryExclusion } from '../contracts/history-entry.ts';
import { buildSeries, type Series } from './series.ts';

export interface HistoryOptions {
  rng: Rng;
  changePoints?: Omit<ChangePointOptions, 'rng'>;
  creep?: CreepOptions;
  /** Only these metrics are analysed; default p50, p95, errorRate, throughput (p99 is too noisy per run). */
  metrics?: string[];
}

export interface SeriesAnalysis {
  series: Series;
  changePoints: ChangePoint[];
  /** Index of the first point of the current level (0 without change points). */
  regimeStart: number;
  creep?: Creep;
}

export interface HistoryAnalysis {
  runs: number;
  series: SeriesAnalysis[];
  changePoints: ChangePoint[];
  creep: Creep[];
  /**
   * The first run of the current level across all series: the newest regression or improvement. Baselines
   * pool only runs from here on. Undefined without change points.
   */
  regimeStartId?: string;
  notes: string[];
}

export const DEFAULT_HISTORY_METRICS = ['p50', 'p95', 'errorRate', 'throughput'];

export function analyzeHistory(
  entries: readonly HistoryEntry[],
  exclusions: readonly HistoryExclusion[],
  o: HistoryOptions,
): HistoryAnalysis {
  const set = buildSeries(entries, exclusions);
  const metrics = new Set(o.metrics ?? DEFAULT_HISTORY_METRICS);
  const series: SeriesAnalysis[] = [];
  for (const s of set.series) {
    if (!metrics.has(s.metric)) continue;
    const changePoints = detectChangePoints(s, { ...o.changePoints, rng: o.rng });
    const regimeStart = changePoints.at(-1)?.index ?? 0;
    const creep = creepNotStep(s, changePoints, o.creep);
    series.push({ series: s, changePoints, regimeStart, ...(creep ? { creep } : {}) });
  }
  const changePoints = series.flatMap((s) => s.changePoints);
  const newest = [...changePoints]
    .sort((a, b) => Date.parse(a.after.finishedAt) - Date.parse(b.after.finishedAt))
    .at(-1);
  return {
    runs: set.entries.length,
    series,
    changePoints,
    creep: series.flatMap((s) => (s.creep ? [s.creep] : [])),
    ...(newest ? { regimeStartId: newest.after.id } : {}),
    notes: set.notes,
  };
}

/**
 * Creep over the last merges, unless one step explains most of it: E-Divisive also splits a steady drift
 * (each side's level differs), but such a split is smaller than the drift; a real step is about all of it.
 */
function creepNotStep(
  series: Series,
  changePoints: ChangePoint[],
  o: CreepOptions | undefined,
): Creep | undefined {
  const creep = detectCreep(series, 0, o);
  if (!creep) return undefined;
  const first = creep.runs[0]!.id;
  const moved = Math.abs(creep.scale === 'ratio' ? Math.log(creep.change) : creep.change);
  const step = changePoints.some((c) => {
    if (c.after.id <= first) return false;
    const size = Math.abs(c.scale === 'ratio' ? Math.log(c.estimate) : c.estimate);
    return size >= 0.75 * moved;
  });
  return step ? undefined : creep;
}

export interface TrendPoint {
  commit?: string;
  finishedAt: string;
  value: number;
}

/** The last `n` main-branch values of one series, for a compact chart next to the candidate's value. */
export function trendOf(
  analysis: HistoryAnalysis,
  scenario: string,
  request: string | null,
  metric: string,
  n = 20,
): TrendPoint[] {
  const s = analysis.series.findLast(
    (a) => a.series.scenario === scenario && a.series.request === request && a.series.metric === metric,
  );
  return (s?.series.points.slice(-n) ?? []).map((p) => ({
    ...(p.commit ? { commit: p.commit } : {}),
    finishedAt: p.finishedAt,
    value: p.value,
  }));
}
