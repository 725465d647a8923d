import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../src/attribution/bytes.ts';
import { parseCpuProfile, parseCpuProfileWindows } from '../../src/attribution/cpuprofile.ts';
import {
  mergeProfiles,
  ProfileFormatError,
  summarizeFunctions,
} from '../../src/attribution/profile-model.ts';
import { makeCpuProfile } from './synthetic.ts';

const byName = (json: string) => new Map(summarizeFunctions(parseCpuProfile(json)).map((f) => [f.name, f]));

describe('parseCpuProfile', () => {
  it('computes self and total (inclusive) time per function with known answers', () => {
    const { json } = makeCpuProfile([
      { frames: ['main', 'handle', 'parse'], samples: 30 },
      { frames: ['main', 'handle', 'render'], samples: 20 },
      { frames: ['main', 'handle'], samples: 10 },
      { frames: ['main', 'log'], samples: 5 },
      { frames: ['(idle)'], samples: 100 },
      { frames: ['(program)'], samples: 7 },
      { frames: ['(garbage collector)'], samples: 3 },
    ]);
    const model = parseCpuProfile(json);
    expect(model.samples).toBe(75);
    expect(model.cpuMs).toBeCloseTo(75);
    expect(model.idleSamples).toBe(100);
    expect(model.idleMs).toBeCloseTo(100);
    const f = byName(json);
    expect(f.has('(idle)')).toBe(false);
    expect(f.get('(program)')).toMatchObject({ kind: 'program', selfSamples: 7 });
    expect(f.get('(garbage collector)')).toMatchObject({ kind: 'gc', selfSamples: 3 });
    expect(f.get('parse')).toMatchObject({ selfSamples: 30, totalSamples: 30 });
    expect(f.get('handle')).toMatchObject({ selfSamples: 10, totalSamples: 60 });
    expect(f.get('main')).toMatchObject({ selfSamples: 0, totalSamples: 65 });
    expect(f.get('parse')!.selfMs).toBeCloseTo(30);
    expect(f.get('main')!.totalMs).toBeCloseTo(65);
  });

  it('counts a recursive function once per stack in its total time', () => {
    const { json } = makeCpuProfile([
      { frames: ['main', 'fib', 'fib', 'fib'], samples: 10 },
      { frames: ['main', 'fib', 'fib'], samples: 5 },
      { frames: ['main', 'fib', 'helper', 'fib'], samples: 4 },
    ]);
    const f = byName(json);
    expect(f.get('fib')).toMatchObject({ selfSamples: 19, totalSamples: 19 });
    expect(f.get('helper')).toMatchObject({ selfSamples: 0, totalSamples: 4 });
    expect(f.get('main')).toMatchObject({ totalSamples: 19 });
  });

  it('identifies functions by name + file + line (+ column), 1-based', () => {
    const { json } = makeCpuProfile([
      { frames: [{ name: 'f', url: 'file:///a.js', line: 10, column: 3 }], samples: 2 },
      { frames: [{ name: 'f', url: 'file:///a.js', line: 20, column: 3 }], samples: 3 },
      { frames: [{ name: 'f', url: 'file:///b.js', line: 10, column: 3 }], samples: 4 },
    ]);
    const fns = summarizeFunctions(parseCpuProfile(json));
    expect(fns.map((f) => [f.url, f.line, f.column, f.selfSamples])).toEqual([
      ['file:///b.js', 10, 3, 4],
      ['file:///a.js', 20, 3, 3],
      ['file:///a.js', 10, 3, 2],
    ]);
  });

  it('measures busy time from the sample intervals and shares it evenly over the busy samples', () => {
    const json = JSON.stringify({
      nodes: [
        {
          id: 1,
          callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 },
          children: [2, 3, 4],
        },
        { id: 2, callFrame: { functionName: 'a', url: 'file:///x.js', lineNumber: 0, columnNumber: 0 } },
        { id: 3, callFrame: { functionName: 'b', url: 'file:///x.js', lineNumber: 5, columnNumber: 0 } },
        { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1, columnNumber: -1 } },
      ],
      startTime: 0,
      endTime: 20_000,
      samples: [2, 3, 2, 4, 3],
      timeDeltas: [100, 1000, 3000, 1000, 5000],
    });
    // Each sample lasts until the next one: a 1 ms, b 3 ms, a 1 ms, idle 5 ms, and the last b its own 5 ms.
    // Busy time 10 ms over 4 busy samples: 2.5 ms each, whatever the individual gaps.
    const model = parseCpuProfile(json);
    expect(model.cpuMs).toBeCloseTo(10);
    expect(model.idleMs).toBeCloseTo(5);
    const f = byName(json);
    expect(f.get('a')!.selfMs).toBeCloseTo(5);
    expect(f.get('b')!.selfMs).toBeCloseTo(5);
  });

  it('cuts windows on the profile clock into separate models', () => {
    const { json } = makeCpuProfile(
      [
        { frames: ['main', 'x'], samples: 50 },
        { frames: ['main', 'y'], samples: 50 },
      ],
      { intervalUs: 1000, startUs: 0 },
    );
    // Samples at t = 1000, 2000, …, 100000 alternate x, y.
    const [w1, w2, w3] = parseCpuProfileWindows(json, [
      { startUs: 0, endUs: 20_500 },
      { startUs: 50_500, endUs: 60_500 },
      { startUs: 200_000, endUs: 300_000 },
    ]);
    expect(w1!.samples).toBe(20);
    expect(w2!.samples).toBe(10);
    expect(w3!.samples).toBe(0);
    expect(w1!.wallMs).toBeCloseTo(20.5);
    const whole = parseCpuProfile(json);
    expect(whole.samples).toBe(100);
  });

  it('reads line ticks as line evidence, scaled to a window', () => {
    const { json } = makeCpuProfile(
      [{ frames: [{ name: 'hot', url: 'file:///h.js', line: 3 }], samples: 10 }],
      {
        lineTicks: true,
        startUs: 0,
      },
    );
    const [half] = parseCpuProfileWindows(json, [{ startUs: 0, endUs: 5_500 }]);
    const model = parseCpuProfile(json);
    expect([...model.lineSamples.values()][0]).toEqual(new Map([[4, 10]]));
    expect([...half!.lineSamples.values()][0]).toEqual(new Map([[4, 5]]));
  });

  it('streams through any ByteSource: a source returning 7 bytes per read parses identically', () => {
    const { json } = makeCpuProfile([
      { frames: ['main', 'a'], samples: 40 },
      { frames: ['main', 'b'], samples: 25 },
    ]);
    const bytes = new TextEncoder().encode(json);
    const stingy: ByteSource = {
      length: bytes.length,
      read: (o, n) => bytes.slice(o, Math.min(o + Math.min(n, 7), bytes.length)),
    };
    expect(summarizeFunctions(parseCpuProfile(stingy))).toEqual(summarizeFunctions(parseCpuProfile(bytes)));
  });

  it('spreads the span evenly when timeDeltas is absent', () => {
    const json = JSON.stringify({
      nodes: [
        {
          id: 1,
          callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 },
          children: [2],
        },
        { id: 2, callFrame: { functionName: 'a', url: 'file:///x.js', lineNumber: 0, columnNumber: 0 } },
      ],
      startTime: 0,
      endTime: 8000,
      samples: [2, 2, 2, 2],
    });
    expect(parseCpuProfile(json).cpuMs).toBeCloseTo(8);
  });

  it('merges the profiles of several threads', () => {
    const a = parseCpuProfile(makeCpuProfile([{ frames: ['main', 'x'], samples: 3 }]).json);
    const b = parseCpuProfile(
      makeCpuProfile([
        { frames: ['main', 'x'], samples: 4 },
        { frames: ['w'], samples: 2 },
      ]).json,
    );
    const merged = mergeProfiles([a, b]);
    expect(merged.samples).toBe(9);
    const f = new Map(summarizeFunctions(merged).map((x) => [x.name, x]));
    expect(f.get('x')!.selfSamples).toBe(7);
    expect(f.get('main')!.totalSamples).toBe(7);
  });

  it('rejects empty, truncated and foreign inputs with a clear ProfileFormatError', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['[]', /not a JSON object/],
      ['{"foo": 1}', /no "nodes"/],
      ['{"nodes": []}', /"nodes" is empty/],
      ['{"nodes": [{"id": 1}]}', /lacks id or callFrame/],
      ['{"nodes": [{"id": 1, "callFrame": {"functionName": "a"}}], "samples": [2]}', /unknown node 2/],
      ['{"nodes": [{"id": 1, "callFrame": {"functionName": "a"', /unparsable/],
      [
        '{"nodes": [{"id": 1, "callFrame": {"functionName": "a"}}], "samples": [1, 1], "timeDeltas": [1]}',
        /fewer timeDeltas/,
      ],
    ];
    for (const [input, message] of cases) {
      expect(() => parseCpuProfile(input), input).toThrow(ProfileFormatError);
      expect(() => parseCpuProfile(input), input).toThrow(message);
    }
  });
});
