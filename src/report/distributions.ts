// Latency distributions for the HTML report: per request, the trials' stored HDR histograms merged
// and read at fixed percentiles, so the report can draw both sides' curves without the raw data.
import { mergeHistograms } from '../measure/collectors/latency-histogram.ts';
import type { RunResult } from '../contracts/run-result.ts';
import type { LatencyDistribution } from '../contracts/report.ts';

/** Where each curve is read: dense in the tail, where regressions usually show first. */
export const DISTRIBUTION_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 99, 99.9, 100] as const;

export function latencyDistributions(run: RunResult): LatencyDistribution[] {
  return run.scenarios.flatMap((s) => {
    const valid = s.trials.filter((t) => t.valid);
    return s.requests.map((req) => {
      const encoded = valid
        .map((t) => t.requests.find((r) => r.name === req.name)?.histogram)
        .filter((h): h is string => typeof h === 'string' && h.length > 0);
      const merged = mergeHistograms(encoded);
      const count = merged.totalCount;
      return {
        scenario: s.name,
        request: req.name,
        count,
        percentilesUs: DISTRIBUTION_PERCENTILES.map((p): [number, number] => [
          p,
          count === 0 ? 0 : p === 0 ? merged.minNonZeroValue : merged.getValueAtPercentile(p),
        ]),
      };
    });
  });
}
