import { describe, expect, it } from 'vitest';
import { parseCpuProfile } from '../../src/attribution/cpuprofile.ts';
import { diffFolded, frameLabel, speedscopeFile } from '../../src/attribution/folded.ts';
import { diffProfiles } from '../../src/attribution/profile-diff.ts';
import type { TrialProfile } from '../../src/attribution/profile-diff.ts';
import { makeCpuProfile } from './synthetic.ts';
import type { StackSpec } from './synthetic.ts';

const f = (name: string, line: number) => ({ name, url: 'file:///repo/src/app.js', line, column: 1 });
const trial = (stacks: StackSpec[], requests: number): TrialProfile => ({
  model: parseCpuProfile(makeCpuProfile(stacks).json),
  requests,
});

const base = [
  trial(
    [
      { frames: [f('main', 1), f('work', 5)], samples: 30 },
      { frames: [f('main', 1), f('old;name', 9)], samples: 10 },
    ],
    100,
  ),
];
const cand = [
  trial(
    [
      { frames: [f('main', 1), f('work', 5)], samples: 60 },
      { frames: [f('main', 1), f('work', 5), f('fresh', 12)], samples: 20 },
    ],
    200,
  ),
];
const diff = diffProfiles(base, cand);

describe('diffFolded', () => {
  it('writes one line per stack with baseline and candidate counts in ns of CPU per request', () => {
    const lines = diffFolded(diff, { stripPrefix: 'file:///repo/' }).trimEnd().split('\n').sort();
    expect(lines).toEqual([
      'main src/app.js:1;old:name src/app.js:9 100000 0',
      'main src/app.js:1;work src/app.js:5 300000 300000',
      'main src/app.js:1;work src/app.js:5;fresh src/app.js:12 0 100000',
    ]);
  });

  it('is parseable as difffolded output (stack count1 count2) and adds up to CPU per request', () => {
    let a = 0;
    let b = 0;
    for (const line of diffFolded(diff, { unit: 'us-per-request' }).trimEnd().split('\n')) {
      const m = /^(.+) (\d+) (\d+)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(m![1]!.split(';').every((frame) => frame.length > 0)).toBe(true);
      a += Number(m![2]);
      b += Number(m![3]);
    }
    expect(a / 1000).toBeCloseTo(diff.cpu.baselineMs, 6);
    expect(b / 1000).toBeCloseTo(diff.cpu.candidateMs, 6);
  });

  it('labels anonymous and native frames', () => {
    expect(frameLabel({ name: '', url: 'file:///x.js', line: 3 })).toBe('(anonymous) /x.js:3');
    expect(frameLabel({ name: 'writev', url: '', line: 0 })).toBe('writev');
  });
});

describe('speedscopeFile', () => {
  const file = speedscopeFile(diff);

  it('follows the speedscope file format (shared frames, two sampled profiles)', () => {
    expect(file.$schema).toBe('https://www.speedscope.app/file-format-schema.json');
    expect(file.profiles.map((p) => [p.type, p.unit])).toEqual([
      ['sampled', 'milliseconds'],
      ['sampled', 'milliseconds'],
    ]);
    for (const p of file.profiles) {
      expect(p.samples.length).toBe(p.weights.length);
      expect(p.endValue).toBeGreaterThanOrEqual(p.startValue);
      for (const stack of p.samples) for (const i of stack) expect(file.shared.frames[i]).toBeDefined();
    }
    expect(JSON.parse(JSON.stringify(file))).toEqual(file);
  });

  it('reconstructs each function self time per request from the samples (leaf = last frame)', () => {
    const cand = file.profiles[1]!;
    const self = new Map<string, number>();
    cand.samples.forEach((stack, i) => {
      const leaf = file.shared.frames[stack[stack.length - 1]!]!.name;
      self.set(leaf, (self.get(leaf) ?? 0) + cand.weights[i]!);
    });
    for (const fn of diff.functions) {
      expect(self.get(fn.name) ?? 0).toBeCloseTo(fn.candidateSelfMs, 9);
    }
    expect(cand.endValue).toBeCloseTo(diff.cpu.candidateMs, 9);
  });
});
