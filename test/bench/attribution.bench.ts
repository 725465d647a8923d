// Attribution cost: two synthetic ~50 MB `.cpuprofile` files (millions of samples, a realistic node count)
// are read from disk and diffed by `attribute` in a fresh child process, which reports its time and its
// RSS before and at peak. The same run at a fifth of the samples shows that memory follows the profile's
// nodes and functions, not its samples. Asserts nothing (benchmarks are not tests); the aim is < 2 s for
// the two 50 MB files.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/attribution/', import.meta.url));

/** The measured part, run in a child so its RSS is attribution's alone. */
const CHILD = `
import { attribute } from ${JSON.stringify(`${SRC}attribute.ts`)};
import { readProfileSource } from ${JSON.stringify(`${SRC}io/read-profile.ts`)};
const [base, cand] = process.argv.slice(2);
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const result = attribute({
  profiles: {
    baseline: [{ sources: [readProfileSource(base)], trials: [{ requests: 100000 }] }],
    candidate: [{ sources: [readProfileSource(cand)], trials: [{ requests: 100000 }] }],
  },
  changes: [],
  paths: { repoRoot: '/srv/app' },
});
const ms = performance.now() - t0;
const top = result.regressed[0];
process.stdout.write(JSON.stringify({
  ms,
  rssBefore,
  peakRss: process.resourceUsage().maxRSS * 1024,
  functions: result.diff ? result.diff.functions.length : 0,
  top: top ? top.name + ' +' + top.deltaSelfMs.toFixed(4) + ' ms/req (' + top.method + ')' : 'none',
  missing: result.missing.map((m) => m.detail),
}));
`;

const NODES = Number(process.env.BENCH_NODES ?? 40_000);
const FUNCTIONS = Number(process.env.BENCH_FUNCTIONS ?? 4_000);
const TARGET_MB = Number(process.env.BENCH_PROFILE_MB ?? 50);

/** Deterministic PRNG (mulberry32) so both profiles share a shape. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes a profile of NODES nodes over FUNCTIONS functions (a random tree, depth up to ~30) with as many
 * samples as fit in `targetBytes` (times `sampleScale`); `slowFn` gets `slowFactor` times its share.
 */
function writeProfile(
  path: string,
  targetBytes: number,
  sampleScale: number,
  seed: number,
  slowFn: number,
  slowFactor: number,
): number {
  const random = rng(seed);
  const parent = new Int32Array(NODES);
  const depth = new Int32Array(NODES);
  const fnOf = new Int32Array(NODES);
  const children: number[][] = Array.from({ length: NODES }, () => []);
  parent[0] = -1;
  for (let i = 1; i < NODES; i++) {
    // Prefer recent nodes as parents: deep, bushy stacks like a real service.
    let p = Math.max(0, i - 1 - Math.floor(random() * Math.min(i, 200)));
    if (depth[p]! >= 30) p = Math.floor(random() * i);
    parent[i] = p;
    depth[i] = depth[p]! + 1;
    fnOf[i] = 1 + Math.floor(random() ** 2 * (FUNCTIONS - 1));
    children[p]!.push(i + 1);
  }
  const fd = openSync(path, 'w');
  let written = 0;
  let buffer = '';
  const out = (s: string): void => {
    buffer += s;
    if (buffer.length > 1 << 20) {
      written += writeSync(fd, buffer);
      buffer = '';
    }
  };
  out('{"nodes":[');
  for (let i = 0; i < NODES; i++) {
    const f = fnOf[i]!;
    const frame =
      i === 0
        ? '{"functionName":"(root)","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1}'
        : `{"functionName":"fn${f}","scriptId":"${1 + (f % 50)}","url":"file:///srv/app/src/module${f % 300}.js","lineNumber":${(f * 7) % 900},"columnNumber":${f % 40}}`;
    out(
      `${i > 0 ? ',' : ''}{"id":${i + 1},"callFrame":${frame},"hitCount":0,"children":[${children[i]!.join(',')}]}`,
    );
  }
  out('],"startTime":1000000,"endTime":');
  // Leaves with weights; the slow function's nodes weigh slowFactor times more.
  const weights = new Float64Array(NODES);
  let total = 0;
  for (let i = 1; i < NODES; i++) {
    const w =
      (children[i]!.length === 0 ? 3 : 0.3) * (fnOf[i] === slowFn ? slowFactor : 1) * (0.5 + random());
    weights[i] = w;
    total += w;
  }
  const cumulative = new Float64Array(NODES);
  let acc = 0;
  for (let i = 0; i < NODES; i++) cumulative[i] = acc += weights[i]! / total;
  const pick = (): number => {
    const r = random();
    let lo = 0;
    let hi = NODES - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  // About 10.5 bytes per sample: a node id and a time delta, with their commas.
  const nodeBytes = written + buffer.length;
  const samples = Math.floor(((targetBytes - nodeBytes) / 10.5) * sampleScale);
  out(`${1_000_000 + samples * 1000},"samples":[`);
  for (let k = 0; k < samples; k++) out(k > 0 ? `,${pick()}` : `${pick()}`);
  out('],"timeDeltas":[');
  for (let k = 0; k < samples; k++) out(k > 0 ? `,${950 + Math.floor(random() * 100)}` : '1000');
  out(']}');
  written += writeSync(fd, buffer);
  closeSync(fd);
  return samples;
}

function measure(dir: string, mb: number, sampleScale: number): void {
  const base = join(dir, `base-${sampleScale}.cpuprofile`);
  const cand = join(dir, `cand-${sampleScale}.cpuprofile`);
  const samples = writeProfile(base, mb * 1e6, sampleScale, 1, 17, 1);
  writeProfile(cand, mb * 1e6, sampleScale, 2, 17, 3);
  const sizes = [statSync(base).size, statSync(cand).size].map((b) => (b / 1e6).toFixed(1));
  const script = join(dir, 'measure.ts');
  writeFileSync(script, CHILD);
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, base, cand], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`attribution child failed: ${run.stderr}`);
  const r = JSON.parse(run.stdout) as {
    ms: number;
    rssBefore: number;
    peakRss: number;
    functions: number;
    top: string;
    missing: string[];
  };
  const mib = (b: number) => (b / 2 ** 20).toFixed(0);
  console.log(
    `  2 × ${sizes.join(' / ')} MB, ${(samples / 1e6).toFixed(2)} M samples each, ${NODES} nodes, ${r.functions} functions: ` +
      `${r.ms.toFixed(0)} ms; RSS ${mib(r.rssBefore)} MiB before, peak ${mib(r.peakRss)} MiB (+${mib(r.peakRss - r.rssBefore)})`,
  );
  console.log(`    top regressed: ${r.top}; missing: ${r.missing.join('; ') || 'none'}`);
  rmSync(base);
  rmSync(cand);
}

export async function benchAttribution(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'perf-gate-bench-attr-'));
  try {
    console.log('attribution cost: read + diff two .cpuprofile files from disk (aim < 2 s at 50 MB each)');
    // Same nodes and functions, a fifth of the samples: memory should barely move between the two.
    measure(dir, TARGET_MB, 0.2);
    measure(dir, TARGET_MB, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
