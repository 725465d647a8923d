// What the PR comment and the job summary show from the main branch's history: change points, creep alerts
// (with their commits) and, for each request that regressed or changed in this gate, its last N main values
// next to the candidate's. Plain data for the report model (which escapes and charts it). Pure.
import type { Verdict } from '../verdict/types.ts';
import type { HistoryAnalysis } from './analyze.ts';
import { formatChange, formatCreep, seriesLabel } from './format.ts';

export interface ReportHistoryTrend {
  /** "checkout/get p95". */
  label: string;
  metric: string;
  /** Main-branch values, oldest first, in the metric's unit (µs for latency). */
  values: number[];
  commits: string[];
  /** The candidate's value in this gate, when it has one. */
  candidate: number | null;
}

export interface ReportHistory {
  runs: number;
  changePoints: Array<{
    label: string;
    direction: 'regression' | 'improvement';
    change: string;
    between: string;
    at: string;
  }>;
  creep: Array<{ label: string; text: string; commits: string[] }>;
  trends: ReportHistoryTrend[];
  notes: string[];
}

const short = (c: { commit?: string; id: string }): string => c.commit?.slice(0, 12) ?? c.id;

/** The report's history section; `verdict` picks the trend series (requests that regressed or changed). */
export function historyForReport(
  analysis: HistoryAnalysis,
  verdict?: Verdict,
  trendLength = 20,
): ReportHistory {
  const changed = (verdict?.findings ?? []).filter((f) =>
    ['regression', 'warning', 'improvement'].includes(f.status),
  );
  const trends: ReportHistoryTrend[] = [];
  for (const f of changed) {
    const s = analysis.series.findLast(
      (a) =>
        a.series.scenario === f.scenario && a.series.request === f.request && a.series.metric === f.metric,
    );
    if (!s || trends.some((t) => t.label === seriesLabel(s.series.key))) continue;
    const points = s.series.points.slice(-trendLength);
    trends.push({
      label: seriesLabel(s.series.key),
      metric: f.metric,
      values: points.map((p) => p.value),
      commits: points.map((p) => p.commit?.slice(0, 12) ?? p.ids[0]!),
      candidate: f.candidateMedian,
    });
    if (trends.length >= 6) break;
  }
  return {
    runs: analysis.runs,
    changePoints: [...analysis.changePoints]
      .sort((a, b) => Date.parse(b.after.finishedAt) - Date.parse(a.after.finishedAt))
      .slice(0, 10)
      .map((c) => ({
        label: seriesLabel(c.series),
        direction: c.direction,
        change: formatChange(c),
        between: `${short(c.before)}..${short(c.after)}`,
        at: c.after.finishedAt,
      })),
    creep: analysis.creep.map((c) => ({
      label: seriesLabel(c.series),
      text: formatCreep(c),
      commits: c.runs.map((r) => short(r)),
    })),
    trends,
    notes: analysis.notes,
  };
}
