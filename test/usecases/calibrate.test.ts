import { describe, expect, it } from 'vitest';
import { lowerLoad } from '../../src/usecases/calibrate.ts';
import type { TrialResult } from '../../src/contracts/run-result.ts';

const trial = (generator: Partial<TrialResult['generator']>): TrialResult => ({
  index: 0,
  startedAt: '',
  durationMs: 1000,
  requests: [],
  generator: { cpuCores: 0.5, eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 1, rssMb: 50, ...generator },
  valid: false,
  invalidReasons: ['x'],
});

describe('lowerLoad', () => {
  it('scales connections by the CPU headroom, with a margin', () => {
    // 0.9 / 1.8 x 0.8 = 0.4 of 10 connections.
    expect(
      lowerLoad({ model: 'closed', connections: 10, durationMs: 1 }, trial({ cpuCores: 1.8 }), 0.9),
    ).toEqual({
      model: 'closed',
      connections: 4,
      durationMs: 1,
    });
  });

  it('always steps down at least one, and stops below one connection', () => {
    const closed = (connections: number) => ({ model: 'closed' as const, connections, durationMs: 1 });
    expect(lowerLoad(closed(3), trial({ cpuCores: 0.5 }), 0.9)).toMatchObject({ connections: 2 });
    expect(lowerLoad(closed(1), trial({ cpuCores: 5 }), 0.9)).toBeNull();
  });

  it('scales a rate by what the generator sent, unless the target held every connection', () => {
    const rate = { model: 'rate' as const, ratePerSec: 1000, connections: 8, durationMs: 1 };
    const behind = trial({ intendedRate: 1000, achievedRate: 500, notSent: 500, backlog: 0 });
    expect(lowerLoad(rate, behind, 0.9)).toMatchObject({ ratePerSec: 400 });
    const targetBound = trial({ intendedRate: 1000, achievedRate: 500, notSent: 500, backlog: 500 });
    expect(lowerLoad(rate, targetBound, 0.9)).toMatchObject({ ratePerSec: 800 });
  });
});
