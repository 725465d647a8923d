// Creep: a series that moved past the minimum effect over a window of merges, step by small step, so no
// single PR failed. The window's last runs against its first runs, and a Mann–Kendall test that the drift is
// a trend (analyze.ts then rules out a window that one change point explains: that is a step, not creep).
import { mannKendall } from '../stats/mann-kendall.ts';
import { median } from '../stats/quantile.ts';
import type { RunRef } from './change-points.ts';
import type { Series, SeriesPoint } from './series.ts';

export interface CreepOptions {
  /** Merges looked at; default 10. */
  window?: number;
  /** Relative drift that counts (ratio metrics); default 0.05. */
  minRatio?: number;
  /** Absolute drift for difference metrics; default 0.01. */
  minDifference?: number;
  /** Significance of the trend test; default 0.05. */
  alpha?: number;
}

export interface Creep {
  series: string;
  /** Runs of the window, oldest first (their commits are the ones involved). */
  runs: RunRef[];
  /** End level against start level: a ratio, or a difference for difference metrics. */
  change: number;
  scale: 'ratio' | 'difference';
  trendP: number;
}

const ref = (p: SeriesPoint): RunRef => ({
  id: p.ids[0]!,
  ...(p.commit ? { commit: p.commit } : {}),
  finishedAt: p.finishedAt,
});

/** The creep of a series over its last `window` points from index `from` on, if any. */
export function detectCreep(series: Series, from: number, o: CreepOptions = {}): Creep | undefined {
  const windowSize = o.window ?? 10;
  const points = series.points.slice(Math.max(from, series.points.length - windowSize));
  if (points.length < 5) return undefined;
  const values = points.map((p) => p.value);
  const ends = Math.max(2, Math.floor(points.length / 3));
  const start = median(values.slice(0, ends));
  const end = median(values.slice(-ends));
  const ratio = series.scale === 'ratio' && start > 0;
  const change = ratio ? end / start : end - start;
  const moved = ratio ? change - 1 : change;
  const worse = series.worse === 'higher' ? moved > 0 : moved < 0;
  const min = ratio ? (o.minRatio ?? 0.05) : (o.minDifference ?? 0.01);
  if (!worse || Math.abs(moved) < min) return undefined;
  const trend = mannKendall(values);
  if (trend.p > (o.alpha ?? 0.05)) return undefined;
  return {
    series: series.key,
    runs: points.map(ref),
    change,
    scale: ratio ? 'ratio' : 'difference',
    trendP: trend.p,
  };
}
