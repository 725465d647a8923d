// `perf-gate compare` end to end on saved run results, and threshold errors in the config.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeRunResult } from '../../src/store/codec/run-result-codec.ts';
import { runCli } from '../helpers/cli.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';
import { createRng } from '../../src/stats/index.ts';

function trials(ms: number, n: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const level = ms * (1 + 0.02 * (rng() - 0.5));
    return Array.from({ length: 100 }, () => level * (0.9 + 0.2 * rng()));
  });
}

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-compare-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const base = syntheticRun([syntheticScenario('api', [{ name: 'a', trialsMs: trials(10, 8, 1) }])]);
const slow = syntheticRun([syntheticScenario('api', [{ name: 'a', trialsMs: trials(14, 8, 2) }])]);
const same = syntheticRun([syntheticScenario('api', [{ name: 'a', trialsMs: trials(10, 8, 3) }])]);

describe('perf-gate compare', () => {
  it('exits 1 on a regression and writes comparison.json and verdict.json', async () => {
    const dir = dirWith({ 'base.json': encodeRunResult(base), 'cand.json': encodeRunResult(slow) });
    const r = await runCli(['compare', '--baseline', 'base.json', '--candidate', 'cand.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/REGRESSION/);
    expect(r.stdout).toMatch(/verdict: FAIL/);
    const verdict = JSON.parse(readFileSync(path.join(dir, 'verdict.json'), 'utf8'));
    expect(verdict.outcome).toBe('fail');
    expect(existsSync(path.join(dir, 'comparison.json'))).toBe(true);
    // The self-contained HTML report, pointed to from the comment.
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('api / a');
    expect(readFileSync(path.join(dir, 'comment.md'), 'utf8')).toContain('`report.html`');
    const never = await runCli(
      ['compare', '--baseline', 'base.json', '--candidate', 'cand.json', '--fail-on', 'never'],
      { cwd: dir },
    );
    expect(never.code).toBe(0);
    const approved = await runCli(
      ['compare', '--baseline', 'base.json', '--candidate', 'cand.json', '--approve', 'intended'],
      { cwd: dir },
    );
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(/approved \(flag\): intended/);
  });

  it('exits 0 for an identical candidate', async () => {
    const dir = dirWith({ 'base.json': encodeRunResult(base), 'cand.json': encodeRunResult(same) });
    const r = await runCli(['compare', '--baseline', 'base.json', '--candidate', 'cand.json', '--json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).verdict.outcome).toBe('pass');
  });

  it('exits 3 naming the file for a corrupt or foreign-version baseline', async () => {
    const v2 = { ...base, schemaVersion: 2 };
    const dir = dirWith({
      'base.json': '{"kind": "perf-gate/run"',
      'v2.json': JSON.stringify(v2),
      'cand.json': encodeRunResult(slow),
    });
    const corrupt = await runCli(['compare', '--baseline', 'base.json', '--candidate', 'cand.json'], {
      cwd: dir,
    });
    expect(corrupt.code).toBe(3);
    expect(corrupt.stderr).toMatch(/base\.json: not valid JSON/);
    const other = await runCli(['compare', '--baseline', 'v2.json', '--candidate', 'cand.json'], {
      cwd: dir,
    });
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/v2\.json: run result schema version 2 is not supported/);
  });

  it('exits 2 naming the field for a bad threshold', async () => {
    const dir = dirWith({
      'perf-gate.yml': 'target: http://127.0.0.1:1\nthresholds:\n  p95: 10%\n  budgets: ["p95 < 300"]\n',
      'scenarios/a.yml': 'name: a\nrequests: [{ name: r, path: / }]\n',
      'base.json': encodeRunResult(base),
      'cand.json': encodeRunResult(slow),
    });
    const r = await runCli(
      ['compare', '-c', 'perf-gate.yml', '--baseline', 'base.json', '--candidate', 'cand.json'],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/perf-gate\.yml:3:\d+: thresholds\.p95/);
    expect(r.stderr).toMatch(/perf-gate\.yml:4:\d+: thresholds\.budgets\[0\]/);
  });
});
