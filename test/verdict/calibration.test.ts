import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/verdict/calibration.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { calibrationTable } from '../../src/cli/commands/calibrate.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

/** One A/A run: trials of 200 samples at `level` ms, the trial levels spread by `spread`. */
function run(level: number, trialLevels: number[]) {
  const trialsMs = trialLevels.map((f) => Array.from({ length: 200 }, () => level * f));
  return syntheticRun([syntheticScenario('api', [{ name: 'a', trialsMs }], 'fp')]);
}

describe('calibrate (A/A runs -> noise, drift, detectable change, suggestion)', () => {
  it('measures trial noise within runs and the drift between them', () => {
    // Trial factors 0.98 / 1.02 in every run: a within-run log sd of about 2.3 %; run levels 10, 11, 12 ms
    // move far more than that noise explains: drift.
    const runs = [
      run(10, [0.98, 1.02, 0.98, 1.02]),
      run(11, [0.98, 1.02, 0.98, 1.02]),
      run(12, [1.02, 0.98, 1.02, 0.98]),
    ];
    const rows = calibrate(runs, DEFAULT_THRESHOLDS, 10);
    const p95 = rows.find((r) => r.request === 'a' && r.metric === 'p95')!;
    expect(p95.trialNoise).toBeGreaterThan(0.02);
    expect(p95.trialNoise).toBeLessThan(0.026);
    expect(p95.runDrift).toBeGreaterThan(0.07);
    // Drift is paid in stored mode only: paired detects smaller changes and allows a smaller threshold.
    expect(p95.detectable.paired).toBeLessThan(p95.detectable.stored);
    expect(p95.suggested.paired).toBeLessThan(p95.suggested.stored);
    expect(p95.minEffect).toBe('+10%');
    const table = calibrationTable(rows, 10);
    expect(table).toMatch(/api \/ a p95 latency/);
    expect(table.split('\n')[0]).toMatch(/detectable \(10 trials\) stored \/ paired/);
  });

  it('stable runs: no drift, the same figures in both modes but for the degrees of freedom', () => {
    const same = [0.99, 1.01, 0.99, 1.01];
    const rows = calibrate([run(10, same), run(10, same), run(10, same)], DEFAULT_THRESHOLDS, 10);
    const p95 = rows.find((r) => r.request === 'a' && r.metric === 'p95')!;
    expect(p95.runDrift).toBe(0);
    expect(p95.suggested.stored).toBeLessThanOrEqual(0.05);
  });
});
