// A distributed trial's runners each write part of the NDJSON; their merge must equal the same run on
// one runner exactly. Shards are cut from the real run as runners would write them: every runner
// declares the metrics it uses (Metric lines), and all Points of one request go to one runner.
import { describe, expect, it } from 'vitest';
import {
  decodeHistogram,
  mergeHistograms,
  type LatencyHistogram,
} from '../../../../src/measure/collectors/latency-histogram.ts';
import { TrialRecorder } from '../../../../src/measure/collectors/request-recorder.ts';
import { K6Tally } from '../../../../src/measure/runners/k6/ndjson.ts';
import type { RequestTrialResult } from '../../../../src/contracts/run-result.ts';
import { realRunText } from './fixture.ts';

/** Splits by request: the Points sharing a timestamp (one request, or one iteration's counters) stay together. */
function shards(text: string, n: number): string[] {
  const out: string[][] = Array.from({ length: n }, () => []);
  const owner = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.includes('"type":"Metric"')) {
      out.forEach((shard) => shard.push(line));
      continue;
    }
    const time = /"time":"([^"]*)"/.exec(line)?.[1] ?? '';
    if (!owner.has(time)) owner.set(time, owner.size % n);
    out[owner.get(time)!]!.push(line);
  }
  return out.map((lines) => `${lines.join('\n')}\n`);
}

function parseInto(tally: K6Tally, text: string): void {
  const lines = tally.stream();
  lines.push(Buffer.from(text));
  lines.end();
}

const byName = (results: RequestTrialResult[]) => [...results].sort((a, b) => (a.name < b.name ? -1 : 1));

/** The recorded distribution: the (bucket) value at every rank, plus the exact min, max and mean. */
function distribution(h: LatencyHistogram): { ranks: number[]; min: number; max: number; mean: number } {
  const n = h.totalCount;
  const ranks = Array.from({ length: n }, (_, k) => h.getValueAtPercentile(((k + 1) / n) * 100));
  // An empty histogram's min is a sentinel that differs between a new and a decoded histogram.
  return n === 0
    ? { ranks, min: 0, max: 0, mean: 0 }
    : { ranks, min: h.minNonZeroValue, max: h.maxValue, mean: h.mean };
}

describe('k6 shard merge', () => {
  const text = realRunText();
  const whole = new K6Tally(new TrialRecorder([]));
  parseInto(whole, text);
  whole.finish();
  const expected = byName(whole.recorder.results(20_000));

  it.each([2, 3, 7])('the real run split %i ways merges to exactly the unsplit result', (n) => {
    const parts = shards(text, n);
    // Every shard holds some requests (otherwise the split would prove nothing).
    for (const part of parts) expect(part).toContain('"metric":"http_req_duration","type":"Point"');

    // As the distributed engine does: every runner's stream feeds one tally, interleaved.
    const merged = new K6Tally(new TrialRecorder([]));
    const streams = parts.map(() => merged.stream());
    const buffers = parts.map((part) => Buffer.from(part));
    for (let at = 0; buffers.some((b) => at < b.length); at += 3001) {
      buffers.forEach((b, i) => {
        if (at < b.length) streams[i]!.push(b.subarray(at, at + 3001));
      });
    }
    streams.forEach((s) => s.end());
    merged.finish();

    const results = byName(merged.recorder.results(20_000));
    expect(results).toEqual(expected);
    expect(merged.requests).toBe(whole.requests);
    expect(merged.iterations).toBe(whole.iterations);
    for (const [i, r] of results.entries()) {
      expect(distribution(decodeHistogram(r.histogram))).toEqual(
        distribution(decodeHistogram(expected[i]!.histogram)),
      );
    }

    // And shard by shard: separate histograms merged afterwards give the same distribution too.
    const perShard = parts.map((part) => {
      const tally = new K6Tally(new TrialRecorder([]));
      parseInto(tally, part);
      tally.finish();
      return tally.recorder.results(20_000);
    });
    for (const r of expected) {
      const encoded = perShard.flatMap((shard) =>
        shard.filter((s) => s.name === r.name).map((s) => s.histogram),
      );
      const mergedHistogram = mergeHistograms(encoded);
      expect(mergedHistogram.totalCount).toBe(r.latencyUs.count);
      expect(distribution(mergedHistogram)).toEqual(distribution(decodeHistogram(r.histogram)));
      const counts = perShard.flatMap((shard) => shard.filter((s) => s.name === r.name));
      expect(counts.reduce((sum, s) => sum + s.attempts, 0)).toBe(r.attempts);
      expect(counts.reduce((sum, s) => sum + s.ok, 0)).toBe(r.ok);
    }
  });
});
