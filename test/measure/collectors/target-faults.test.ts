import { describe, expect, it } from 'vitest';
import { emptyTally, type FailureTally } from '../../../src/measure/collectors/request-recorder.ts';
import { describeFailures, TargetFaultWatch } from '../../../src/measure/collectors/target-faults.ts';

const tally = (over: Partial<FailureTally>): FailureTally => ({ ...emptyTally(), ...over });

describe('TargetFaultWatch', () => {
  it('calls a second of failures without one success a fault, named by status', () => {
    const w = new TargetFaultWatch({ windowMs: 1000, stallMs: 5000 });
    expect(w.observe(500, tally({ ok: 100 }))).toBeUndefined();
    expect(
      w.observe(1000, tally({ ok: 150, unexpectedStatus: 20, statusCodes: { 500: 20 } })),
    ).toBeUndefined();
    expect(
      w.observe(1500, tally({ ok: 150, unexpectedStatus: 80, statusCodes: { 500: 80 } })),
    ).toBeUndefined();
    const fault = w.observe(2000, tally({ ok: 150, unexpectedStatus: 200, statusCodes: { 500: 200 } }));
    expect(fault).toBe('target failing: every request in the last 1.0 s failed (HTTP 500 ×180)');
  });

  it('never faults a target that still answers some requests well', () => {
    const w = new TargetFaultWatch({ windowMs: 1000, stallMs: 5000 });
    for (let t = 250; t <= 5000; t += 250) {
      const n = t / 250;
      expect(
        w.observe(t, tally({ ok: n * 10, unexpectedStatus: n * 30, statusCodes: { 503: n * 30 } })),
      ).toBe(undefined);
    }
  });

  it("does not call a slow target's one or two failures in a quiet second a storm", () => {
    const w = new TargetFaultWatch({ windowMs: 1000, stallMs: 5000 });
    expect(w.observe(250, tally({ ok: 1 }))).toBeUndefined();
    const two = { unexpectedStatus: 2, statusCodes: { 500: 2 } };
    expect(w.observe(1500, tally({ ok: 1, ...two }))).toBeUndefined();
    expect(w.observe(2500, tally({ ok: 2, ...two }))).toBeUndefined();
  });

  it('calls slow failures without a success for the stall time a fault (one timeout per request timeout)', () => {
    const w = new TargetFaultWatch({ windowMs: 1000, stallMs: 3000 });
    expect(w.observe(2000, tally({ timeouts: 1 }))).toBeUndefined();
    expect(w.observe(3000, tally({ timeouts: 2 }))).toMatch(
      /every request in the last 3.0 s failed \(timed out without a response ×2\)/,
    );
  });

  it('calls a target that completes nothing for the stall time a hang', () => {
    const w = new TargetFaultWatch({ windowMs: 1000, stallMs: 3000 });
    let fault: string | undefined;
    for (let t = 250; t <= 3000 && !fault; t += 250) fault = w.observe(t, tally({}));
    expect(fault).toMatch(/no request completed for 3.0 s/);
  });

  it('names socket errors in words, most frequent first', () => {
    expect(
      describeFailures(
        tally({ connection: 12, timeouts: 2, connectionCodes: { ECONNREFUSED: 10, ECONNRESET: 2 } }),
      ),
    ).toBe('connection refused ×10, connection reset ×2, timed out without a response ×2');
  });
});

describe('TargetFaultWatch.finish', () => {
  it('calls a trial whose last quarter second only failed a fault (the target died just before the end)', () => {
    const w = new TargetFaultWatch({ windowMs: 1000, stallMs: 5000 });
    expect(w.observe(250, tally({ ok: 500 }))).toBeUndefined();
    expect(w.observe(500, tally({ ok: 1000 }))).toBeUndefined();
    const refused = { connection: 300, connectionCodes: { ECONNREFUSED: 300 } };
    expect(w.observe(750, tally({ ok: 1000, ...refused }))).toBeUndefined();
    expect(w.finish(800, tally({ ok: 1000, ...refused }))).toMatch(
      /last 0.30 s of the trial failed \(connection refused ×300\)/,
    );
  });

  it('leaves a healthy end alone', () => {
    const w = new TargetFaultWatch({ windowMs: 1000, stallMs: 5000 });
    w.observe(250, tally({ ok: 500 }));
    w.observe(500, tally({ ok: 1000, unexpectedStatus: 3, statusCodes: { 500: 3 } }));
    expect(w.finish(800, tally({ ok: 1500, unexpectedStatus: 9, statusCodes: { 500: 9 } }))).toBeUndefined();
  });
});
