// `perf-gate demo --candidate baseline`: an identical candidate gets no regressions and no suspects.
// (A file of its own so it runs beside demo.server.test.ts, the suite's longest file.)
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

describe('perf-gate demo, identical candidate', () => {
  // This can fail: at 3 trials a side the gate's t-tests on logs and the profile diff's Welch test have no
  // p-value floor, so a code change that raised false regressions or suspects would show here.
  it('gives an identical candidate no suspects', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'pg-demo-'));
    const r = await runCli(['demo', '--out', '.perf-gate', '--candidate', 'baseline', '--trials', '3'], {
      cwd,
    });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(cwd, '.perf-gate/demo/report.json'), 'utf8'));
    expect(report.verdict.counts.regressions).toBe(0);
    expect(report.attribution.suspects).toEqual([]);
  });
});
