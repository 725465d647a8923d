import { describe, expect, it } from 'vitest';
import {
  aggregateServerTiming,
  comparePhases,
  parseServerTiming,
  ServerTimingAccumulator,
} from '../../src/attribution/server-timing.ts';
import type { TrialServerTiming } from '../../src/contracts/run-result.ts';

const short = (h: Parameters<typeof parseServerTiming>[0]) =>
  parseServerTiming(h).map((m) => [m.name, m.dur, m.desc]);

describe('parseServerTiming: W3C examples', () => {
  it('parses the spec examples', () => {
    expect(short('miss, db;dur=53, app;dur=47.2')).toEqual([
      ['miss', 0, ''],
      ['db', 53, ''],
      ['app', 47.2, ''],
    ]);
    expect(short('customView, dc;desc=atl')).toEqual([
      ['customView', 0, ''],
      ['dc', 0, 'atl'],
    ]);
    expect(short('cache;desc="Cache Read";dur=23.2')).toEqual([['cache', 23.2, 'Cache Read']]);
    expect(short('total;dur=123.4')).toEqual([['total', 123.4, '']]);
  });

  it('joins several header fields with commas', () => {
    expect(short(['db;dur=1', 'app;dur=2, cdn-cache;desc=HIT'])).toEqual([
      ['db', 1, ''],
      ['app', 2, ''],
      ['cdn-cache', 0, 'HIT'],
    ]);
  });

  it('keeps every entry of a repeated metric name', () => {
    expect(short('db;dur=1, db;dur=2')).toEqual([
      ['db', 1, ''],
      ['db', 2, ''],
    ]);
  });
});

describe('parseServerTiming: edge cases', () => {
  it('first occurrence of a repeated param wins, even an invalid one', () => {
    expect(short('db;dur=53;dur=100')).toEqual([['db', 53, '']]);
    expect(short('db;dur=abc;dur=100')).toEqual([['db', 0, '']]);
    expect(parseServerTiming('db;dur=abc;dur=100')[0]!.hasDur).toBe(false);
  });

  it('ignores unknown params and compares param names case-insensitively', () => {
    expect(short('db;foo=bar;DUR=7;Desc="x";region=eu')).toEqual([['db', 7, 'x']]);
  });

  it('quoted strings: escapes, commas and semicolons inside, trailing junk after the quote', () => {
    expect(short('a;desc="x, y; \\"z\\" \\\\ w";dur=1')).toEqual([['a', 1, 'x, y; "z" \\ w']]);
    expect(short('a;desc="quoted"junk;dur=2')).toEqual([['a', 2, 'quoted']]);
    expect(short('a;desc="unterminated, b;dur=3')).toEqual([['a', 0, 'unterminated, b;dur=3']]);
  });

  it('tolerates optional whitespace (SP and HTAB) everywhere OWS is allowed', () => {
    expect(short('  db \t; dur = 12.5 ;\tdesc = "d b" ,app;dur=1 ')).toEqual([
      ['db', 12.5, 'd b'],
      ['app', 1, ''],
    ]);
  });

  it('skips malformed entries without losing the valid ones', () => {
    expect(short('ok;dur=1, bad name;dur=2, "quoted";dur=3, =x, ;dur=4, good;dur=5,,')).toEqual([
      ['ok', 1, ''],
      ['good', 5, ''],
    ]);
  });

  it('missing or invalid dur is 0; accepted number forms', () => {
    const d = (v: string) => parseServerTiming(`m;dur=${v}`)[0]!;
    expect(d('').dur).toBe(0);
    expect(d('1e3').dur).toBe(1000);
    expect(d('.5').dur).toBe(0.5);
    expect(d('7.').dur).toBe(7);
    expect(d('-2').dur).toBe(-2);
    expect(d('0x10').hasDur).toBe(false);
    expect(d('Infinity').hasDur).toBe(false);
    expect(d('12ms').dur).toBe(0);
    expect(parseServerTiming('m;dur')[0]!.dur).toBe(0);
  });

  it('empty, undefined and null headers give no metrics', () => {
    expect(parseServerTiming('')).toEqual([]);
    expect(parseServerTiming(undefined)).toEqual([]);
    expect(parseServerTiming(null)).toEqual([]);
    expect(parseServerTiming([])).toEqual([]);
  });
});

describe('aggregateServerTiming', () => {
  it('sums same-name entries per response, counts entries and responses, means per request', () => {
    const t = aggregateServerTiming([
      { requestName: 'get', latencyMs: 10, serverTiming: 'db;dur=2, db;dur=3, app;dur=1' },
      { requestName: 'get', latencyMs: 20, serverTiming: 'app;dur=4' },
      { requestName: 'get', latencyMs: 30, serverTiming: undefined },
      { requestName: 'post', latencyMs: 5, serverTiming: ['db;dur=1', 'db;dur=1'] },
    ]);
    const get = t.requests.get!;
    expect(get.responses).toBe(3);
    expect(get.withServerTiming).toBe(2);
    expect(get.meanLatencyMs).toBe(20);
    expect(get.phases.db).toEqual({
      sumMs: 5,
      entries: 2,
      responses: 1,
      meanMsPerRequest: 5 / 3,
      shareOfLatency: 5 / 3 / 20,
    });
    expect(get.phases.app!.meanMsPerRequest).toBeCloseTo(5 / 3);
    expect(t.requests.post!.phases.db).toMatchObject({
      sumMs: 2,
      entries: 2,
      responses: 1,
      meanMsPerRequest: 2,
    });
  });

  it('the streaming accumulator gives the same result', () => {
    const acc = new ServerTimingAccumulator();
    acc.add('a', 4, 'x;dur=1');
    acc.add('a', 6, 'x;dur=3');
    expect(acc.result()).toEqual(
      aggregateServerTiming([
        { requestName: 'a', latencyMs: 4, serverTiming: 'x;dur=1' },
        { requestName: 'a', latencyMs: 6, serverTiming: 'x;dur=3' },
      ]),
    );
  });
});

function trial(latencyMs: number, phases: Record<string, number>, responses = 10): TrialServerTiming {
  const acc = new ServerTimingAccumulator();
  const header = Object.entries(phases)
    .map(([name, dur]) => `${name};dur=${dur}`)
    .join(', ');
  for (let i = 0; i < responses; i++) acc.add('GET /orders', latencyMs, header);
  return acc.result();
}

describe('comparePhases', () => {
  it('estimates each phase shift from the medians of trial means and the share of the latency shift', () => {
    const base = [
      trial(20, { db: 10, render: 5 }),
      trial(22, { db: 11, render: 5 }),
      trial(21, { db: 12, render: 5 }),
    ];
    const cand = [
      trial(40, { db: 30, render: 5 }),
      trial(41, { db: 31, render: 6 }),
      trial(39, { db: 29, render: 5 }),
    ];
    const [r] = comparePhases(base, cand);
    expect(r!.latencyShiftMs).toBe(40 - 21);
    const db = r!.phases.find((p) => p.phase === 'db')!;
    expect(db.baselineTrialMeans).toEqual([10, 11, 12]);
    expect(db.candidateTrialMeans).toEqual([30, 31, 29]);
    expect(db.shiftMs).toBe(30 - 11);
    expect(db.explainsShare).toBe(1);
    expect(db.baselineShare).toBeCloseTo(11 / 21, 1);
    expect(r!.phases[0]!.phase).toBe('db'); // largest increase first
    expect(r!.explainedMs).toBe(19);
    expect(r!.unexplainedMs).toBe(0);
  });

  it('reports the unexplained remainder and leaves envelope phases out of the sum', () => {
    const base = [trial(20, { db: 5, total: 19 }), trial(20, { db: 5, total: 19 })];
    const cand = [trial(30, { db: 9, total: 29 }), trial(30, { db: 9, total: 29 })];
    const [r] = comparePhases(base, cand);
    const db = r!.phases.find((p) => p.phase === 'db')!;
    expect(db.explainsShare).toBeCloseTo(0.4);
    expect(r!.phases.find((p) => p.phase === 'total')!.envelope).toBe(true);
    expect(r!.explainedMs).toBe(4);
    expect(r!.unexplainedMs).toBe(6);
    expect(r!.unexplainedShare).toBeCloseTo(0.6);
  });

  it('marks phases present on one side only and gives no share when latency did not grow', () => {
    const [r] = comparePhases([trial(10, { a: 2 })], [trial(9, { b: 1 })]);
    expect(r!.phases.find((p) => p.phase === 'a')!.presence).toBe('baseline-only');
    expect(r!.phases.find((p) => p.phase === 'b')!.presence).toBe('candidate-only');
    expect(r!.phases.every((p) => p.explainsShare === null)).toBe(true);
    expect(r!.unexplainedShare).toBeNull();
  });

  it('skips request names seen on one side only', () => {
    expect(comparePhases([trial(10, { a: 1 })], [])).toEqual([]);
  });
});
