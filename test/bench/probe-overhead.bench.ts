// Resource-probe cost when sampling every 250 ms: (1) the sampler's own CPU per second of sampling, in the
// load-generator process that runs it; (2) the target's CPU with and without sampling (a /metrics scrape
// runs code in the target; /proc and cgroup reads do not). The target is idle so the difference is the
// probe alone. Rounds alternate the order of the kinds so drift favours none. Prints figures, asserts nothing.
import { cpus } from 'node:os';
import { readdir } from 'node:fs/promises';
import { createResourceProbe, type ResourceSpec } from '../../src/measure/collectors/resources/probe.ts';
import { startChildServer } from '../helpers/child-server.ts';
import { CPU_SERVER } from '../fixtures/resources/fake-fs.ts';
import { getJson } from '../fixtures/resources/load.ts';

const WINDOW_MS = Number(process.env.BENCH_PROBE_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const INTERVAL_MS = 250;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function benchProbeOverhead(): Promise<void> {
  const server = await startChildServer([CPU_SERVER, '--metrics']);
  try {
    const pid = server.child.pid!;
    const kinds: Record<string, ResourceSpec | undefined> = {
      none: undefined,
      pid: { kind: 'pid', pid },
      cgroup: { kind: 'cgroup', pid },
      metrics: { kind: 'metrics', url: `${server.url}/metrics` },
    };
    const names = Object.keys(kinds);
    const self: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const target: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const targetCpuUs = async () => (await getJson<{ totalUs: number }>(`${server.url}/cpu`)).totalUs;
    await sleep(500); // let the target finish starting up

    // Round -1 warms up every code path (module loading, JIT) and is discarded.
    for (let round = -1; round < ROUNDS; round++) {
      const order = names.map((_, i) => names[(i + Math.max(round, 0)) % names.length]!);
      for (const name of order) {
        const spec = kinds[name];
        const t0 = await targetCpuUs();
        const c0 = process.cpuUsage();
        const w0 = performance.now();
        const probe = spec ? createResourceProbe(spec, { intervalMs: INTERVAL_MS }) : undefined;
        probe?.start();
        await sleep(round < 0 ? 300 : WINDOW_MS);
        const trial = await probe?.stop();
        const c = process.cpuUsage(c0);
        const seconds = (performance.now() - w0) / 1000;
        const t1 = await targetCpuUs();
        if (round < 0) continue;
        self[name]!.push((c.user + c.system) / 1000 / seconds);
        target[name]!.push((t1 - t0) / 1000 / seconds);
        samples[name]!.push(trial?.samples ?? 0);
        if (trial && trial.missing.length > 0 && round === 0) {
          console.log(
            `  (${name}: ${trial.missing.length} missing: ${trial.missing.slice(0, 2).join('; ')})`,
          );
        }
      }
    }
    const procCount = (await readdir('/proc')).filter((n) => /^\d+$/.test(n)).length;
    console.log(
      `probe overhead at ${INTERVAL_MS} ms sampling, ${ROUNDS} alternated rounds of ${WINDOW_MS} ms, idle target, ` +
        `${procCount} processes on the host, ${cpus().length} CPUs:`,
    );
    const base = { self: median(self.none!), target: median(target.none!) };
    console.log(
      `  baseline (no probe): this process ${base.self.toFixed(2)} CPU-ms/s, target ${base.target.toFixed(2)} CPU-ms/s`,
    );
    const spread = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;
    console.log(
      `  per-round CPU-ms/s of this process: ${names.map((n) => `${n} ${spread(self[n]!)}`).join(', ')}`,
    );
    for (const name of names.slice(1)) {
      const s = median(self[name]!) - base.self;
      const t = median(target[name]!) - base.target;
      const perSample = s / (1000 / INTERVAL_MS);
      console.log(
        `  ${name.padEnd(8)}: sampler ${s.toFixed(2)} CPU-ms per second (${(s / 10).toFixed(3)} % of a core, ` +
          `${perSample.toFixed(2)} ms per sample, ${median(samples[name]!)} samples); ` +
          `target ${median(target[name]!).toFixed(2)} CPU-ms/s with sampling vs ${base.target.toFixed(2)} without (${t >= 0 ? '+' : ''}${t.toFixed(2)})`,
      );
    }
  } finally {
    await server.stop();
  }
}
