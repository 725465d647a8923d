// A Comparison straight from simulated series (no RunResults), for the decision simulation and the
// comparison benchmark.
import { compareSeries, type Series } from '../../src/compare/compare.ts';
import type { DriftTable } from '../../src/compare/drift.ts';
import type { Comparison, CompareMode } from '../../src/compare/types.ts';

export function comparisonFromSeries(
  series: Series[],
  mode: CompareMode,
  trials: number,
  scenario = 's',
  drift?: DriftTable,
): Comparison {
  const { metrics, familySize } = compareSeries(series, mode, 0.95, drift);
  return {
    schemaVersion: 1,
    kind: 'perf-gate/comparison',
    mode,
    alpha: 0.05,
    confidence: 0.95,
    baseline: { finishedAt: '' },
    candidate: { finishedAt: '' },
    metrics,
    unmatched: [],
    trials: [{ scenario, baseline: trials, candidate: trials, invalidBaseline: 0, invalidCandidate: 0 }],
    familySize,
  };
}
