// `perf-gate demo` end to end (what `npm run demo` runs): the regressed variant fails the gate, its slowed
// function is the top suspect at the right file and line with high or medium confidence, its slower database
// phase shows in Server-Timing, and the PR comment is written. The identical candidate is
// demo-identical.server.test.ts (a file of its own, so the two run side by side).
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGRESSED_FUNCTION } from '../../src/demo/fees.ts';
import { runCli } from '../helpers/cli.ts';

describe('perf-gate demo', () => {
  it('finds the regression, names the slowed function and the slower database phase, writes the comment', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'pg-demo-'));
    const r = await runCli(['demo', '--out', '.perf-gate'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(cwd, '.perf-gate/demo/report.json'), 'utf8'));
    expect(report.verdict.outcome).toBe('fail');
    const top = report.attribution.suspects[0];
    expect(top).toMatchObject({
      name: REGRESSED_FUNCTION.name,
      file: REGRESSED_FUNCTION.file,
      line: REGRESSED_FUNCTION.line,
    });
    // High needs rank-tested profiles (enough trials); adaptive trials may stop the clear fail at 3, where
    // the profile diff uses Welch and caps confidence at medium. Never low: the share is large.
    expect(['high', 'medium']).toContain(top.confidence);
    const account = report.attribution.phases.find(
      (p: { requestName: string }) => p.requestName === 'account',
    );
    const db = account.phases.find((p: { phase: string }) => p.phase === 'db');
    expect(db.shiftMs).toBeGreaterThan(2.5); // 2 ms -> 6 ms in the regressed variant
    expect(report.rightsizing[0].report.regressionCost.deltaCpuMsPerRequest).toBeGreaterThan(0);
    const comment = readFileSync(path.join(cwd, '.perf-gate/comment.md'), 'utf8');
    expect(comment).toMatch(/^<!-- perf-gate:default -->\n## ❌ perf-gate: performance regression/);
    expect(comment).toMatch(/Likely cause: \*\*findFeeRuleLinear\(\)\*\* in src\/demo\/fees\.ts:\d+/);
    expect(readFileSync(path.join(cwd, '.perf-gate/demo/report.html'), 'utf8')).toContain(
      'findFeeRuleLinear()',
    );
    expect(r.stdout).toMatch(/verdict: FAIL/);
  });
});
