// Real autocannon against a real loopback server (child process) with precise per-route delays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClosedTrial } from '../../src/runners/autocannon-closed.ts';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { testScenario } from '../helpers/scenario.ts';

let server: ChildServer;
beforeAll(async () => {
  server = await startChildServer([DELAY_SERVER]);
});
afterAll(async () => {
  await server?.stop();
});

const byName = (results: { name: string }[]) => Object.fromEntries(results.map((r) => [r.name, r]));

describe('autocannon closed-model runner', () => {
  it('measures each route at its own delay, in microseconds, and never mixes routes', async () => {
    const scenario = testScenario(
      server.url,
      [
        { name: 'fast', path: '/fast' },
        { name: 'two', path: '/delay/2' },
        { name: 'fifteen', path: '/delay/15' },
      ],
      { load: { model: 'closed', connections: 3, durationMs: 2500 } },
    );
    const raw = await runClosedTrial({ scenario, durationMs: 2500 });
    const r = byName(raw.recorder.results(raw.durationMs)) as Record<
      string,
      ReturnType<typeof raw.recorder.results>[number]
    >;
    const fast = r.fast!;
    const two = r.two!;
    const fifteen = r.fifteen!;
    // Resolution: a sub-millisecond route has non-zero microsecond percentiles.
    expect(fast.latencyUs.p50).toBeGreaterThan(0);
    expect(fast.latencyUs.p50).toBeLessThan(1000);
    // Accuracy: delay plus the round trip of the no-delay route, within 0.5 ms.
    expect(Math.abs(two.latencyUs.p50 - (2000 + fast.latencyUs.p50))).toBeLessThan(500);
    expect(Math.abs(fifteen.latencyUs.p50 - (15000 + fast.latencyUs.p50))).toBeLessThan(500);
    // Never mixed: no response faster than its route's delay, none of the slow route in the 2 ms one.
    expect(two.latencyUs.min).toBeGreaterThanOrEqual(2000);
    expect(fifteen.latencyUs.min).toBeGreaterThanOrEqual(15000);
    expect(two.latencyUs.max).toBeLessThan(15000);
    for (const x of [fast, two, fifteen]) {
      expect(x.ok).toBeGreaterThan(20);
      expect(x.errorRate).toBe(0);
    }
    // Equal weights: every connection walks the same cycle, so counts differ by at most a cycle each.
    expect(Math.abs(fast.ok - fifteen.ok)).toBeLessThanOrEqual(3);
  });

  it('attributes unexpected statuses, timeouts and closed connections to the right request', async () => {
    const scenario = testScenario(
      server.url,
      [
        { name: 'ok', path: '/delay/1' },
        { name: 'error500', path: '/status/500' },
        { name: 'hang', path: '/hang' },
        { name: 'closing', path: '/close' },
      ],
      { timeoutMs: 1000, load: { model: 'closed', connections: 2, durationMs: 2500 } },
    );
    const raw = await runClosedTrial({ scenario, durationMs: 2500 });
    const r = byName(raw.recorder.results(raw.durationMs)) as Record<
      string,
      ReturnType<typeof raw.recorder.results>[number]
    >;
    expect(r.error500!.errors.unexpectedStatus).toBeGreaterThan(0);
    expect(r.error500!.ok).toBe(0);
    expect(r.error500!.statusCodes['500']).toBe(r.error500!.errors.unexpectedStatus);
    expect(r.hang!.errors.timeouts).toBeGreaterThan(0);
    expect(r.hang!.ok).toBe(0);
    expect(r.ok!.errors).toEqual({ unexpectedStatus: 0, timeouts: 0, connection: 0 });
    expect(r.ok!.latencyUs.min).toBeGreaterThanOrEqual(1000);
    expect(r.closing!.ok).toBeGreaterThan(0);
    expect(r.closing!.errors.timeouts).toBe(0);
    // After reconnects, responses still land on their own names: /close answers at once, /delay/1 never does.
    expect(r.closing!.latencyUs.max).toBeLessThan(r.ok!.latencyUs.min + 50_000);
    expect(r.ok!.errorRate).toBe(0);
  });

  it('follows request weights', async () => {
    const scenario = testScenario(server.url, [
      { name: 'heavy', path: '/fast', weight: 3 },
      { name: 'light', path: '/fast?light', weight: 1 },
    ]);
    const raw = await runClosedTrial({ scenario, durationMs: 1000 });
    const [heavy, light] = raw.recorder.results(raw.durationMs);
    expect(heavy!.ok / light!.ok).toBeGreaterThan(2.7);
    expect(heavy!.ok / light!.ok).toBeLessThan(3.3);
  });
});
