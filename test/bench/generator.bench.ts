// Generator cost: our runner (autocannon + per-name µs histograms + exact attribution) versus plain
// autocannon, same target, same connections, alternated; then the memory growth of a 1,000,000-request
// trial. Prints figures; it asserts nothing (benchmarks are not tests).
import autocannon from 'autocannon';
import { runClosedTrial } from '../../src/measure/runners/autocannon-closed.ts';
import { DELAY_SERVER, startChildServer } from '../helpers/child-server.ts';
import { testScenario } from '../helpers/scenario.ts';

const CONNECTIONS = 16;
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MILLION = Number(process.env.BENCH_REQUESTS ?? 1_000_000);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function plainAutocannon(url: string, ms: number): Promise<number> {
  const result = await autocannon({ url: `${url}/fast`, connections: CONNECTIONS, duration: ms / 1000 });
  return result.requests.total / result.duration;
}

async function ours(url: string, ms: number): Promise<number> {
  const scenario = testScenario(url, [{ name: 'fast', path: '/fast' }], {
    load: { model: 'closed', connections: CONNECTIONS, durationMs: ms },
  });
  const raw = await runClosedTrial({ scenario, durationMs: ms });
  return (raw.recorder.attempts * 1000) / raw.durationMs;
}

export async function benchGenerator(): Promise<void> {
  const server = await startChildServer([DELAY_SERVER]);
  try {
    await plainAutocannon(server.url, 1000); // warm both the server and the client code paths
    await ours(server.url, 1000);
    const plain: number[] = [];
    const mine: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternate the order so drift favours neither.
      if (i % 2 === 0) {
        plain.push(await plainAutocannon(server.url, ROUND_MS));
        mine.push(await ours(server.url, ROUND_MS));
      } else {
        mine.push(await ours(server.url, ROUND_MS));
        plain.push(await plainAutocannon(server.url, ROUND_MS));
      }
    }
    const ratio = median(mine) / median(plain);
    console.log(
      `generator throughput, ${CONNECTIONS} connections, ${ROUNDS} alternated rounds of ${ROUND_MS} ms:`,
    );
    console.log(
      `  plain autocannon : ${plain.map((x) => x.toFixed(0)).join(', ')} req/s (median ${median(plain).toFixed(0)})`,
    );
    console.log(
      `  perf-gate runner : ${mine.map((x) => x.toFixed(0)).join(', ')} req/s (median ${median(mine).toFixed(0)})`,
    );
    console.log(`  ratio perf-gate/plain: ${ratio.toFixed(3)} (aim >= 0.9)`);

    // Memory: one trial long enough for ~1,000,000 requests at the measured rate.
    const durationMs = Math.ceil((MILLION / median(mine)) * 1000);
    if (global.gc) global.gc();
    const rss0 = process.memoryUsage.rss();
    let peak = rss0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 200);
    const scenario = testScenario(
      server.url,
      [
        { name: 'fast', path: '/fast' },
        { name: 'also-fast', path: '/fast?b' },
      ],
      {
        load: { model: 'closed', connections: CONNECTIONS, durationMs },
      },
    );
    const raw = await runClosedTrial({ scenario, durationMs });
    clearInterval(sampler);
    const results = raw.recorder.results(raw.durationMs);
    const total = raw.recorder.attempts;
    console.log(
      `memory: ${total} requests in ${(raw.durationMs / 1000).toFixed(1)} s; RSS ${(rss0 / 1048576).toFixed(0)} MB -> ` +
        `peak ${(peak / 1048576).toFixed(0)} MB (growth ${((peak - rss0) / 1048576).toFixed(1)} MB, limit 50 MB); ` +
        `encoded histograms ${results.reduce((n, r) => n + r.histogram.length, 0)} bytes`,
    );
  } finally {
    await server.stop();
  }
}
