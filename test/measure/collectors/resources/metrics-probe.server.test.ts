// The /metrics probe against a live prom-client endpoint in a child process that burns known CPU per
// request; the /proc probe watches the same process at the same time as a second witness.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuMsPerRequest, createResourceProbe } from '../../../../src/measure/collectors/resources/probe.ts';
import { startChildServer, type ChildServer } from '../../../helpers/child-server.ts';
import { CPU_SERVER } from '../../../fixtures/resources/fake-fs.ts';
import { getJson, sendRequests } from '../../../fixtures/resources/load.ts';

const MiB = 1024 * 1024;
let server: ChildServer;
beforeAll(async () => {
  server = await startChildServer([CPU_SERVER, '--cpu-ms=2', '--metrics']);
});
afterAll(async () => {
  await server?.stop();
});

describe('metrics probe on a live prom-client endpoint', () => {
  it('yields CPU deltas within 15 % of the server own CPU time, and RSS close to /proc', async () => {
    await sendRequests(`${server.url}/work`, 50);
    const N = 400;
    const before = (await getJson<{ totalUs: number }>(`${server.url}/cpu`)).totalUs;
    const metrics = createResourceProbe({ kind: 'metrics', url: `${server.url}/metrics` });
    const proc = createResourceProbe({ kind: 'pid', pid: server.child.pid! });
    metrics.start();
    proc.start();
    await Promise.all([metrics.ready(), proc.ready()]);
    await sendRequests(`${server.url}/work`, N);
    const [m, p] = await Promise.all([metrics.stop(), proc.stop()]);
    const after = (await getJson<{ totalUs: number }>(`${server.url}/cpu`)).totalUs;
    const truth = (after - before) / 1000 / N;
    const viaMetrics = cpuMsPerRequest(m, N)!;
    const viaProc = cpuMsPerRequest(p, N)!;
    console.log(
      `metrics probe: ${viaMetrics.toFixed(3)} CPU-ms/request (${m.samples} scrapes over ${m.windowMs} ms), ` +
        `/proc ${viaProc.toFixed(3)}, server's own ${truth.toFixed(3)}; RSS ${(m.memoryPeakBytes! / MiB).toFixed(1)} vs ` +
        `${(p.memoryPeakBytes! / MiB).toFixed(1)} MiB; event-loop lag p99 ${m.eventLoopLagP99Ms} ms`,
    );
    expect(m.kind).toBe('metrics');
    expect(m.missing).toEqual([]);
    expect(m.samples).toBeGreaterThanOrEqual(3);
    expect(Math.abs(viaMetrics - truth) / truth).toBeLessThan(0.15);
    expect(Math.abs(viaProc - truth) / truth).toBeLessThan(0.15);
    expect(Math.abs(m.memoryPeakBytes! - p.memoryPeakBytes!) / p.memoryPeakBytes!).toBeLessThan(0.1);
    expect(m.eventLoopLagP99Ms).toBeGreaterThan(0);
    // Cores used is CPU time over wall time: a busy machine lowers it, so only that it was seen.
    expect(m.cpuCoresP95).toBeGreaterThan(0);
  });
});
