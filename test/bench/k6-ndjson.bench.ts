// k6 NDJSON parsing cost: ~100 MB of k6 `--out json` output (the real fixture's line shapes: 9 http_req*
// Points per request, 4 per iteration) is written to a temp file, then parsed as the k6 engine does
// (following the file into a tally) and as a plain stream. Prints MB/s and the RSS growth; it asserts
// nothing (benchmarks are not tests). Aim: >= 50 MB/s in constant memory.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { TrialRecorder } from '../../src/measure/collectors/request-recorder.ts';
import { followFile } from '../../src/measure/runners/k6/engine.ts';
import { K6Tally, readK6Ndjson } from '../../src/measure/runners/k6/ndjson.ts';
import type { RequestSpec } from '../../src/scenario/model.ts';
import { k6Time, metricLines, requestLines, type SynthRequest } from '../measure/runners/k6/synth-ndjson.ts';

const TARGET_BYTES = Number(process.env.BENCH_K6_MB ?? 100) * 1024 * 1024;
const NAMES = ['GET /items', 'GET /items/:id', 'POST /orders', 'GET /health', 'PUT /cart'];

/** A small deterministic PRNG, so every run parses the same file. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function synthesize(file: string): Promise<{ bytes: number; requests: number }> {
  const out = createWriteStream(file);
  const random = rng(42);
  let bytes = 0;
  let requests = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${metricLines().join('\n')}\n`);
  while (bytes < TARGET_BYTES) {
    const batch: string[] = [];
    for (let i = 0; i < 500; i++) {
      const roll = random();
      const request: SynthRequest = {
        name: NAMES[Math.floor(random() * NAMES.length)]!,
        status: roll < 0.97 ? 200 : roll < 0.985 ? 404 : roll < 0.995 ? 500 : 0,
        // log-normal-ish latencies around 5 ms with a long tail
        ms: Math.round(Math.exp(1.6 + random() * random() * 3) * 1e6) / 1e6,
        bytes: 200 + Math.floor(random() * 5000),
        namedBytes: true,
      };
      if (request.status === 0) request.errorCode = random() < 0.5 ? 1050 : 1212;
      batch.push(...requestLines(request, k6Time(requests * 1000 + i)));
      requests++;
    }
    await write(`${batch.join('\n')}\n`);
  }
  out.end();
  await once(out, 'finish');
  return { bytes, requests };
}

const spec = (name: string): RequestSpec => ({
  name,
  method: 'GET',
  path: '/',
  headers: {},
  expectStatus: Array.from({ length: 100 }, (_, i) => 200 + i),
  weight: 1,
});

async function measure(
  label: string,
  bytes: number,
  parse: (tally: K6Tally) => Promise<void>,
): Promise<K6Tally> {
  const tally = new K6Tally(new TrialRecorder(NAMES.map(spec)));
  const rss0 = process.memoryUsage.rss();
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const t0 = performance.now();
  await parse(tally);
  tally.finish();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  const mb = bytes / 1024 / 1024;
  console.log(
    `  ${label.padEnd(26)}: ${mb.toFixed(1)} MB in ${seconds.toFixed(2)} s = ${(mb / seconds).toFixed(1)} MB/s, ` +
      `RSS growth ${((peak - rss0) / 1024 / 1024).toFixed(1)} MB (peak ${(peak / 1024 / 1024).toFixed(0)} MB)`,
  );
  return tally;
}

export async function benchK6Ndjson(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perf-gate-bench-k6-'));
  try {
    const file = path.join(dir, 'out.ndjson');
    const made = await synthesize(file);
    const { size } = await stat(file);
    console.log(
      `k6 NDJSON: ${(size / 1024 / 1024).toFixed(1)} MB, ${made.requests} requests (${made.requests * 13} lines)`,
    );
    // First the way the engine reads a trial (following the file k6 writes), then a plain stream.
    const followed = await measure('engine (followFile)', size, (tally) =>
      followFile(file, Promise.resolve(), tally.stream(), 100),
    );
    const streamed = await measure('stream (readK6Ndjson)', size, (tally) =>
      readK6Ndjson(createReadStream(file, { highWaterMark: 256 * 1024 }), tally),
    );
    for (const tally of [followed, streamed]) {
      if (tally.requests !== made.requests || tally.badLines !== 0) {
        console.log(`  MISMATCH: parsed ${tally.requests} requests, ${tally.badLines} bad lines`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
