import { describe, expect, it } from 'vitest';
import { detectableChange, gatingFamily } from '../../src/verdict/power.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { designWarnings } from '../../src/cli/commands/validate.ts';
import type { LoadedConfig } from '../../src/config/load.ts';

// Reference values: the same formula with scipy.stats.t.ppf (scipy 1.17).
describe('detectableChange', () => {
  it('stored, 10 trials, 61 gating metrics, 5 % noise: +19.85 %', () => {
    const d = { mode: 'stored', trials: 10, family: 61, alpha: 0.05, noise: 0.05, minEffect: 0.1 } as const;
    expect(detectableChange(d)).toBeCloseTo(0.19849076068302757, 10);
  });

  it('paired, 5 pairs, 200 gating metrics, 2 % noise: +17.05 %', () => {
    const d = { mode: 'paired', trials: 5, family: 200, alpha: 0.05, noise: 0.02, minEffect: 0.1 } as const;
    expect(detectableChange(d)).toBeCloseTo(0.1704586809651175, 10);
  });

  it('stored drift adds to every trial count: 3 trials, 1 % run drift: +52.0 %', () => {
    const d = {
      mode: 'stored',
      trials: 3,
      family: 61,
      alpha: 0.05,
      noise: 0.05,
      drift: 0.01,
      minEffect: 0.1,
    };
    expect(detectableChange(d as Parameters<typeof detectableChange>[0])).toBeCloseTo(0.5201475074278864, 10);
  });

  it('needs two trials', () => {
    const d = { mode: 'paired', trials: 1, family: 1, alpha: 0.05, noise: 0.02, minEffect: 0.1 } as const;
    expect(detectableChange(d)).toBe(Infinity);
  });
});

describe('gatingFamily and the validate warning', () => {
  const routes = Array.from({ length: 30 }, (_, i) => ({ name: `r${i}` }));
  const scenario = (trials: number) => ({
    name: 'api',
    requests: routes,
    load: { model: 'closed' },
    trials,
  });

  it('counts p95 and error rate per request plus throughput: 61 for 30 routes', () => {
    expect(gatingFamily([scenario(10)], DEFAULT_THRESHOLDS)).toBe(61);
  });

  it('warns when the trials cannot decide twice the minimum effect, and not when they can', () => {
    const config = (trials: number) =>
      ({
        scenarios: [scenario(trials)],
        thresholds: DEFAULT_THRESHOLDS,
        adaptive: { first: 3, maxTimeMs: 600_000 },
      }) as unknown as LoadedConfig;
    const few = designWarnings(config(3));
    expect(few).toHaveLength(1);
    expect(few[0]).toMatch(
      /with 3 trial\(s\) and 61 gating metrics, a p95 change must be about \+\d+ % \(stored\)/,
    );
    expect(designWarnings(config(20))).toEqual([]);
  });
});
