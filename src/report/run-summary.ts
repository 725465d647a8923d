// Per-request summaries of a run across its valid trials (medians of the trial values), and plain
// text tables for the terminal. Pure.
import { median } from 'simple-statistics';
import type { RequestTrialResult, RunResult, ScenarioResult } from '../contracts/run-result.ts';
import { emptyTally, type FailureTally } from '../measure/collectors/request-recorder.ts';
import { describeFailures, failuresOf } from '../measure/collectors/target-faults.ts';

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

/** Adds one trial's failures of a request to a tally: unexpected statuses by code, socket errors by kind. */
function addFailures(into: FailureTally, r: RequestTrialResult): void {
  into.ok += r.ok;
  into.timeouts += r.errors.timeouts;
  into.connection += r.errors.connection;
  into.unexpectedStatus += r.errors.unexpectedStatus;
  if (r.errors.unexpectedStatus > 0) {
    // Which codes were the unexpected ones is not stored; the non-2xx ones are (2xx is the usual expectation).
    for (const [code, n] of Object.entries(r.statusCodes)) {
      if (!code.startsWith('2')) into.statusCodes[Number(code)] = (into.statusCodes[Number(code)] ?? 0) + n;
    }
  }
  const codes = r.connectionErrorCodes ?? (r.errors.connection ? { other: r.errors.connection } : {});
  for (const [code, n] of Object.entries(codes))
    into.connectionCodes[code] = (into.connectionCodes[code] ?? 0) + n;
}

/** Per request, what failed over every trial (valid or not), e.g. "HTTP 500 ×120, connection refused ×4". */
export function requestFailures(s: ScenarioResult): Array<{ request: string; failed: number; text: string }> {
  const names = [
    ...new Set([...s.requests.map((r) => r.name), ...s.trials.flatMap((t) => t.requests.map((r) => r.name))]),
  ];
  return names.flatMap((name) => {
    const tally = emptyTally();
    for (const t of s.trials) {
      const r = t.requests.find((x) => x.name === name);
      if (r) addFailures(tally, r);
    }
    const failed = failuresOf(tally);
    return failed > 0 ? [{ request: name, failed, text: describeFailures(tally) }] : [];
  });
}

/** One line per request that had failed requests, e.g. "candidate api / r: HTTP 500 ×120"; '' when none. */
export function failureLines(run: RunResult, label: string): string {
  return run.scenarios
    .flatMap((s) =>
      requestFailures(s).map((f) => `${label} ${s.name} / ${f.request}: ${f.failed} failed (${f.text})`),
    )
    .join('\n');
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
  const failures = new Map(
    run.scenarios.flatMap((sc) => requestFailures(sc).map((f) => [`${sc.name}\u0000${f.request}`, f.text])),
  );
  const rows = summarizeRun(run).map((s) => [
    `${s.scenario} / ${s.request}`,
    String(s.trials),
    formatMs(s.p50Us),
    formatMs(s.p95Us),
    formatMs(s.p99Us),
    `${s.throughput.toFixed(0)}/s`,
    formatPercent(s.errorRate, 2),
    failures.get(`${s.scenario}\u0000${s.request}`) ?? '',
  ]);
  const table = textTable(
    ['request', 'valid trials', 'p50', 'p95', 'p99', 'ok/s', 'errors', 'failed requests (all trials)'],
    rows,
  );
  const stopped = run.failure
    ? `\nrun stopped in ${run.failure.scenario} ${run.failure.trial < 0 ? 'warm-up' : `trial ${run.failure.trial + 1}`}: ${run.failure.reason}`
    : '';
  return table + stopped;
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
