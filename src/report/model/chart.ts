// The comment's chart of p95 latency per request, baseline and candidate side by side. GitHub's Mermaid
// xychart draws several bar series on the same x positions (the taller hides the shorter, with no
// legend), so each request gets two labelled bars of one series instead; the spread of the trials is a
// text chart next to it, which reads the same raw, rendered, in light and in dark themes. Pure.
import type { MetricComparison } from '../../compare/types.ts';
import { mermaidLabel } from '../../util/markdown.ts';

/** One side of one request: the median of its trial values and their range, in ms. */
export interface SideBar {
  median: number;
  low: number;
  high: number;
  trials: number;
}

export interface RequestBars {
  scenario: string;
  request: string;
  baseline: SideBar;
  candidate: SideBar;
}

/** At most this many requests are charted (the most changed first); the tables list every one. */
export const MAX_CHARTED = 12;

function side(values: number[], median: number): SideBar {
  const ms = values.map((v) => v / 1000);
  return {
    median: median / 1000,
    low: Math.min(...ms),
    high: Math.max(...ms),
    trials: ms.length,
  };
}

/** p95 per request for both sides, the largest relative change first. */
export function latencyBars(metrics: MetricComparison[], metric = 'p95'): RequestBars[] {
  return metrics
    .filter(
      (m) =>
        m.metric === metric &&
        m.request !== null &&
        m.baselineMedian !== null &&
        m.candidateMedian !== null &&
        m.baseline.length > 0 &&
        m.candidate.length > 0,
    )
    .sort((a, b) => Math.abs(b.change?.estimate ?? 0) - Math.abs(a.change?.estimate ?? 0))
    .slice(0, MAX_CHARTED)
    .map((m) => ({
      scenario: m.scenario,
      request: m.request!,
      baseline: side(m.baseline, m.baselineMedian!),
      candidate: side(m.candidate, m.candidateMedian!),
    }));
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** Names often share a prefix (`/api/v1/…`): a long one keeps its start and its end. */
function shortName(name: string, max: number): string {
  if (name.length <= max) return name;
  const head = Math.floor((max - 1) / 3);
  return `${name.slice(0, head)}…${name.slice(name.length - (max - 1 - head))}`;
}

/** Plain, short and distinct labels: shortened names that collide are numbered by rank. */
function labelsOf(bars: RequestBars[], max: number): string[] {
  const names = bars.map((b) => shortName(mermaidLabel(b.request, Infinity), max));
  return names.map((n, i) => (names.indexOf(n) !== names.lastIndexOf(n) ? `${i + 1}. ${n}` : n));
}

function mermaidChart(bars: RequestBars[], top: number): string {
  const labels = labelsOf(bars, 30).flatMap((name) => [`"${name} · base"`, `"${name} · cand"`]);
  const values = bars.flatMap((b) => [fmt(b.baseline.median), fmt(b.candidate.median)]);
  return [
    '```mermaid',
    // Horizontal: request names on the side stay readable with many requests.
    'xychart-beta horizontal',
    '  title "p95 latency per request (ms), median of the trials"',
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "ms" 0 --> ${fmt(top)}`,
    `  bar [${values.join(', ')}]`,
    '```',
  ].join('\n');
}

const WIDTH = 40;

/** One line of the text chart: the trials' range as a whisker, the median as a dot. */
function whisker(s: SideBar, top: number): string {
  const at = (ms: number) => Math.min(WIDTH - 1, Math.max(0, Math.round((ms / top) * (WIDTH - 1))));
  const cells = Array.from({ length: WIDTH }, () => ' ');
  const [lo, hi, mid] = [at(s.low), at(s.high), at(s.median)];
  for (let i = lo; i <= hi; i++) cells[i] = '─';
  cells[lo] = '├';
  cells[hi] = hi === lo ? '│' : '┤';
  cells[mid] = '●';
  return `${cells.join('')}  ${fmt(s.median)} ms [${fmt(s.low)} – ${fmt(s.high)}]`;
}

function textChart(bars: RequestBars[], top: number): string {
  // Plain characters only: a code block is inert on GitHub, but not in every plain-text view.
  const names = labelsOf(bars, 28);
  const width = Math.max(...names.map((n) => n.length));
  const topLabel = `${fmt(top)} ms`;
  // The axis line spans the whisker columns: after the name, two blanks and "base ".
  const lines = [`${' '.repeat(width + 7)}0 ms${topLabel.padStart(WIDTH - 4)}`];
  for (const [i, b] of bars.entries()) {
    lines.push(`${names[i]!.padEnd(width)}  base ${whisker(b.baseline, top)}`);
    lines.push(`${' '.repeat(width)}  cand ${whisker(b.candidate, top)}`);
  }
  return ['```text', ...lines, '```'].join('\n');
}

/** The comment's chart section body (Mermaid bars plus the text chart of trial ranges), or ''. */
export function comparisonChart(metrics: MetricComparison[]): string {
  const bars = latencyBars(metrics);
  if (bars.length === 0) return '';
  const top = Math.max(...bars.flatMap((b) => [b.baseline.high, b.candidate.high])) * 1.05;
  return [
    mermaidChart(bars, top),
    '',
    'Median of the trials ● and their range ├─┤ (ms), baseline then candidate:',
    '',
    textChart(bars, top),
  ].join('\n');
}
