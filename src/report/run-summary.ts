// Per-request summaries of a run across its valid trials (medians of the trial values), and plain
// text tables for the terminal. Pure.
import { median } from 'simple-statistics';
import type { RunResult, ScenarioResult } from '../results/run-result.ts';

export interface RequestSummary {
  scenario: string;
  request: string;
  trials: number;
  p50Us: number;
  p95Us: number;
  p99Us: number;
  throughput: number;
  errorRate: number;
}

export function summarizeScenario(s: ScenarioResult): RequestSummary[] {
  const valid = s.trials.filter((t) => t.valid);
  return s.requests.map((req) => {
    const rows = valid.map((t) => t.requests.find((r) => r.name === req.name)).filter((r) => r !== undefined);
    const med = (f: (r: (typeof rows)[number]) => number) => (rows.length ? median(rows.map(f)) : NaN);
    return {
      scenario: s.name,
      request: req.name,
      trials: rows.length,
      p50Us: med((r) => r.latencyUs.p50),
      p95Us: med((r) => r.latencyUs.p95),
      p99Us: med((r) => r.latencyUs.p99),
      throughput: med((r) => r.throughput),
      errorRate: med((r) => r.errorRate),
    };
  });
}

export function summarizeRun(run: RunResult): RequestSummary[] {
  return run.scenarios.flatMap(summarizeScenario);
}

export function formatMs(us: number): string {
  if (!Number.isFinite(us)) return 'n/a';
  const ms = us / 1000;
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

export function formatPercent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)} %` : 'n/a';
}

/** Left-aligned first column, right-aligned numbers. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function runTable(run: RunResult): string {
  const rows = summarizeRun(run).map((s) => [
    `${s.scenario} / ${s.request}`,
    String(s.trials),
    formatMs(s.p50Us),
    formatMs(s.p95Us),
    formatMs(s.p99Us),
    `${s.throughput.toFixed(0)}/s`,
    formatPercent(s.errorRate, 2),
  ]);
  return textTable(['request', 'trials', 'p50', 'p95', 'p99', 'ok/s', 'errors'], rows);
}

/** Side by side: baseline and candidate medians with the relative change. */
export function sideBySideTable(baseline: RunResult, candidate: RunResult): string {
  const base = new Map(summarizeRun(baseline).map((s) => [`${s.scenario}\u0000${s.request}`, s]));
  const change = (a: number, b: number) =>
    Number.isFinite(a) && Number.isFinite(b) && a > 0
      ? `${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(1)} %`
      : 'n/a';
  const rows = summarizeRun(candidate).map((c) => {
    const b = base.get(`${c.scenario}\u0000${c.request}`);
    if (!b) return [`${c.scenario} / ${c.request}`, 'new', '', formatMs(c.p95Us), '', '', ''];
    return [
      `${c.scenario} / ${c.request}`,
      formatMs(b.p50Us),
      formatMs(c.p50Us),
      formatMs(b.p95Us),
      formatMs(c.p95Us),
      change(b.p95Us, c.p95Us),
      `${b.throughput.toFixed(0)} -> ${c.throughput.toFixed(0)}/s`,
    ];
  });
  return textTable(['request', 'p50 base', 'p50 cand', 'p95 base', 'p95 cand', 'p95 change', 'ok/s'], rows);
}
