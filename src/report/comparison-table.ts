// The comparison and verdict as plain text for the terminal. Pure.
import { METRICS } from '../compare/metrics.ts';
import type { Comparison, MetricComparison } from '../compare/types.ts';
import { formatChangeInline, formatP as fmtP, formatValue } from '../compare/format.ts';
import type { Verdict } from '../verdict/types.ts';
import { textTable } from './run-summary.ts';
import { MAX_NAME_CHARS, terminalText } from '../util/markdown.ts';

export function formatChange(row: MetricComparison): string {
  if (row.change) return formatChangeInline(row.change);
  return row.note ? 'n/a' : '';
}

const MARK: Record<string, string> = {
  regression: 'REGRESSION',
  warning: 'warning',
  improvement: 'improved',
  inconclusive: 'inconclusive',
  unchanged: '~',
};

/** Gating metrics and anything that is not unchanged; `all` lists every series. */
export function comparisonTable(comparison: Comparison, verdict: Verdict, all = false): string {
  const rows: string[][] = [];
  comparison.metrics.forEach((row, i) => {
    const status = verdict.statuses[i] ?? 'unchanged';
    if (!all && !row.gating && status === 'unchanged') return;
    const value = (v: number | null) => (v === null ? 'n/a' : formatValue(row.unit, v));
    rows.push([
      // Names come from config and reports: shown inert (no escape sequences) and bounded.
      `${terminalText(row.scenario, MAX_NAME_CHARS)} / ${row.request === null ? '(all)' : terminalText(row.request, MAX_NAME_CHARS)}`,
      METRICS[row.metric].id + (row.gating ? '' : '*'),
      value(row.baselineMedian),
      value(row.candidateMedian),
      formatChange(row),
      fmtP(row.p),
      fmtP(row.pHolm),
      MARK[status] ?? status,
    ]);
  });
  return textTable(
    ['series', 'metric', 'baseline', 'candidate', 'change [95% CI]', 'p', 'Holm p', 'status'],
    rows,
  );
}

export function verdictText(verdict: Verdict): string {
  // The headline may already name the outcome ("Inconclusive: ..."): say it once.
  const outcomeWord = new RegExp(`^${verdict.outcome.replace('-', '[ -]')}\\s*:\\s*`, 'i');
  const lines = [
    `verdict: ${verdict.outcome.toUpperCase()}: ${terminalText(verdict.headline.replace(outcomeWord, ''))}`,
  ];
  const decision = verdict.decision;
  if (decision?.sequential && decision.sequential.looksPlanned > 1) {
    lines.push(`  adaptive trials: ${decision.sequential.text}`);
  }
  if (decision?.achievedConfidence !== undefined) {
    lines.push(`  some intervals reach only ${(decision.achievedConfidence * 100).toFixed(1)} % confidence`);
  }
  for (const r of verdict.reasons) lines.push(`  - ${terminalText(r)}`);
  if (verdict.approval) {
    const a = verdict.approval;
    const by = a.by
      ? ` by ${terminalText(a.by, 100)}${a.permission ? ` (${terminalText(a.permission, 20)})` : ''}`
      : '';
    lines.push(`  approved (${terminalText(a.source, 20)}${by}): ${terminalText(a.reason)}`);
  }
  return lines.join('\n');
}
