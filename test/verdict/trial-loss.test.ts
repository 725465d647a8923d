// Lost trials and error rates are never hidden: a candidate that lost trials the baseline did not fails
// with its own reason, and an error-rate regression fails even in a run the noise guard calls drifted.
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare.ts';
import { decide, failingCount } from '../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { createRng } from '../../src/stats/index.ts';
import type { RunResult } from '../../src/contracts/run-result.ts';
import { syntheticRun, syntheticScenario, type SyntheticRequest } from '../helpers/run-result.ts';

function trials(ms: number, n: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const level = ms * (1 + 0.02 * (rng() - 0.5) * 2);
    return Array.from({ length: 200 }, () => level * (0.9 + 0.2 * rng()));
  });
}

const run = (requests: SyntheticRequest[]) => syntheticRun([syntheticScenario('api', requests)]);

/** Marks the first `n` trials invalid with a reason. */
function invalidate(r: RunResult, n: number, reason: string): RunResult {
  const s = r.scenarios[0]!;
  return {
    ...r,
    scenarios: [
      {
        ...s,
        trials: s.trials.map((t, i) => (i < n ? { ...t, valid: false, invalidReasons: [reason] } : t)),
      },
    ],
  };
}

const base = run([{ name: 'a', trialsMs: trials(10, 10, 1) }]);
const same = run([{ name: 'a', trialsMs: trials(10, 10, 2) }]);
const decideOn = (b: RunResult, c: RunResult, tolerated?: number) =>
  decide(compareRuns(b, c, { mode: 'stored' }), {
    thresholds: DEFAULT_THRESHOLDS,
    ...(tolerated !== undefined ? { invalidTrials: { tolerated } } : {}),
  });

describe('invalid-trial accounting', () => {
  it('fails a candidate that lost trials the baseline did not, naming why', () => {
    const v = decideOn(base, invalidate(same, 7, 'target failing: HTTP 502 ×80'));
    expect(v.outcome).toBe('fail');
    expect(v.headline).toMatch(/lost 7 trial\(s\) the baseline did not .*HTTP 502/);
    expect(v.trialLosses).toHaveLength(1);
    expect(failingCount(v)).toBe(1);
  });

  it('forgives what the baseline lost too, and tolerates the configured number', () => {
    const reason = 'load generator saturated';
    const bothSaturated = decideOn(invalidate(base, 3, reason), invalidate(same, 3, reason));
    expect(bothSaturated.trialLosses).toBeUndefined();
    expect(bothSaturated.reasons.join()).toMatch(/the baseline has 3 invalid trial\(s\)/);
    expect(decideOn(base, invalidate(same, 1, reason)).trialLosses).toBeUndefined();
    expect(decideOn(base, invalidate(same, 1, reason), 0).outcome).toBe('fail');
  });

  it('fails a candidate run that stopped part-way', () => {
    const stopped: RunResult = {
      ...same,
      failure: { scenario: 'api', trial: 3, reason: 'target failing: connection refused ×900' },
    };
    const v = decideOn(base, stopped);
    expect(v.outcome).toBe('fail');
    expect(v.headline).toMatch(/stopped in trial 4 of api: .*connection refused/);
  });
});

describe('error rates and the noise guard', () => {
  it('fails 30 % errors in every candidate trial even when the run drifted', () => {
    // The control request moved by +40 %: the noise guard marks the scenario as drifted.
    const baseRun = run([
      { name: 'a', trialsMs: trials(10, 10, 1) },
      { name: 'health', trialsMs: trials(2, 10, 4) },
    ]);
    const cand = run([
      { name: 'a', trialsMs: trials(10, 10, 3), errorRates: Array(10).fill(0.3) },
      { name: 'health', trialsMs: trials(2.8, 10, 5) },
    ]);
    const thresholds = { ...DEFAULT_THRESHOLDS, control: ['health'] };
    const v = decide(compareRuns(baseRun, cand, { mode: 'stored', thresholds }), { thresholds });
    expect(v.noise.drifted).toBe(true);
    expect(v.outcome).toBe('fail');
    const errors = v.findings.find((f) => f.metric === 'errorRate');
    expect(errors?.status).toBe('regression');
    expect(errors?.withinNoise).toBeUndefined();
    expect(failingCount(v)).toBeGreaterThanOrEqual(1);
  });
});

describe('lost trials against a baseline of another size', () => {
  it('compares invalid shares: a pooled baseline with a few invalid trials forgives no more than its rate', () => {
    const reason = 'generator saturated';
    // A baseline of 50 trials (five pooled runs) with 3 invalid, against a 10-trial candidate with 4.
    const pooled = run([{ name: 'a', trialsMs: trials(10, 50, 1) }]);
    const candidate = run([{ name: 'a', trialsMs: trials(10, 10, 2) }]);
    const v = decideOn(invalidate(pooled, 3, reason), invalidate(candidate, 4, reason));
    expect(v.outcome).toBe('fail');
    expect(v.headline).toMatch(/4 of 10 invalid vs 3 of 50/);
    // The same share on both sides is forgiven.
    expect(
      decideOn(invalidate(pooled, 10, reason), invalidate(candidate, 2, reason)).trialLosses,
    ).toBeUndefined();
  });
});
