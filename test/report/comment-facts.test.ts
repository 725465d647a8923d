// Each sentence of the comment is decided in one place and agrees with the rest: the cases of issue 14
// (over-escaping, bold everywhere, the wrong "worst" budget, reasons repeating the table, the header's
// sides, pairs, the terminal's doubled outcome, the off-CPU sentence next to a CPU increase).
import { describe, expect, it } from 'vitest';
import { verdictText } from '../../src/report/comparison-table.ts';
import { buildReportModel } from '../../src/report/model/build-model.ts';
import { renderReport } from '../../src/report/report.ts';
import { loadTemplates } from '../../src/report/templates.ts';
import type { RunResult } from '../../src/contracts/run-result.ts';
import { parseThresholds } from '../../src/config/thresholds/parse.ts';
import { gateReport, jitteredTrials, type GateReportOptions } from '../helpers/report.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

function run(label: string, ms: Record<string, number>, seed: number, n = 8): RunResult {
  return syntheticRun(
    [
      syntheticScenario(
        'payments-api',
        Object.entries(ms).map(([name, m], i) => ({ name, trialsMs: jitteredTrials(m, seed + i, n) })),
      ),
    ],
    label,
  );
}

const reportOf = (baseline: RunResult, candidate: RunResult, options: GateReportOptions = {}) =>
  gateReport(baseline, candidate, { context: { branch: 'feature', baseBranch: 'main' }, ...options });

const base = run('baseline', { quote: 10, account: 3 }, 1);
const slower = run('candidate', { quote: 16, account: 3 }, 20);

describe('comment facts', () => {
  it('reads well raw: no backslashes before ordinary punctuation, bold only on what fails', () => {
    const { comment } = renderReport(reportOf(base, slower), loadTemplates());
    expect(comment).toContain('Performance gate failed: 1 regression; worst: payments-api / quote p95');
    expect(comment).not.toMatch(/\\[-.:()]/);
    const bold = [...comment.matchAll(/\*\*([+−-][\d.]+ (?:%|pp))\*\*/g)].map((m) => m[1]);
    expect(bold).toEqual(['+60.1 %', '+60.1 %']); // the regressions table and its row in the details
    expect(comment).not.toContain('**+0.00 pp**');
  });

  it('names the worst budget by how far past its limit, with a baseline column and a status', () => {
    const thresholds = parseThresholds({ budgets: ['p95 < 3ms'] }).value;
    // "near" changed most (+75 %) but is just past the limit; "far" changed little and is twice over.
    const far = reportOf(
      run('baseline', { near: 2, far: 5.5 }, 1),
      run('candidate', { near: 3.5, far: 6 }, 20),
      { thresholds },
    );
    expect(far.verdict.headline).toMatch(/worst: payments-api \/ far/);
    const { comment } = renderReport(far, loadTemplates());
    expect(comment).toContain('| Series | Metric | Budget | Baseline | Candidate | Status |');
    expect(comment).toMatch(
      /\| payments-api \/ far \| p95 \| p95 < 3ms \| 5\.\d+ ms \| \*\*6\.\d+ ms\*\* \| exceeded \|/,
    );
    expect(comment).not.toMatch(/\| \|\n/);
  });

  it('does not repeat the tables in "Why this verdict"', () => {
    const model = buildReportModel(reportOf(base, slower));
    expect(model.regressions).toHaveLength(1);
    expect(model.reasons).toEqual([]);
    const { comment } = renderReport(reportOf(base, slower), loadTemplates());
    expect(comment).not.toContain('Why this verdict');
    // A warning is its row in the warnings table, not a second line below it.
    const warn = buildReportModel(
      reportOf(base, slower, { thresholds: parseThresholds({ p95: '+80%' }).value }),
    );
    expect(warn.outcome).toBe('warn');
    expect(warn.warnings.length).toBeGreaterThan(0);
    expect(warn.reasons).toEqual([]);
  });

  it('names each side truly: outside git, in paired mode, and counts pairs once', () => {
    const noGit = (r: RunResult): RunResult => ({ ...r, meta: { ...r.meta, git: undefined } });
    const outside = buildReportModel(reportOf(noGit(base), noGit(slower), { context: {} }));
    expect(outside.context.head).toBe('this run (no git revision)');
    expect(outside.context.base).toBe('the run of 2026-01-01T00:00:00.000Z');

    const b = run('baseline', { quote: 10, account: 3 }, 1, 6);
    b.scenarios[0]!.target = 'https://staging.example.com';
    const paired = buildReportModel(
      reportOf(b, run('candidate', { quote: 10, account: 3 }, 30, 6), {
        mode: 'paired',
        context: { baseBranch: 'main', branch: 'feature' },
      }),
    );
    expect(paired.context.base).toBe('https://staging.example.com (re-measured in this job)');
    expect(paired.context.trials).toBe('payments-api: 6 pairs');
  });

  it('prints the outcome once in the terminal', () => {
    // One trial a side: no test can run, so the verdict cannot decide.
    const few = reportOf(run('baseline', { a: 3 }, 1, 1), run('candidate', { a: 3 }, 9, 1));
    expect(few.verdict.outcome).toBe('inconclusive');
    const text = verdictText(few.verdict);
    expect(text).toMatch(/^verdict: INCONCLUSIVE: the data cannot decide/);
    expect(text).not.toMatch(/INCONCLUSIVE: Inconclusive/);
  });

  it('says once, and consistently with the CPU row, that the time went off the CPU', () => {
    const attribution = {
      status: 'ok',
      suspects: [],
      regressed: [],
      notes: [
        'Latency grew but CPU per request did not: the time is spent waiting (I/O, database, downstream calls, locks), which a CPU profile cannot show. Look at the Server-Timing phases.',
      ],
      missing: [],
      dependencyUpgrades: [],
      unattributed: { ms: 0, share: null, functions: [] },
      offCpu: true,
      cpu: { baselineMs: 0.2, candidateMs: 0.344, deltaMs: 0.144, p: 0.2, significant: false },
      phases: [],
    };
    const json = reportOf(base, slower, { attribution });
    // The process's CPU per request rose significantly in the comparison.
    json.comparison!.metrics.push({
      ...json.comparison!.metrics[0]!,
      request: null,
      metric: 'cpuMsPerRequest',
      unit: 'ms',
      change: { estimate: 1.556, lower: 1.2, upper: 1.9, confidence: 0.95, scale: 'ratio' },
    });
    json.verdict.statuses.push('warning');
    const { comment } = renderReport(json, loadTemplates());
    expect(comment.match(/off the CPU|spent waiting|spent outside/g)).toHaveLength(1);
    expect(comment).not.toContain('CPU per request did not');
    expect(comment).toContain('CPU per request rose for the whole process (+155.6 %)');
    expect(comment).toContain('+0.144 ms, not significant');
  });
});
