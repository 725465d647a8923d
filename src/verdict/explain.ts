// The facts an honest verdict states besides its outcome: the largest change it saw (the headline names it
// even when nothing could be decided) and what would decide an undecided series (more trials, and how many;
// paired mode when the stored baselines drift more than more trials can remove). Pure.
import { studentTQuantile } from '../stats/index.ts';
import { METRICS } from '../compare/metrics.ts';
import { formatChangeInline } from '../compare/format.ts';
import type { Comparison, MetricComparison } from '../compare/types.ts';
import type { SequentialState } from './sequential.ts';
import type { LargestChange, SeriesStatus } from './types.ts';

export function seriesName(row: { scenario: string; request: string | null; metric: string }): string {
  return `${row.scenario} / ${row.request ?? '(all requests)'} ${METRICS[row.metric as keyof typeof METRICS].label}`;
}

/** On the test's scale: logs for ratio metrics (so distances shrink like 1/√n), raw otherwise. */
function onScale(row: MetricComparison, x: number): number {
  return row.change?.scale === 'ratio' ? Math.log1p(Math.max(x, -0.999999)) : x;
}

/** How far into the worse direction a series moved, in units of its minimum effect. */
function relativeWorse(row: MetricComparison): number {
  if (!row.change) return -Infinity;
  const delta = Math.abs(row.rule.minEffect.value);
  const worse = row.worse === 'higher' ? row.change.estimate : -row.change.estimate;
  return delta > 0 ? worse / delta : worse;
}

export function largestChange(comparison: Comparison, statuses: SeriesStatus[]): LargestChange | null {
  let best: { row: MetricComparison; i: number } | null = null;
  comparison.metrics.forEach((row, i) => {
    if (!row.gating || !row.change) return;
    if (!best || relativeWorse(row) > relativeWorse(best.row)) best = { row, i };
  });
  if (!best) return null;
  const { row, i } = best as { row: MetricComparison; i: number };
  return {
    scenario: row.scenario,
    request: row.request,
    metric: row.metric,
    change: row.change!,
    minEffect: row.rule.minEffect.text,
    status: statuses[i]!,
    text: `${seriesName(row)} ${formatChangeInline(row.change!)}`,
  };
}

/**
 * For the undecided gating series that moved most: the trials (pairs) that would put its interval on one
 * side of the minimum effect, assuming the estimate holds (half-widths shrink like 1/√n); or paired mode
 * when the stored baselines' drift alone keeps the interval across it.
 */
export function wouldDecide(
  comparison: Comparison,
  statuses: SeriesStatus[],
  sequential?: SequentialState,
): string | undefined {
  const unit = comparison.mode === 'paired' ? 'pairs' : 'trials per side';
  const untestable = comparison.metrics.find((m, i) => m.gating && statuses[i] === 'inconclusive');
  if (untestable) return `${seriesName(untestable)} could not be tested (${untestable.note ?? 'no test'})`;
  const undecided = comparison.metrics
    .map((row, i) => ({ row, status: statuses[i]! }))
    .filter(({ row, status }) => {
      if (!row.gating || !row.change || status === 'regression' || status === 'improvement') return false;
      const delta = Math.abs(row.rule.minEffect.value);
      const lower = row.worse === 'higher' ? row.change.lower : -row.change.upper;
      const upper = row.worse === 'higher' ? row.change.upper : -row.change.lower;
      return lower < delta && upper >= delta;
    })
    .sort((a, b) => relativeWorse(b.row) - relativeWorse(a.row));
  const top = undecided[0]?.row;
  if (!top?.change) return undefined;
  const n = Math.min(...comparison.trials.map((t) => t.candidate));
  const delta = Math.abs(top.rule.minEffect.value);
  const d = top.worse === 'higher' ? delta : -delta;
  const half = (onScale(top, top.change.upper) - onScale(top, top.change.lower)) / 2;
  const gap = Math.abs(onScale(top, top.change.estimate) - onScale(top, d));
  const name = `${seriesName(top)} ${formatChangeInline(top.change)} against a minimum effect of ${top.rule.minEffect.text}`;
  if (comparison.mode === 'stored' && top.drift) {
    const driftHalf = studentTQuantile(0.975, Math.max(top.drift.df, 1)) * Math.sqrt(2 * top.drift.variance);
    if (driftHalf >= gap) {
      return (
        `${name}: the stored baselines of this series drift by about ±${(Math.expm1(Math.sqrt(top.drift.variance)) * 100).toFixed(1)} % ` +
        `between runs, more than more trials can remove; use paired mode (--baseline-url)`
      );
    }
  }
  if (!(gap > 0) || !(half > 0)) return `${name}: the change sits on the minimum effect itself`;
  const needed = Math.ceil(n * (half / gap) ** 2);
  const budget = sequential ? ` (the budget allowed ${sequential.maxTrials})` : '';
  return `${name}: about ${needed} ${unit} would decide it, ${n} were measured${budget}${comparison.mode === 'stored' ? '; paired mode (--baseline-url) removes runner drift' : ''}`;
}
