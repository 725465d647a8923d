// Cost of per-trial CPU profiling on the profiled service: its CPU per request with and without the
// inspector's sampling profiler, on a small Fastify service with cheap requests (the worst case for a
// relative overhead). Five processes of the same service run side by side: plain; profiled at V8's 1 ms;
// profiled at 1 ms without TurboFan inlining (what service.cpuProfile starts); inlining off alone; and
// profiled at 100 µs. Rounds rotate the order so drift favours none; every figure is a median over rounds.
// Profiling goes through the same code path as a gate's trials (startTrialProfile). Prints figures only.
import { readFileSync, rmSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { startTrialProfile } from '../../src/measure/profiling/trial-profiler.ts';
import { profilerFor } from '../../src/measure/profiling/trial-profiler.ts';
import { createServiceRepo } from '../attribution/matrix-services.ts';
import { freePort } from '../helpers/net.ts';

const WINDOW_S = Number(process.env.BENCH_PROFILE_S ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 4;

interface Variant {
  name: string;
  flags: string[];
  /** Sampling interval in µs, or undefined: not profiled. */
  intervalUs?: number;
}

const VARIANTS: Variant[] = [
  { name: 'plain', flags: [] },
  { name: 'profiled 1 ms', flags: ['--inspect=127.0.0.1:0'], intervalUs: 1000 },
  {
    name: 'profiled 1 ms, no inlining (service.cpuProfile)',
    flags: ['--inspect=127.0.0.1:0', '--no-turbo-inlining'],
    intervalUs: 1000,
  },
  { name: 'no inlining, not profiled', flags: ['--no-turbo-inlining'] },
  { name: 'profiled 100 µs', flags: ['--inspect=127.0.0.1:0'], intervalUs: 100 },
];

/** utime + stime of a process, in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Started {
  variant: Variant;
  child: ChildProcess;
  url: string;
  inspector?: string;
}

async function start(dir: string, variant: Variant): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [...variant.flags, 'src/server.js'], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${url}/quote?amount=45000`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 100 || child.exitCode !== null) throw new Error(`${variant.name} did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
  return { variant, child, url, ...(inspector ? { inspector } : {}) };
}

async function load(url: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url: `${url}/quote?amount=45000`,
    connections: CONNECTIONS,
    duration: seconds,
  });
  return result.requests.total;
}

export async function benchProfilingOverhead(): Promise<void> {
  const repo = createServiceRepo('fastify');
  repo.git('checkout', '-q', 'main'); // the cheap findTier: requests cost little, overhead shows most
  const services: Started[] = [];
  try {
    for (const v of VARIANTS) services.push(await start(repo.dir, v));
    const perRequest = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
    for (const s of services) await load(s.url, 1); // JIT warm-up, discarded
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < services.length; k++) {
        const s = services[(k + round) % services.length]!;
        const pid = s.child.pid!;
        const profile =
          s.variant.intervalUs !== undefined && s.inspector
            ? await startTrialProfile(
                profilerFor({ kind: 'inspector', url: s.inspector }, s.variant.intervalUs),
                WINDOW_S * 1000,
              )
            : undefined;
        const c0 = cpuMs(pid);
        const requests = await load(s.url, WINDOW_S);
        const c1 = cpuMs(pid);
        const captured = await profile?.finish();
        if (typeof captured === 'string') throw new Error(`${s.variant.name}: ${captured}`);
        perRequest.get(s.variant.name)!.push((c1 - c0) / requests);
      }
    }
    const plain = median(perRequest.get('plain')!);
    console.log(
      `profiling overhead: Fastify service, ${CONNECTIONS} connections, ${ROUNDS} rotated rounds of ${WINDOW_S} s; ` +
        'service CPU per request (median), and its ratio to the unprofiled service:',
    );
    for (const v of VARIANTS) {
      const xs = perRequest.get(v.name)!;
      const m = median(xs);
      console.log(
        `  ${v.name.padEnd(48)} ${(m * 1000).toFixed(1).padStart(6)} µs/request  ×${(m / plain).toFixed(3)}` +
          `  (rounds ${xs.map((x) => (x * 1000).toFixed(0)).join(', ')})`,
      );
    }
  } finally {
    for (const s of services) s.child.kill('SIGKILL');
    rmSync(repo.dir, { recursive: true, force: true });
  }
}
