import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { mergeHistograms } from '../../../../src/measure/collectors/latency-histogram.ts';
import { TrialRecorder } from '../../../../src/measure/collectors/request-recorder.ts';
import { K6Tally, NdjsonLines, readK6Ndjson } from '../../../../src/measure/runners/k6/ndjson.ts';
import type { RequestSpec } from '../../../../src/scenario/model.ts';
import { nearestRank, rawDurations, realRunText, type7 } from './fixture.ts';
import {
  dataReceivedLine,
  droppedIterationsLine,
  k6Time,
  metricLines,
  requestLines,
  synthNdjson,
  type SynthRequest,
} from './synth-ndjson.ts';

function parse(text: string, requests: RequestSpec[] = [], chunk = 65_536): K6Tally {
  const tally = new K6Tally(new TrialRecorder(requests));
  const lines = tally.stream();
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunk) lines.push(bytes.subarray(i, i + chunk));
  lines.end();
  tally.finish();
  return tally;
}

const spec = (name: string, expectStatus: number[]): RequestSpec => ({
  name,
  method: 'GET',
  path: `/${name}`,
  headers: {},
  expectStatus,
  weight: 1,
});

describe('k6 NDJSON: the real 322-request run (test/fixtures/k6/README.md)', () => {
  const text = realRunText();
  const raw = rawDurations(text);
  const tally = parse(text);
  const results = tally.recorder.results(20_000);

  it('counts the requests, names and statuses of the README', () => {
    expect(raw).toHaveLength(322);
    expect(tally.requests).toBe(322);
    expect(tally.iterations).toBe(161);
    expect(tally.droppedIterations).toBe(0);
    expect(tally.badLines).toBe(0);
    expect(tally.textLines).toBe(0);
    expect(tally.problems()).toEqual([]);
    expect(results.map((r) => [r.name, r.attempts, r.ok, r.statusCodes])).toEqual([
      ['http://test.k6.io', 161, 161, { '308': 161 }],
      ['https://test.k6.io/', 161, 161, { '200': 161 }],
    ]);
    // Every request was expected by k6 (expected_response: true), the 308s included.
    for (const r of results) {
      expect(r.errors).toEqual({ unexpectedStatus: 0, timeouts: 0, connection: 0 });
      expect(r.errorRate).toBe(0);
      expect(r.latencyUs.count).toBe(161);
      // data_received carries no name tag in this run: bytes cannot be attributed.
      expect(r.bytes).toBe(0);
    }
  });

  it("the raw points give the README's k6 (type-7) statistics", () => {
    const sorted = raw.map((p) => p.ms).sort((a, b) => a - b);
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    expect(mean).toBeCloseTo(122.466, 3);
    expect(type7(sorted, 0.5)).toBeCloseTo(121.843, 3);
    expect(type7(sorted, 0.9)).toBeCloseTo(124.879, 3);
    expect(type7(sorted, 0.95)).toBeCloseTo(125.293, 3);
    expect(sorted.at(-1)).toBeCloseTo(129.255, 3);
  });

  it('HDR percentiles are within 0.1 % of the exact nearest-rank values of the raw points', () => {
    const check = (points: typeof raw, summary: (typeof results)[number]['latencyUs']) => {
      const us = points.map((p) => Math.round(p.ms * 1000)).sort((a, b) => a - b);
      expect(summary.count).toBe(us.length);
      expect(summary.min).toBe(us[0]);
      expect(summary.max).toBe(us.at(-1));
      const exactMean = us.reduce((a, b) => a + b, 0) / us.length;
      expect(Math.abs(summary.mean - exactMean) / exactMean).toBeLessThan(0.001);
      for (const [p, hdr] of [
        [0.5, summary.p50],
        [0.9, summary.p90],
        [0.95, summary.p95],
        [0.99, summary.p99],
        [0.999, summary.p999],
      ] as const) {
        const exact = nearestRank(us, p);
        // HDR reports the top of the value's bucket: never below, at most 0.1 % above.
        expect(hdr).toBeGreaterThanOrEqual(exact);
        expect((hdr - exact) / exact).toBeLessThanOrEqual(0.001);
      }
    };
    for (const r of results)
      check(
        raw.filter((p) => p.name === r.name),
        r.latencyUs,
      );
    // All 322 together, through the merge of the two names' histograms.
    const merged = mergeHistograms(results.map((r) => r.histogram));
    const all = raw.map((p) => Math.round(p.ms * 1000)).sort((a, b) => a - b);
    expect(merged.totalCount).toBe(322);
    const p95 = merged.getValueAtPercentile(95);
    expect(p95).toBeGreaterThanOrEqual(nearestRank(all, 0.95));
    expect((p95 - nearestRank(all, 0.95)) / nearestRank(all, 0.95)).toBeLessThanOrEqual(0.001);
  });

  it('gives the same result whatever the chunking (lines cut anywhere, byte by byte included)', () => {
    for (const chunk of [1, 7, 4093, 1 << 20]) {
      expect(parse(text, [], chunk).recorder.results(20_000)).toEqual(results);
    }
  });

  it('reads a Node stream through readK6Ndjson', async () => {
    const streamed = new K6Tally(new TrialRecorder([]));
    await readK6Ndjson(Readable.from([Buffer.from(text)]), streamed);
    streamed.finish();
    expect(streamed.recorder.results(20_000)).toEqual(results);
  });
});

describe('k6 NDJSON: requests, errors and counters', () => {
  it('status 0 is a timeout with error_code 1050, else a connection error; never in the histogram', () => {
    const tally = parse(
      synthNdjson([
        { name: 'a', status: 200, ms: 1.5 },
        { name: 'a', status: 0, ms: 10_000, errorCode: 1050 },
        { name: 'a', status: 0, ms: 0.3, errorCode: 1212 },
        { name: 'a', status: 0, ms: 0.2, errorCode: 1220 },
      ]),
      [spec('a', [200])],
    );
    const [a] = tally.recorder.results(1000);
    expect(a).toMatchObject({
      attempts: 4,
      ok: 1,
      errors: { unexpectedStatus: 0, timeouts: 1, connection: 2 },
      errorRate: 0.75,
      statusCodes: { '200': 1 },
    });
    expect(a?.latencyUs.count).toBe(1);
    expect(a?.latencyUs.max).toBe(1500);
  });

  it("scenario requests judge success by their expected statuses (the generated script's responseCallback)", () => {
    const tally = parse(
      synthNdjson([
        { name: 'create', status: 201, ms: 2 },
        { name: 'create', status: 409, ms: 1, expected: true },
        { name: 'create', status: 500, ms: 3 },
      ]),
      [spec('create', [201, 409])],
    );
    expect(tally.recorder.results(1000)[0]).toMatchObject({
      attempts: 3,
      ok: 2,
      errors: { unexpectedStatus: 1, timeouts: 0, connection: 0 },
      statusCodes: { '201': 1, '409': 1, '500': 1 },
    });
  });

  it("names learnt from a user's script follow k6's expected_response tag", () => {
    const tally = parse(
      synthNdjson([
        { name: 'GET /items/:id', status: 404, ms: 0.8, expected: true },
        { name: 'GET /items/:id', status: 200, ms: 5, expected: false },
        { name: 'GET /items/:id', status: 200, ms: 1.25, expected: true },
      ]),
    );
    const [r] = tally.recorder.results(1000);
    expect(r).toMatchObject({
      name: 'GET /items/:id',
      attempts: 3,
      ok: 2,
      errors: { unexpectedStatus: 1, timeouts: 0, connection: 0 },
      statusCodes: { '200': 2, '404': 1 },
      statusClasses: { '2xx': 2, '4xx': 1 },
    });
    // Only the two expected responses are in the histogram: 0.8 ms and 1.25 ms.
    expect(r?.latencyUs).toMatchObject({ count: 2, min: 800, max: 1250 });
  });

  it('attributes data_received to the name the iteration carried, even before its first request', () => {
    const b = dataReceivedLine(1000, 'b');
    const text = [
      ...metricLines(),
      b,
      ...requestLines({ name: 'a', status: 200, ms: 1, bytes: 300, namedBytes: true }, k6Time(1)),
      ...requestLines({ name: 'a', status: 200, ms: 1, bytes: 200, namedBytes: true }, k6Time(2)),
      ...requestLines({ name: 'b', status: 200, ms: 1, bytes: 999 }, k6Time(3)),
      b,
      dataReceivedLine(77),
    ].join('\n');
    const byName = Object.fromEntries(
      parse(text)
        .recorder.results(1000)
        .map((r) => [r.name, r.bytes]),
    );
    // a: its two iterations; b: the two named lines (one before its request), not the untagged 999 or 77.
    expect(byName).toEqual({ a: 500, b: 2000 });
  });

  it('skips the requests of setup() and teardown()', () => {
    const tally = parse(
      synthNdjson([
        { name: 'login', status: 200, ms: 3, group: '::setup' },
        { name: 'load', status: 200, ms: 1 },
        { name: 'logout', status: 200, ms: 3, group: '::teardown' },
      ]),
    );
    expect(tally.setupTeardownRequests).toBe(2);
    expect(tally.recorder.results(1000).map((r) => r.name)).toEqual(['load']);
  });

  it('dropped iterations make the trial invalid, with the count', () => {
    const tally = parse(synthNdjson([{ name: 'a', status: 200, ms: 1 }], [droppedIterationsLine(12)]));
    expect(tally.droppedIterations).toBe(12);
    expect(tally.problems()).toEqual([
      expect.stringMatching(/^k6 dropped 12 iterations: .*raise connections/),
    ]);
  });

  it('tolerates text lines and CRLF; reports lines that look like JSON but are not', () => {
    const body = synthNdjson([{ name: 'a', status: 200, ms: 1 }]).replace(/\n/g, '\r\n');
    const text = `     execution: local\r\n${body}{"metric":"http_req_duration","type":"Point","data":{"val\n`;
    const tally = parse(text);
    expect(tally.textLines).toBe(1);
    expect(tally.badLines).toBe(1);
    expect(tally.recorder.results(1000)[0]?.ok).toBe(1);
    expect(tally.problems()).toEqual([expect.stringContaining("1 line(s) of k6's output could not be read")]);
  });

  it('a UTF-8 name cut between two chunks is read whole', () => {
    const text = synthNdjson([{ name: 'café ☕ 注文', status: 200, ms: 1 }]);
    for (const chunk of [1, 2, 3, 5]) {
      expect(
        parse(text, [], chunk)
          .recorder.results(1000)
          .map((r) => r.name),
      ).toEqual(['café ☕ 注文']);
    }
  });

  it('refuses an unbounded number of names (untagged dynamic URLs)', () => {
    const requests: SynthRequest[] = Array.from({ length: 6 }, (_, i) => ({
      name: `/items/${i}`,
      status: 200,
      ms: 1,
    }));
    const tally = new K6Tally(new TrialRecorder([]), { maxNames: 5 });
    expect(() =>
      synthNdjson(requests)
        .split('\n')
        .forEach((line) => tally.line(line)),
    ).toThrow(/more than 5 request names.*tags: \{ name:/);
  });

  it('a line without a newline that never ends is not NDJSON', () => {
    const lines = new NdjsonLines(() => undefined, 1000);
    expect(() => lines.push('x'.repeat(1001))).toThrow(/longer than 1000 characters/);
  });
});
