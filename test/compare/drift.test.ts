// Stored mode knows its drift: the baseline branch's history shows how much a run's level moves, and an
// identical candidate whose runner drifts within that range passes, where a drift-blind test fails it.
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare.ts';
import { driftFromHistory, seriesKey } from '../../src/compare/drift.ts';
import { decide } from '../../src/verdict/decide.ts';
import { runnerDifferences } from '../../src/measure/runner-facts.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

/** A run of 6 trials at `level` ms with 1 % trial-to-trial spread, finished at minute `minute`. */
function run(level: number, minute: number) {
  const factors = [0.99, 1.01, 1.0, 0.99, 1.01, 1.0];
  const r = syntheticRun([
    syntheticScenario('api', [{ name: 'a', trialsMs: factors.map((f) => Array(200).fill(level * f)) }], 'fp'),
  ]);
  return { ...r, meta: { ...r.meta, finishedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString() } };
}

// The runner's level moves by about +-8 % from run to run; the candidate is the same code, on a run 12 %
// above the baseline's: within the history's range.
const levels = [10, 9.2, 10.9, 9.5, 10.4, 9.1, 10];
const history = levels.map((l, i) => run(l, i));
const baseline = history[history.length - 1]!;
const candidate = run(11.2, 60);

describe('stored-mode drift from the baseline history', () => {
  it('estimates each series run-to-run variance from the stored runs (own series, and its scenario)', () => {
    const { table, runs } = driftFromHistory(history, candidate.scenarios);
    expect(runs).toBe(7);
    const p95 = table.get(seriesKey('api', 'a', 'p95'))!;
    expect(p95.source).toBe('own');
    expect(p95.df).toBe(6);
    expect(Math.sqrt(p95.variance)).toBeGreaterThan(0.05);
    expect(Math.sqrt(p95.variance)).toBeLessThan(0.12);
  });

  it('an identical candidate 12 % above the baseline fails without the history and passes with it', () => {
    const blind = decide(compareRuns(baseline, candidate, { mode: 'stored' }), {
      thresholds: DEFAULT_THRESHOLDS,
    });
    expect(blind.outcome).toBe('fail');
    const comparison = compareRuns(baseline, candidate, { mode: 'stored', history });
    expect(comparison.drift).toEqual({ historyRuns: 7 });
    const aware = decide(comparison, { thresholds: DEFAULT_THRESHOLDS });
    expect(aware.outcome).not.toBe('fail');
    // What would decide it: not more trials (the drift does not shrink with them) but paired mode.
    expect(aware.decision.wouldDecide).toMatch(/drift by about .* use paired mode/);
  });

  it('a change far beyond the drift still fails', () => {
    const slower = run(20, 61);
    const v = decide(compareRuns(baseline, slower, { mode: 'stored', history }), {
      thresholds: DEFAULT_THRESHOLDS,
    });
    expect(v.outcome).toBe('fail');
  });
});

describe('runner facts', () => {
  it('names what differs between the baseline runner and the candidate runner', () => {
    const b = baseline.meta;
    const c = {
      host: { ...b.host, cpuModel: 'other cpu', kernel: '6.1' },
      tool: { ...b.tool, node: 'v22.0.0' },
    };
    expect(runnerDifferences(b, c)).toEqual(['CPU test cpu -> other cpu', 'Node v20.20.2 -> v22.0.0']);
    expect(runnerDifferences({ ...b, host: { ...b.host, kernel: '6.0' } }, c)).toContain('kernel 6.0 -> 6.1');
    expect(runnerDifferences(b, b)).toEqual([]);
  });
});
