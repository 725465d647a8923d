// The /proc probe against real child processes whose own CPU time and memory are known from inside.
import { afterEach, describe, expect, it } from 'vitest';
import { cpuMsPerRequest, createResourceProbe } from '../../../../src/measure/collectors/resources/probe.ts';
import { startChildServer, type ChildServer } from '../../../helpers/child-server.ts';
import { CPU_SERVER } from '../../../fixtures/resources/fake-fs.ts';
import { getJson, sendRequests } from '../../../fixtures/resources/load.ts';

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const serverCpuUs = async (s: ChildServer) => (await getJson<{ totalUs: number }>(`${s.url}/cpu`)).totalUs;

let server: ChildServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('pid probe on a real child process', () => {
  it('measures CPU-ms per request within 15 % of what the server itself used', async () => {
    server = await startChildServer([CPU_SERVER, '--cpu-ms=2']);
    await sendRequests(`${server.url}/work`, 50); // warm the JIT outside the window
    const N = 400;
    const before = await serverCpuUs(server);
    const probe = createResourceProbe({ kind: 'pid', pid: server.child.pid! }, { intervalMs: 250 });
    probe.start();
    await probe.ready();
    const ok = await sendRequests(`${server.url}/work`, N);
    const trial = await probe.stop();
    const after = await serverCpuUs(server);
    expect(ok).toBe(N);
    const truth = (after - before) / 1000 / N;
    const measured = cpuMsPerRequest(trial, N)!;
    console.log(
      `pid probe: ${measured.toFixed(3)} CPU-ms/request, server's own process.cpuUsage(): ${truth.toFixed(3)} ` +
        `(${(((measured - truth) / truth) * 100).toFixed(1)} %), ${trial.samples} samples over ${trial.windowMs} ms, ` +
        `p95 ${trial.cpuCoresP95} cores`,
    );
    // The busy loop alone is 2 ms per request; the rest is HTTP handling.
    // (No upper bound: CPU per request inflates when other processes share the cores.)
    expect(truth).toBeGreaterThanOrEqual(2);
    expect(Math.abs(measured - truth) / truth).toBeLessThan(0.15);
    // Cores used is CPU time over wall time: a busy machine lowers it, so only that it was seen.
    expect(trial.cpuCoresMean).toBeGreaterThan(0);
    expect(trial.cpuCoresP95).toBeGreaterThanOrEqual(trial.cpuCoresMean! * 0.9);
    expect(trial.missing).toEqual([]);
  });

  it('shows a held 200 MiB within 10 %', async () => {
    server = await startChildServer([CPU_SERVER]);
    const window = async () => {
      const p = createResourceProbe({ kind: 'pid', pid: server!.child.pid! }, { intervalMs: 50 });
      p.start();
      await p.ready();
      await sleep(200);
      return p.stop();
    };
    const idle = await window();
    const { rss } = await getJson<{ rss: number }>(`${server.url}/hold?mb=200`);
    const holding = await window();
    const grown = holding.memoryPeakBytes! - idle.memoryPeakBytes!;
    console.log(
      `pid probe memory: idle ${(idle.memoryPeakBytes! / MiB).toFixed(1)} MiB, holding 200 MiB ${(holding.memoryPeakBytes! / MiB).toFixed(1)} MiB ` +
        `(+${(grown / MiB).toFixed(1)} MiB); the server's own RSS ${(rss / MiB).toFixed(1)} MiB`,
    );
    expect(Math.abs(grown - 200 * MiB) / (200 * MiB)).toBeLessThan(0.1);
    expect(Math.abs(holding.memoryPeakBytes! - rss) / rss).toBeLessThan(0.1);
    expect(holding.memoryWorkingSetBytes).toBe(holding.memoryPeakBytes);
  });

  it('catches a 200 MiB spike that came and went between two readings (VmHWM)', async () => {
    server = await startChildServer([CPU_SERVER], { node: ['--expose-gc'] });
    const probe = createResourceProbe({ kind: 'pid', pid: server.child.pid! }, { intervalMs: 5000 });
    probe.start();
    await probe.ready();
    const spike = await getJson<{ peakRss: number; afterRss: number }>(`${server.url}/spike?mb=200&ms=30`);
    const trial = await probe.stop();
    console.log(
      `pid probe, 30 ms spike: peak ${(trial.memoryPeakBytes! / MiB).toFixed(1)} MiB from ${trial.samples} readings; ` +
        `server RSS at the spike ${(spike.peakRss / MiB).toFixed(1)} MiB, after ${(spike.afterRss / MiB).toFixed(1)} MiB`,
    );
    // The spike really is gone when the last reading is taken: only the high-water mark saw it.
    expect(spike.afterRss).toBeLessThan(spike.peakRss - 150 * MiB);
    expect(trial.samples).toBe(2);
    expect(Math.abs(trial.memoryPeakBytes! - spike.peakRss) / spike.peakRss).toBeLessThan(0.1);
  });

  it('includes descendant processes, including ones that exit and are reaped in the window', async () => {
    server = await startChildServer([CPU_SERVER]);
    const before = await serverCpuUs(server);
    const probe = createResourceProbe({ kind: 'pid', pid: server.child.pid! }, { intervalMs: 100 });
    probe.start();
    await probe.ready();
    const { childrenCpuUs } = await getJson<{ childrenCpuUs: number }>(`${server.url}/spawn?n=2&ms=300`);
    const trial = await probe.stop();
    const after = await serverCpuUs(server);
    const truth = (after - before + childrenCpuUs) / 1e6;
    console.log(
      `pid probe, process tree: ${trial.cpuSeconds} CPU s measured, ${truth.toFixed(3)} s reported by the ` +
        `parent (${((after - before) / 1e6).toFixed(3)}) and its 2 children; up to ${trial.processes} processes seen`,
    );
    expect(childrenCpuUs).toBeGreaterThanOrEqual(600_000);
    expect(trial.processes).toBeGreaterThanOrEqual(3);
    expect(Math.abs(trial.cpuSeconds! - truth) / truth).toBeLessThan(0.15);
  });

  it('reports a pid that exits mid-trial in missing, keeping what was measured before', async () => {
    server = await startChildServer([CPU_SERVER, '--cpu-ms=5']);
    const probe = createResourceProbe({ kind: 'pid', pid: server.child.pid! }, { intervalMs: 50 });
    probe.start();
    await probe.ready();
    await sendRequests(`${server.url}/work`, 60, 2);
    const { child } = server;
    server = undefined; // already gone: nothing for afterEach to stop
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    await sleep(120);
    const trial = await probe.stop();
    expect(trial.missing[0]).toMatch(
      new RegExp(
        `^pid ${child.pid} exited \\d+\\.\\d s into the window: figures cover only the \\d+\\.\\d s before$`,
      ),
    );
    expect(trial.cpuSeconds).toBeGreaterThan(0.2);
    expect(trial.memoryPeakBytes).toBeGreaterThan(10 * MiB);
    expect(JSON.parse(JSON.stringify(trial))).toEqual(trial);
  });
});
