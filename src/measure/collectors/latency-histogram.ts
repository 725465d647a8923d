// Latency histograms in microseconds. We record our own values because autocannon's histograms truncate
// to whole milliseconds and lack p95 (shared/reference/measurement.md 1.4).
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { LatencySummaryUs } from '../../contracts/run-result.ts';

/** 1 µs to 10 minutes at 3 significant digits: relative error <= 0.1 %. */
const HIGHEST_TRACKABLE_US = 600_000_000;

export type LatencyHistogram = Histogram;

export function createLatencyHistogram(): LatencyHistogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
    useWebAssembly: false,
  });
}

/** Records a latency given in (fractional) milliseconds as whole microseconds, at least 1 µs. */
export function recordLatencyMs(histogram: LatencyHistogram, ms: number): void {
  const us = Math.round(ms * 1000);
  histogram.recordValue(us < 1 ? 1 : us);
}

/** Percentiles are HDR nearest-rank values (bucket's highest equivalent value), not type-7 quantiles. */
export function summarizeHistogram(h: LatencyHistogram): LatencySummaryUs {
  const count = h.totalCount;
  if (count === 0) {
    return { count: 0, min: 0, mean: 0, stdDev: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  }
  return {
    count,
    min: h.minNonZeroValue,
    mean: Math.round(h.mean * 10) / 10,
    stdDev: Math.round(h.stdDeviation * 10) / 10,
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p95: h.getValueAtPercentile(95),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    max: h.maxValue,
  };
}

/** V2 compressed base64 encoding, interoperable with the Java/C/Rust HdrHistogram libraries. */
export function encodeHistogram(h: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): LatencyHistogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

/** Merges encoded histograms (e.g. the trials of one run, or the shards of a distributed trial). */
export function mergeHistograms(encoded: readonly string[]): LatencyHistogram {
  const merged = createLatencyHistogram();
  for (const e of encoded) merged.add(decodeHistogram(e));
  return merged;
}
