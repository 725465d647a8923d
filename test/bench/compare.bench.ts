// Analysis cost: comparing and deciding 500 metric series of 30 trials each (stored and paired), the
// figure the statistics issue asks to stay under 100 ms.
import type { Series } from '../../src/compare/compare.ts';
import { comparisonFromSeries } from '../helpers/series-comparison.ts';
import { METRICS } from '../../src/compare/metrics.ts';
import type { CompareMode } from '../../src/compare/types.ts';
import { decide } from '../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS, ruleFor } from '../../src/compare/rules.ts';
import { createRng, normalQuantile } from '../../src/stats/index.ts';

const SERIES = 500;
const TRIALS = 30;

function build(seed: number): Series[] {
  const rng = createRng(seed);
  const g = () => normalQuantile(Math.min(Math.max(rng(), 1e-12), 1 - 1e-12));
  const defs = [METRICS.p50, METRICS.p95, METRICS.p99, METRICS.errorRate, METRICS.p90];
  return Array.from({ length: SERIES }, (_, i) => {
    const def = defs[i % defs.length]!;
    const level = def.id === 'errorRate' ? 0.001 : 5000;
    const draw = () =>
      def.id === 'errorRate' ? (rng() < 0.3 ? level * rng() : 0) : level * Math.exp(0.04 * g());
    return {
      scenario: `s${Math.floor(i / 100)}`,
      request: `r${i % 100}`,
      def,
      baseline: Array.from({ length: TRIALS }, draw),
      candidate: Array.from({ length: TRIALS }, draw),
      rule: ruleFor(DEFAULT_THRESHOLDS, `s${Math.floor(i / 100)}`, `r${i % 100}`, def.id),
      gating: def.id === 'p95' || def.id === 'errorRate',
    };
  });
}

function once(series: Series[], mode: CompareMode): number {
  const t0 = performance.now();
  const comparison = comparisonFromSeries(series, mode, TRIALS, 's0');
  decide(comparison, { thresholds: DEFAULT_THRESHOLDS });
  return performance.now() - t0;
}

export async function benchCompare(): Promise<void> {
  for (const mode of ['stored', 'paired'] as const) {
    const series = build(1);
    once(series, mode); // warm the JIT and the exact-distribution caches
    const times = Array.from({ length: 15 }, (_, i) => once(build(i + 2), mode)).sort((a, b) => a - b);
    console.log(
      `compare + decide, ${SERIES} series x ${TRIALS} trials, ${mode}: median ${times[7]!.toFixed(1)} ms, ` +
        `max ${times[14]!.toFixed(1)} ms (limit 100 ms)`,
    );
  }
}
