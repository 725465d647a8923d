import { describe, expect, it } from 'vitest';
import { parseCpuProfile } from '../../src/attribution/cpuprofile.ts';
import { diffProfiles } from '../../src/attribution/profile-diff.ts';
import type { TrialProfile } from '../../src/attribution/profile-diff.ts';
import { makeCpuProfile } from './synthetic.ts';
import type { Frame, StackSpec } from './synthetic.ts';

const at = (name: string, line: number): Frame => ({ name, url: 'file:///app/src/svc.js', line, column: 10 });

/** One trial: samples per function for `requests` requests (1 ms per sample). */
function trial(
  counts: Record<string, number>,
  requests = 100,
  lines: Record<string, number> = {},
): TrialProfile {
  const stacks: StackSpec[] = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([name, samples]) => ({
      frames: [at('main', 1), at('handle', 5), at(name, lines[name] ?? 20 + name.length)],
      samples,
    }));
  return { model: parseCpuProfile(makeCpuProfile(stacks).json), requests };
}

// Deterministic small noise per trial.
const noise = [0, 1, -1, 2, -2, 1];
const trials = (n: number, make: (k: number, e: number) => TrialProfile): TrialProfile[] =>
  Array.from({ length: n }, (_, k) => make(k, noise[k % noise.length]!));

describe('diffProfiles: known answers', () => {
  const base = trials(5, (_k, e) => trial({ target: 10 + e, helper: 10 - e, steady: 20 + e }));
  const cand = trials(5, (_k, e) => trial({ target: 30 + e, helper: 15 + e, steady: 20 - e }));
  const diff = diffProfiles(base, cand);
  const fn = (name: string) => diff.functions.find((f) => f.name === name)!;

  it('a function made 3× slower grows by 2× its cost, with its share of the CPU increase', () => {
    expect(diff.method).toBe('mann-whitney');
    expect(diff.cpu.baselineMs).toBeCloseTo(0.4, 2);
    expect(diff.cpu.deltaMs).toBeCloseTo(0.25, 2);
    expect(diff.cpu.significant).toBe(true);
    const t = fn('target');
    expect(t.status).toBe('grew');
    expect(t.baselineSelfMs).toBeCloseTo(0.1, 2);
    expect(t.candidateSelfMs).toBeCloseTo(0.3, 2);
    expect(t.deltaSelfMs).toBeCloseTo(0.2, 2);
    expect(t.shareOfIncrease).toBeCloseTo(0.8, 1);
    expect(t.p).toBeCloseTo(2 / 252, 6); // exact two-sided Mann–Whitney, complete separation, 5 vs 5
    expect(fn('helper').status).toBe('grew');
    expect(fn('helper').shareOfIncrease).toBeCloseTo(0.2, 1);
    expect(fn('steady').status).toBe('unchanged');
    expect(diff.changed.map((f) => f.name)).toEqual(['target', 'helper']);
    expect(diff.costShift).toBe(false);
  });

  it('callers grow in total (inclusive) time, not self time', () => {
    expect(fn('handle').status).toBe('unchanged');
    expect(fn('handle').totalStatus).toBe('grew');
    expect(fn('handle').deltaTotalMs).toBeCloseTo(0.25, 2);
    expect(fn('main').deltaTotalMs).toBeCloseTo(0.25, 2);
  });

  it('exposes per-trial values and stack tries that add up to CPU per request', () => {
    expect(fn('target').baselineSelf).toHaveLength(5);
    expect(fn('target').candidateSelf[0]).toBeCloseTo(0.3, 6);
    const sum = (w: Float64Array) => w.reduce((a, b) => a + b, 0);
    expect(sum(diff.candidateStacks.weight)).toBeCloseTo(diff.cpu.candidateMs, 9);
    expect(sum(diff.baselineStacks.weight)).toBeCloseTo(diff.cpu.baselineMs, 9);
  });
});

describe('diffProfiles: classification and alignment', () => {
  it('appeared and disappeared functions', () => {
    const base = trials(4, (_k, e) => trial({ old: 20 + e, steady: 20 }));
    const cand = trials(4, (_k, e) => trial({ fresh: 20 + e, steady: 20 }));
    const d = diffProfiles(base, cand);
    expect(d.functions.find((f) => f.name === 'fresh')!.status).toBe('appeared');
    expect(d.functions.find((f) => f.name === 'old')!.status).toBe('disappeared');
    expect(d.costShift).toBe(true); // total CPU did not move: cost moved
  });

  it('aligns a function whose line moved between versions (name + file), not appeared/disappeared', () => {
    const base = trials(4, (_k, e) => trial({ target: 10 + e }, 100, { target: 10 }));
    const cand = trials(4, (_k, e) => trial({ target: 30 + e }, 100, { target: 14 }));
    const d = diffProfiles(base, cand);
    const t = d.functions.find((f) => f.name === 'target')!;
    expect(t.status).toBe('grew');
    expect(t.line).toBe(14); // the candidate (head) position
  });

  it('normalises per request: fewer requests with the same cost each is unchanged', () => {
    const base = trials(4, (_k, e) => trial({ target: 20 + e, other: 20 }, 100));
    const cand = trials(4, (_k, e) => trial({ target: 10 + e / 2, other: 10 }, 50));
    const d = diffProfiles(base, cand);
    expect(d.changed).toEqual([]);
    expect(Math.abs(d.cpu.deltaMs)).toBeLessThan(0.02);
  });

  it('A/A: noise alone reports nothing', () => {
    const base = trials(6, (k, e) => trial({ a: 30 + e, b: 12 - e, c: 5 + (k % 2) }));
    const cand = trials(6, (k, e) => trial({ a: 30 - e, b: 12 + e, c: 5 + ((k + 1) % 2) }));
    const d = diffProfiles(base, cand);
    expect(d.changed).toEqual([]);
    expect(d.cpu.significant).toBe(false);
  });

  it('chooses the test by trials per side: Mann–Whitney (≥ 4), Welch (2–3), Poisson (1)', () => {
    const mk = (n: number, c: number) => trials(n, (_k, e) => trial({ target: c + e, rest: 50 }));
    expect(diffProfiles(mk(4, 10), mk(4, 40)).method).toBe('mann-whitney');
    const welch = diffProfiles(mk(3, 10), mk(3, 40));
    expect(welch.method).toBe('welch');
    expect(welch.functions.find((f) => f.name === 'target')!.status).toBe('grew');
    const single = diffProfiles(mk(1, 10), mk(1, 40));
    expect(single.method).toBe('poisson');
    const t = single.functions.find((f) => f.name === 'target')!;
    expect(t.status).toBe('grew');
    expect(t.p).toBeLessThan(1e-4);
    // With 3 vs 3 trials a rank test could not go below p = 0.1: Mann–Whitney is not used there.
    expect(diffProfiles(mk(3, 10), mk(3, 40), { rankTestMinTrials: 3 }).changed).toEqual([]);
  });

  it('applies the effect floors', () => {
    const base = trials(5, (_k, e) => trial({ small: 100 + e, big: 100 }, 10_000));
    const cand = trials(5, (_k, e) => trial({ small: 110 + e, big: 100 }, 10_000));
    // +10 samples over 10 000 requests = +0.001 ms/request: significant but below the 0.01 ms floor.
    const d = diffProfiles(base, cand);
    expect(d.functions.find((f) => f.name === 'small')!.p).toBeLessThan(0.05);
    expect(d.changed).toEqual([]);
    expect(diffProfiles(base, cand, { minDeltaMsPerRequest: 0.0005 }).changed.map((f) => f.name)).toEqual([
      'small',
    ]);
  });

  it('refuses sides without trials or trials without requests', () => {
    expect(() => diffProfiles([], [trial({ a: 1 })])).toThrow(RangeError);
    expect(() => diffProfiles([trial({ a: 1 }, 0)], [trial({ a: 1 })])).toThrow(/no completed request/);
  });
});
