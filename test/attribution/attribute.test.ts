import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { attribute } from '../../src/attribution/attribute.ts';
import type { AttributionInput, ProfileCapture } from '../../src/attribution/attribute.ts';
import { parseGitDiff, parseRestFiles } from '../../src/attribution/diff.ts';
import { scanFunctions } from '../../src/attribution/functions.ts';
import { ServerTimingAccumulator } from '../../src/attribution/server-timing.ts';
import { makeCpuProfile } from './synthetic.ts';
import type { Frame, StackSpec } from './synthetic.ts';

const SVC = [
  '// service', // 1
  'export function handle(req) {', // 2
  '  validate(req);', // 3
  '  return compute(req);', // 4
  '}', // 5
  'function compute(req) {', // 6
  '  let s = 0;', // 7
  '  for (const x of req) s += Math.sqrt(x);', // 8
  '  return s;', // 9
  '}', // 10
  'function validate(req) {', // 11
  '  return req.every((x) => x >= 0);', // 12
  '}', // 13
].join('\n');
const FILES: Record<string, string> = { 'src/svc.js': SVC };
const headers = new Map(scanFunctions(SVC).map((f) => [f.name, f]));
const svc = (name: string): Frame => {
  const h = headers.get(name)!;
  return { name, url: 'file:///repo/src/svc.js', line: h.headerLine, column: h.headerColumn };
};
const dep = (name: string): Frame => ({
  name,
  url: 'file:///repo/node_modules/fastmath/index.js',
  line: 3,
  column: 10,
});
const main: Frame = { name: 'main', url: 'file:///repo/src/main.js', line: 1, column: 1 };

/** One trial profile (its own document, as when each trial writes its own file). */
function capture(stacks: StackSpec[], requests = 100, lineTicks = false): ProfileCapture {
  return {
    sources: [{ format: 'cpuprofile', data: makeCpuProfile(stacks, { lineTicks }).json }],
    trials: [{ requests }],
  };
}

/** One capture per trial (the usual shape when each trial profile is its own file). */
function captures(
  stacks: (k: number) => StackSpec[],
  trials = 4,
  requests = 100,
  lineTicks = false,
): ProfileCapture[] {
  return Array.from({ length: trials }, (_, k) => capture(stacks(k), requests, lineTicks));
}

const noise = (k: number) => [0, 1, -1, 2, -2][k % 5]!;

function input(over: Partial<AttributionInput>): AttributionInput {
  return {
    sources: (p) => FILES[p],
    paths: { repoRoot: '/repo' },
    serverTiming: { baseline: [], candidate: [] },
    ...over,
  };
}

const hunkDiff = (path: string, from: number, to: number) =>
  parseGitDiff(
    [
      `diff --git a/${path} b/${path}`,
      `--- a/${path}`,
      `+++ b/${path}`,
      `@@ -${from},1 +${from},${to - from + 1} @@`,
      '-x',
      ...Array.from({ length: to - from + 1 }, () => '+y'),
    ].join('\n'),
  );

describe('attribute: missing and broken inputs never throw', () => {
  it('nothing at all: unavailable, with what was missing', () => {
    const r = attribute({});
    expect(r.status).toBe('unavailable');
    expect(r.missing.map((m) => m.input).sort()).toEqual([
      'baseline-profile',
      'candidate-profile',
      'diff',
      'server-timing',
    ]);
    expect(r.suspects).toEqual([]);
  });

  it('empty, unparsable, gzipped, idle-only, missing files and zero requests are each reported', () => {
    const idleOnly = makeCpuProfile([{ frames: ['(idle)'], samples: 50 }]).json;
    const good = captures((k) => [{ frames: [main, svc('compute')], samples: 20 + noise(k) }]);
    const r = attribute(
      input({
        profiles: {
          baseline: [
            {
              sources: [{ format: 'cpuprofile', data: '' }],
              trials: [{ requests: 10 }],
              label: 'empty.cpuprofile',
            },
            {
              sources: [{ format: 'cpuprofile', data: '{"nodes": [' }],
              trials: [{ requests: 10 }],
              label: 'cut.cpuprofile',
            },
            {
              sources: [{ format: 'pprof', data: gzipSync(Buffer.from('x')) }],
              trials: [{ requests: 10 }],
              label: 'p.pb.gz',
            },
            {
              sources: [{ format: 'cpuprofile', data: idleOnly }],
              trials: [{ requests: 10 }],
              label: 'idle.cpuprofile',
            },
            {
              sources: [{ format: 'missing', reason: '/tmp/x does not exist' }],
              trials: [{ requests: 10 }],
              label: 'gone',
            },
            { sources: good[0]!.sources, trials: [{ requests: 0 }], label: 'norequests' },
          ],
          candidate: good,
        },
      }),
    );
    const details = r.missing.filter((m) => m.input === 'baseline-profile').map((m) => m.detail);
    expect(details).toEqual([
      'empty.cpuprofile: unparsable profile: empty .cpuprofile (0 bytes)',
      expect.stringMatching(/^cut\.cpuprofile: unparsable profile: unparsable \.cpuprofile/),
      expect.stringMatching(/^p\.pb\.gz: unparsable profile: gzip-compressed pprof/),
      'idle.cpuprofile: the profile has no CPU samples',
      'gone: profile missing: /tmp/x does not exist',
      'norequests: no request completed while it was recorded',
    ]);
    expect(r.status).toBe('unavailable');
    expect(r.cpu).toBeUndefined();
  });

  it('a throwing source reader and windows on a pprof are reported, not thrown', () => {
    const good = captures((k) => [{ frames: [main, svc('compute')], samples: 20 + noise(k) }]);
    const grown = captures((k) => [{ frames: [main, svc('compute')], samples: 60 + noise(k) }]);
    const r = attribute(
      input({
        profiles: {
          baseline: [
            ...good,
            {
              sources: [{ format: 'pprof', data: new Uint8Array([8, 1]) }],
              trials: [{ requests: 1, window: { startUs: 0, endUs: 1 } }],
            },
          ],
          candidate: grown,
        },
        changes: hunkDiff('src/svc.js', 8, 8),
        sources: () => {
          throw new Error('disk on fire');
        },
      }),
    );
    expect(r.status).toBe('partial');
    expect(r.missing.map((m) => m.detail)).toContain(
      'baseline capture 5: trial windows need a .cpuprofile (pprof has no sample timestamps)',
    );
    expect(r.missing.some((m) => m.input === 'source' && m.detail.startsWith('src/svc.js'))).toBe(true);
    // Without the source, the changed file is still a (weak) suspect.
    expect(r.suspects[0]).toMatchObject({
      kind: 'file',
      name: 'src/svc.js',
      evidence: 'file',
      confidence: 'low',
    });
  });
});

describe('attribute: crediting regressions to changed code', () => {
  const baseline = captures((k) => [
    { frames: [main, svc('handle'), svc('compute')], samples: 20 + noise(k) },
    { frames: [main, svc('handle'), svc('validate')], samples: 10 },
  ]);

  it('a regressed function that is itself changed: self evidence, high confidence with 4 trials', () => {
    const candidate = captures((k) => [
      { frames: [main, svc('handle'), svc('compute')], samples: 60 + noise(k) },
      { frames: [main, svc('handle'), svc('validate')], samples: 10 },
    ]);
    const r = attribute(input({ profiles: { baseline, candidate }, changes: hunkDiff('src/svc.js', 8, 8) }));
    expect(r.status).toBe('partial'); // no Server-Timing data
    expect(r.cpu!.significant).toBe(true);
    expect(r.regressed).toMatchObject([
      { name: 'compute', file: 'src/svc.js', line: 6, endLine: 10, status: 'grew' },
    ]);
    expect(r.suspects).toHaveLength(1);
    expect(r.suspects[0]).toMatchObject({
      kind: 'function',
      name: 'compute',
      file: 'src/svc.js',
      line: 6,
      endLine: 10,
      changedLines: [8],
      evidence: 'self',
      confidence: 'high',
    });
    expect(r.suspects[0]!.share).toBeCloseTo(1, 1);
    expect(r.unattributed.ms).toBeCloseTo(0, 6);
  });

  it('changed lines that carry samples are the strongest evidence', () => {
    const candidate = captures(
      (k) => [
        { frames: [main, svc('handle'), svc('compute')], samples: 60 + noise(k) },
        { frames: [main, svc('handle'), svc('validate')], samples: 10 },
      ],
      4,
      100,
      true, // synthetic ticks land on the line after the header: compute → line 7
    );
    const r = attribute(input({ profiles: { baseline, candidate }, changes: hunkDiff('src/svc.js', 7, 8) }));
    expect(r.suspects[0]).toMatchObject({ name: 'compute', evidence: 'changed-lines-hot' });
    expect(r.suspects[0]!.samplesOnChangedLines).toBeGreaterThan(0);
  });

  it('an unchanged callee that regressed is credited to its nearest changed caller', () => {
    // validate calls into a dependency function that got slower; only `handle` and `validate` changed.
    const base = captures((k) => [
      { frames: [main, svc('handle'), svc('validate'), dep('sqrt')], samples: 10 + noise(k) },
      { frames: [main, svc('handle'), svc('compute')], samples: 20 },
    ]);
    const cand = captures((k) => [
      { frames: [main, svc('handle'), svc('validate'), dep('sqrt')], samples: 50 + noise(k) },
      { frames: [main, svc('handle'), svc('compute')], samples: 20 },
    ]);
    const changes = [...hunkDiff('src/svc.js', 3, 3), ...hunkDiff('src/svc.js', 12, 12)];
    const merged = [{ ...changes[0]!, hunks: [...changes[0]!.hunks, ...changes[1]!.hunks] }];
    const r = attribute(input({ profiles: { baseline: base, candidate: cand }, changes: merged }));
    expect(r.regressed.map((f) => f.name)).toEqual(['sqrt']);
    expect(r.regressed[0]!.inRepo).toBe(true);
    expect(r.suspects.map((s) => [s.name, s.evidence])).toEqual([['validate', 'caller']]);
    expect(r.suspects[0]!.contributions).toMatchObject([{ function: 'sqrt', distance: 1 }]);
  });

  it('a frame of an upgraded dependency is credited to the upgrade', () => {
    const base = captures((k) => [{ frames: [main, svc('compute'), dep('sqrt')], samples: 10 + noise(k) }]);
    const cand = captures((k) => [{ frames: [main, svc('compute'), dep('sqrt')], samples: 40 + noise(k) }]);
    const lock = (v: string) =>
      JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/fastmath': { version: v } } });
    const r = attribute(
      input({
        profiles: { baseline: base, candidate: cand },
        changes: parseRestFiles([{ filename: 'package-lock.json', status: 'modified' }]),
        lockfiles: [{ path: 'package-lock.json', base: lock('1.0.0'), head: lock('2.0.0') }],
      }),
    );
    expect(r.dependencyUpgrades).toEqual([
      { ecosystem: 'npm', name: 'fastmath', from: '1.0.0', to: '2.0.0', lockfile: 'package-lock.json' },
    ]);
    expect(r.suspects[0]).toMatchObject({
      kind: 'dependency',
      name: 'fastmath',
      evidence: 'dependency',
      confidence: 'medium',
    });
    expect(r.suspects[0]!.upgrades![0]!.to).toBe('2.0.0');
  });

  it('a regression on no changed stack stays unattributed', () => {
    const candidate = captures((k) => [
      { frames: [main, svc('handle'), svc('compute')], samples: 60 + noise(k) },
      { frames: [main, svc('handle'), svc('validate')], samples: 10 },
    ]);
    const r = attribute(
      input({ profiles: { baseline, candidate }, changes: hunkDiff('src/other.js', 1, 2) }),
    );
    expect(r.suspects).toEqual([]);
    expect(r.unattributed.share).toBeCloseTo(1, 1);
    expect(r.unattributed.functions[0]).toMatchObject({ name: 'compute', file: 'src/svc.js' });
  });

  it('identical candidate: no regressed function, no suspect', () => {
    const same = captures((k) => [
      { frames: [main, svc('handle'), svc('compute')], samples: 20 - noise(k) },
      { frames: [main, svc('handle'), svc('validate')], samples: 10 },
    ]);
    const r = attribute(
      input({ profiles: { baseline, candidate: same }, changes: hunkDiff('src/svc.js', 2, 12) }),
    );
    expect(r.regressed).toEqual([]);
    expect(r.suspects).toEqual([]);
    expect(r.cpu!.significant).toBe(false);
  });

  it('with one trial per side the Poisson test is used and confidence stops at medium', () => {
    const one = (n: number) => [capture([{ frames: [main, svc('handle'), svc('compute')], samples: n }])];
    const r = attribute(
      input({ profiles: { baseline: one(100), candidate: one(300) }, changes: hunkDiff('src/svc.js', 8, 8) }),
    );
    expect(r.cpu!.method).toBe('poisson');
    expect(r.suspects[0]).toMatchObject({ name: 'compute', evidence: 'self', confidence: 'medium' });
    expect(r.notes.some((n) => n.includes('Poisson'))).toBe(true);
  });
});

describe('attribute: Server-Timing and off-CPU regressions', () => {
  const timing = (db: number, latency: number) => {
    const acc = new ServerTimingAccumulator();
    for (let i = 0; i < 20; i++) acc.add('GET /x', latency, `db;dur=${db}, render;dur=1`);
    return acc.result();
  };

  it('latency up, CPU per request flat: off-CPU note, phases, and a hint at the changed function naming the phase', () => {
    const flat = captures((k) => [{ frames: [main, svc('handle'), svc('compute')], samples: 20 + noise(k) }]);
    const flat2 = captures((k) => [
      { frames: [main, svc('handle'), svc('compute')], samples: 20 - noise(k) },
    ]);
    const source = SVC.replace('  validate(req);', "  timing.time('db', () => validate(req));");
    const r = attribute(
      input({
        profiles: { baseline: flat, candidate: flat2 },
        serverTiming: { baseline: [timing(2, 5), timing(2, 5)], candidate: [timing(6, 9), timing(6, 9)] },
        changes: hunkDiff('src/svc.js', 3, 3),
        sources: (p) => (p === 'src/svc.js' ? source : undefined),
      }),
    );
    expect(r.status).toBe('ok');
    expect(r.offCpu).toBe(true);
    expect(r.suspects).toEqual([]);
    const [req] = r.phases!;
    expect(req!.latencyShiftMs).toBe(4);
    expect(req!.phases[0]).toMatchObject({ phase: 'db', shiftMs: 4, explainsShare: 1 });
    expect(r.phaseHints).toEqual([
      { phase: 'db', requestName: 'GET /x', function: 'handle', file: 'src/svc.js', line: 2 },
    ]);
    expect(r.notes.join(' ')).toMatch(/CPU per request did not/);
  });

  it('Server-Timing alone (no profiles) still explains the latency shift', () => {
    const r = attribute({ serverTiming: { baseline: [timing(2, 5)], candidate: [timing(6, 9)] } });
    expect(r.status).toBe('partial');
    expect(r.phases![0]!.phases[0]!.explainsShare).toBe(1);
    expect(r.offCpu).toBe(true);
  });
});
