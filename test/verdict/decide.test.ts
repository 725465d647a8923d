import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare.ts';
import { decide } from '../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { parseThresholds } from '../../src/config/thresholds/parse.ts';
import { syntheticRun, syntheticScenario, type SyntheticRequest } from '../helpers/run-result.ts';
import { createRng } from '../../src/stats/index.ts';

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
    const v = decide(compareRuns(base, base, { mode: 'stored', thresholds: t }), { thresholds: t });
    expect(v.outcome).toBe('fail');
    expect(v.budgets.filter((b) => !b.passed).map((b) => b.request)).toEqual(['a']);
  });

  it('has no trial floor: with 3 trials and a family of 5, a consistent +50 % fails', () => {
    const few = (ms: number, seed: number) => trials(ms, 3, seed);
    const b = run([
      { name: 'a', trialsMs: few(10, 1) },
      { name: 'b', trialsMs: few(3, 2) },
    ]);
    const c = run([
      { name: 'a', trialsMs: few(15, 3) },
      { name: 'b', trialsMs: few(3, 4) },
    ]);
    const comparison = compareRuns(b, c, { mode: 'stored' });
    expect(comparison.familySize).toBe(5);
    const v = decide(comparison, { thresholds: DEFAULT_THRESHOLDS });
    expect(v.outcome).toBe('fail');
    expect(v.findings[0]).toMatchObject({ status: 'regression', request: 'a', metric: 'p95' });
    expect(v.decision.largestChange?.text).toMatch(/^api \/ a p95 latency \+5\d\.\d%/);
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

  it('judges each series against its own noise: a noisy route never hides a clean regression', () => {
    // Route b is very noisy (trial-to-trial +-40 %); route a is stable and 20 % slower.
    const noisy = (seed: number) => trials(1, 8, seed, 0.8);
    const b = run([
      { name: 'a', trialsMs: trials(10, 8, 1) },
      { name: 'b', trialsMs: noisy(2) },
    ]);
    const c = run([
      { name: 'a', trialsMs: trials(12, 8, 3) },
      { name: 'b', trialsMs: noisy(4) },
    ]);
    const v = decide(compareRuns(b, c, { mode: 'stored' }), { thresholds: DEFAULT_THRESHOLDS });
    expect(v.outcome).toBe('fail');
    expect(v.findings.filter((f) => f.status === 'regression').map((f) => f.request)).toEqual(['a']);
  });

  it.each(['stored', 'paired'] as const)(
    '%s: with the variances moderated across the family, noisy routes still never hide a regression on a stable route',
    (mode) => {
      // Four very noisy routes (trial-to-trial +-40 %) and one stable route 20 % slower: a family of five p95
      // series, so the t-tests' variances are moderated (compare/moderation.ts). The stable route's variance
      // does not fit the noisy routes' prior, so it keeps its own and its regression stands.
      const noisy = ['b', 'c', 'd', 'e'];
      const b = run([
        { name: 'a', trialsMs: trials(10, 8, 1) },
        ...noisy.map((name, i) => ({ name, trialsMs: trials(1, 8, 10 + i, 0.8) })),
      ]);
      const c = run([
        { name: 'a', trialsMs: trials(12, 8, 3) },
        ...noisy.map((name, i) => ({ name, trialsMs: trials(1, 8, 20 + i, 0.8) })),
      ]);
      const comparison = compareRuns(b, c, { mode });
      const p95 = (request: string) =>
        comparison.metrics.find((m) => m.request === request && m.metric === 'p95')!;
      expect(p95('a').moderation).toBeUndefined();
      expect(noisy.some((r) => p95(r).moderation !== undefined)).toBe(true);
      const v = decide(comparison, { thresholds: DEFAULT_THRESHOLDS });
      expect(v.outcome).toBe('fail');
      expect(v.findings.filter((f) => f.status === 'regression').map((f) => f.request)).toEqual(['a']);
    },
  );

  it('moderation gains degrees of freedom for alike routes and leaves a family of one alone', () => {
    const alike = ['a', 'b', 'c', 'd', 'e'];
    const make = (seed: number, names: string[]) =>
      run(names.map((name, i) => ({ name, trialsMs: trials(10, 3, seed + i) })));
    const moderated = compareRuns(make(1, alike), make(50, alike), { mode: 'paired' });
    const p95s = moderated.metrics.filter((m) => m.metric === 'p95');
    expect(p95s.every((m) => m.moderation && m.moderation.series === 5 && m.moderation.dfGained > 0)).toBe(
      true,
    );
    const single = compareRuns(make(1, ['a']), make(50, ['a']), { mode: 'paired' });
    expect(single.metrics.find((m) => m.metric === 'p95')!.moderation).toBeUndefined();
  });

  it('names the largest change and what would decide it when a change straddles the minimum effect', () => {
    const cand = run([
      { name: 'a', trialsMs: trials(11, 3, 3, 0.3) },
      { name: 'b', trialsMs: trials(3, 3, 4) },
    ]);
    const v = decide(compareRuns(base, cand, { mode: 'stored' }), { thresholds: DEFAULT_THRESHOLDS });
    expect(v.outcome).not.toBe('fail');
    expect(v.decision.largestChange).toMatchObject({ request: 'a', metric: 'p95' });
    expect(v.decision.wouldDecide).toMatch(/about \d+ trials per side would decide it, 3 were measured/);
    // The headline (comment and terminal) names both.
    expect(v.headline).toContain(v.decision.largestChange!.text);
    expect(v.headline).toContain(`To decide: ${v.decision.wouldDecide}`);
  });
});
