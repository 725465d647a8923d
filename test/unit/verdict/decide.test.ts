import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../../src/compare/compare.ts';
import { decide, trialRequirement } from '../../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS, parseThresholds } from '../../../src/verdict/thresholds.ts';
import { syntheticRun, syntheticScenario, type SyntheticRequest } from '../../helpers/run-result.ts';
import { createRng } from '../../../src/stats/index.ts';

/** n trials of ~200 samples around `ms` with small trial-to-trial noise. */
function trials(ms: number, n: number, seed: number, jitter = 0.02): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const level = ms * (1 + jitter * (rng() - 0.5) * 2);
    return Array.from({ length: 200 }, () => level * (0.9 + 0.2 * rng()));
  });
}

function run(requests: SyntheticRequest[], fingerprint = 'fp') {
  return syntheticRun([syntheticScenario('api', requests, fingerprint)]);
}

describe('decide', () => {
  const base = run([
    { name: 'a', trialsMs: trials(10, 8, 1) },
    { name: 'b', trialsMs: trials(3, 8, 2) },
  ]);

  it('passes an identical candidate', () => {
    const cand = run([
      { name: 'a', trialsMs: trials(10, 8, 3) },
      { name: 'b', trialsMs: trials(3, 8, 4) },
    ]);
    const v = decide(compareRuns(base, cand, { mode: 'stored' }), { thresholds: DEFAULT_THRESHOLDS });
    expect(v.outcome).toBe('pass');
    expect(v.counts.regressions).toBe(0);
  });

  it('fails a +50 % request on that request only, in the right direction', () => {
    const cand = run([
      { name: 'a', trialsMs: trials(15, 8, 3) },
      { name: 'b', trialsMs: trials(3, 8, 4) },
    ]);
    const c = compareRuns(base, cand, { mode: 'stored' });
    const v = decide(c, { thresholds: DEFAULT_THRESHOLDS });
    expect(v.outcome).toBe('fail');
    const regs = v.findings.filter((f) => f.status === 'regression');
    expect(regs.map((f) => `${f.request}:${f.metric}`)).toEqual(['a:p95']);
    expect(regs[0]!.change!.estimate).toBeGreaterThan(0.4);
    expect(regs[0]!.change!.lower).toBeLessThan(0.5);
    expect(regs[0]!.change!.upper).toBeGreaterThan(0.5);
    expect(v.headline).toMatch(/failed/);
  });

  it('turns an approved regression into a pass with the approval recorded', () => {
    const cand = run([
      { name: 'a', trialsMs: trials(15, 8, 3) },
      { name: 'b', trialsMs: trials(3, 8, 4) },
    ]);
    const c = compareRuns(base, cand, { mode: 'stored' });
    const byFlag = decide(c, {
      thresholds: DEFAULT_THRESHOLDS,
      approval: { source: 'flag', reason: 'intended' },
    });
    expect(byFlag.outcome).toBe('pass');
    expect(byFlag.approval).toEqual({ source: 'flag', reason: 'intended' });
    const t = parseThresholds({ approve: [{ request: 'a', metric: 'p95', reason: 'JIRA-1' }] }).value;
    const byConfig = decide(c, { thresholds: t });
    expect(byConfig.outcome).toBe('pass');
    expect(byConfig.findings.find((f) => f.status === 'regression')?.approved).toEqual({
      source: 'config',
      reason: 'JIRA-1',
    });
    const other = parseThresholds({ approve: [{ request: 'b', reason: 'not this one' }] }).value;
    expect(decide(c, { thresholds: other }).outcome).toBe('fail');
  });

  it('fails a budget on the candidate alone', () => {
    const t = parseThresholds({ budgets: ['p95 < 5ms'] }).value;
    const v = decide(compareRuns(base, base, { mode: 'stored' }), { thresholds: t });
    expect(v.outcome).toBe('fail');
    expect(v.budgets.filter((b) => !b.passed).map((b) => b.request)).toEqual(['a']);
  });

  it('is inconclusive, saying how many trials are needed, when no p-value can pass Holm', () => {
    const few = (ms: number, seed: number) => trials(ms, 3, seed);
    const b = run([
      { name: 'a', trialsMs: few(10, 1) },
      { name: 'b', trialsMs: few(3, 2) },
    ]);
    const c = run([
      { name: 'a', trialsMs: few(10, 3) },
      { name: 'b', trialsMs: few(3, 4) },
    ]);
    const v = decide(compareRuns(b, c, { mode: 'stored' }), { thresholds: DEFAULT_THRESHOLDS });
    expect(v.outcome).toBe('inconclusive');
    expect(v.requirement?.met).toBe(false);
    expect(v.reasons.join()).toMatch(/use at least \d+ trials/);
  });

  it('computes the discreteness floor (benchstat/reference 4.6 values)', () => {
    // MWU 5 v 5: 2/C(10,5) = 0.0079; 6 v 6: 0.00216 -> m <= 23
    expect(trialRequirement('stored', 5, 5, 1, 0.05).minAttainableP).toBeCloseTo(2 / 252, 6);
    expect(trialRequirement('stored', 6, 6, 23, 0.05).met).toBe(true);
    expect(trialRequirement('stored', 6, 6, 24, 0.05).met).toBe(false);
    // signed rank: 10 pairs -> 2/1024, enough for m <= 25
    expect(trialRequirement('paired', 10, 10, 25, 0.05).met).toBe(true);
    expect(trialRequirement('paired', 10, 10, 26, 0.05).neededTrials).toBe(11);
  });

  it('lists changed scenarios as unmatched and never compares them', () => {
    const cand = run([{ name: 'a', trialsMs: trials(30, 8, 3) }], 'other-fp');
    const c = compareRuns(base, cand, { mode: 'stored' });
    expect(c.metrics).toEqual([]);
    expect(c.unmatched[0]).toMatchObject({ scenario: 'api', side: 'changed' });
    const v = decide(c, { thresholds: DEFAULT_THRESHOLDS });
    expect(v.outcome).toBe('no-baseline');
  });

  it('gives inconclusive with a reason, never NaN, for empty or NaN values', () => {
    const empty = Array.from({ length: 8 }, () => [] as number[]);
    const cand = run([
      { name: 'a', trialsMs: empty },
      { name: 'b', trialsMs: empty },
    ]);
    const c = compareRuns(base, cand, { mode: 'stored' });
    const v = decide(c, { thresholds: DEFAULT_THRESHOLDS });
    expect(v.outcome).toBe('inconclusive');
    expect(JSON.stringify({ c, v })).not.toMatch(/NaN/);
    expect(v.reasons.join()).toMatch(/zero values/);

    const withNaN = run([
      { name: 'a', trialsMs: trials(10, 8, 3) },
      { name: 'b', trialsMs: trials(3, 8, 4) },
    ]);
    withNaN.scenarios[0]!.trials[2]!.requests[0]!.latencyUs.p95 = Number.NaN;
    const v2 = decide(compareRuns(base, withNaN, { mode: 'stored' }), { thresholds: DEFAULT_THRESHOLDS });
    expect(v2.outcome).toBe('inconclusive');
    expect(v2.reasons.join()).toMatch(/non-finite/);
    expect(JSON.stringify(v2.findings)).not.toMatch(/NaN/);
  });

  it('turns a fail into inconclusive when a control request moved too', () => {
    const cand = run([
      { name: 'a', trialsMs: trials(15, 8, 3) },
      { name: 'b', trialsMs: trials(4.5, 8, 4) },
    ]);
    const t = parseThresholds({ control: ['b'] }).value;
    const v = decide(compareRuns(base, cand, { mode: 'stored', thresholds: t }), { thresholds: t });
    expect(v.noise.drifted).toBe(true);
    expect(v.outcome).toBe('inconclusive');
  });

  it("keeps a regression far beyond the run's own drift, and calls a small one inconclusive", () => {
    // The candidate's even and odd trials disagree by about 12 %: a drifting runner.
    const drifting = (ms: number, seed: number) =>
      trials(ms, 8, seed).map((t, i) => t.map((v) => v * (i % 2 ? 1.12 : 1)));
    const big = run([
      { name: 'a', trialsMs: drifting(20, 3) },
      { name: 'b', trialsMs: drifting(3, 4) },
    ]);
    const vBig = decide(compareRuns(base, big, { mode: 'stored' }), { thresholds: DEFAULT_THRESHOLDS });
    expect(vBig.noise.drifted).toBe(true);
    expect(vBig.outcome).toBe('fail');
    const small = run([
      { name: 'a', trialsMs: drifting(12.6, 3) },
      { name: 'b', trialsMs: drifting(3, 4) },
    ]);
    const vSmall = decide(compareRuns(base, small, { mode: 'stored' }), { thresholds: DEFAULT_THRESHOLDS });
    expect(vSmall.noise.drifted).toBe(true);
    expect(vSmall.outcome).toBe('inconclusive');
    expect(vSmall.findings.some((f) => f.withinNoise)).toBe(true);
  });
});
