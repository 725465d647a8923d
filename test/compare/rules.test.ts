// The threshold policy is resolved once per series, in compare, and carried on the comparison: the verdict
// reads `row.rule` and never resolves the thresholds again.
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare.ts';
import { ruleFor } from '../../src/compare/rules.ts';
import { parseThresholds } from '../../src/config/thresholds/parse.ts';
import { decide } from '../../src/verdict/decide.ts';
import { createRng } from '../../src/stats/index.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

function trials(ms: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: 8 }, () => {
    const level = ms * (1 + 0.04 * (rng() - 0.5));
    return Array.from({ length: 200 }, () => level * (0.9 + 0.2 * rng()));
  });
}

const run = (payMs: number, seed: number) =>
  syntheticRun([
    syntheticScenario('checkout', [
      { name: 'pay', trialsMs: trials(payMs, seed) },
      { name: 'health', trialsMs: trials(1, seed + 1) },
    ]),
  ]);

const thresholds = parseThresholds({
  control: ['health'],
  overrides: [{ scenario: 'checkout', request: 'pay', p95: '+80%', budgets: ['p95 < 100ms'] }],
}).value;

describe('series rules', () => {
  it('every row carries the rule its series resolves to', () => {
    const comparison = compareRuns(run(10, 1), run(10, 3), { mode: 'stored', thresholds });
    for (const row of comparison.metrics) {
      expect(row.rule).toEqual(ruleFor(thresholds, row.scenario, row.request, row.metric));
      expect(row.gating).toBe(row.rule.gating);
    }
    const pay = comparison.metrics.find((m) => m.request === 'pay' && m.metric === 'p95')!;
    expect(pay.rule.minEffect.text).toBe('+80%');
    expect(pay.rule.budgets.map((b) => b.text)).toEqual(['p95 < 100ms']);
    const health = comparison.metrics.find((m) => m.request === 'health' && m.metric === 'p95')!;
    expect(health.rule.gating).toBe(false);
  });

  it('the verdict applies the rules the comparison carries', () => {
    // +50 % on pay: a regression under the default +10 %, not under the override's +80 %.
    const comparison = compareRuns(run(10, 1), run(15, 3), { mode: 'stored', thresholds });
    const verdict = decide(comparison, { thresholds });
    expect(verdict.findings.filter((f) => f.status === 'regression')).toEqual([]);
    expect(verdict.findings.find((f) => f.request === 'pay' && f.metric === 'p95')?.minEffect).toBe('+80%');
    const strict = compareRuns(run(10, 1), run(15, 3), { mode: 'stored' });
    expect(decide(strict, { thresholds }).outcome).toBe('fail');
  });
});
