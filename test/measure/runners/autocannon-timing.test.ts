// autocannon stops only at a sample tick; autocannonTiming sets the tick so a trial ends on time.
import { describe, expect, it } from 'vitest';
import { autocannonTiming } from '../../../src/measure/runners/autocannon-closed.ts';

describe('autocannonTiming', () => {
  it('ticks every 50 ms, so a sub-second or fractional-second trial is not rounded up to whole seconds', () => {
    expect(autocannonTiming(300, 5000)).toEqual({ duration: 0.3, timeout: 5, sampleInt: 50 });
    expect(autocannonTiming(1500, 2000)).toEqual({ duration: 1.5, timeout: 2, sampleInt: 50 });
    expect(autocannonTiming(60_000, 10_000).sampleInt).toBe(50);
  });

  it('never ticks slower than the trial is long, nor at 0 ms', () => {
    expect(autocannonTiming(20, 1000).sampleInt).toBe(20);
    expect(autocannonTiming(0, 1000).sampleInt).toBe(1);
  });

  it('keeps autocannon’s 1 s floor on the request timeout', () => {
    expect(autocannonTiming(1000, 250).timeout).toBe(1);
  });
});
