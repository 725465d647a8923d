// Real autocannon against a real loopback server (child process) with precise per-route delays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClosedTrial } from '../../../src/measure/runners/autocannon-closed.ts';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../../helpers/child-server.ts';
import { testScenario } from '../../helpers/scenario.ts';

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
    // (Accuracy against the delays is a benchmark's business: on a shared machine a timing bound flakes.)
    expect(fast.latencyUs.p50).toBeGreaterThan(0);
    expect(fast.latencyUs.p50).toBeLessThan(two.latencyUs.p50);
    expect(two.latencyUs.p50).toBeLessThan(fifteen.latencyUs.p50);
    // Never mixed: no response faster than its route's delay. Mixing would put a third of the 15 ms
    // responses into the 2 ms route and move its median; load on the machine cannot add 13 ms to a median.
    expect(two.latencyUs.min).toBeGreaterThanOrEqual(2000);
    expect(fifteen.latencyUs.min).toBeGreaterThanOrEqual(15000);
    expect(two.latencyUs.p50).toBeLessThan(15000);
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
    // After reconnects, responses still land on their own names: a mixed-up /close would inherit /hang's
    // 1 s timeout, which no scheduling delay reaches.
    expect(r.closing!.latencyUs.max).toBeLessThan(900_000);
    expect(r.ok!.errorRate).toBe(0);
  });

  it('follows request weights', async () => {
    const scenario = testScenario(server.url, [
      { name: 'heavy', path: '/fast', weight: 3 },
      { name: 'light', path: '/fast?light', weight: 1 },
    ]);
    const raw = await runClosedTrial({ scenario, durationMs: 1000 });
    const [heavy, light] = raw.recorder.results(raw.durationMs);
    // Every connection walks the same weighted cycle (3 heavy, 1 light), so the counts can differ from
    // 3:1 only by the partial cycle each connection was in when the trial ended: a count, not a timing.
    const connections = scenario.load.model === 'closed' ? scenario.load.connections : 0;
    expect(light!.ok).toBeGreaterThan(0);
    expect(Math.abs(heavy!.ok - 3 * light!.ok)).toBeLessThanOrEqual(3 * connections);
  });
});
