// Runs the bundled demo service under `node --cpu-prof` in a child process and drives it with plain
// node:http requests, recording per-trial time windows (on the monotonic clock the profile uses),
// completed requests and Server-Timing headers. Independent of perf-gate's runners on purpose.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoVariant } from '../../src/demo/fees.ts';
import { ServerTimingAccumulator } from '../../src/attribution/server-timing.ts';
import type { TrialServerTiming } from '../../src/contracts/run-result.ts';
import type { TimeWindow } from '../../src/attribution/cpuprofile.ts';
import { listCpuProfiles } from '../../src/attribution/io/read-profile.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
const MAIN = join(REPO_ROOT, 'src/demo/main.ts');

export interface DemoTrial {
  window: TimeWindow;
  requests: number;
  serverTiming: TrialServerTiming;
}

export interface DemoRun {
  variant: DemoVariant;
  /** Temporary directory holding the profiles (the caller removes it). */
  dir: string;
  profileFiles: string[];
  trials: DemoTrial[];
}

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** The request list: the same on every side (quotes exercise fees, account reads the database). */
function requestPath(i: number): { name: string; path: string } {
  if (i % 4 === 3) return { name: 'account', path: `/api/accounts/${1 + ((i * 37) % 900)}` };
  const currencies = ['EUR', 'USD', 'GBP', 'CHF', 'JPY'];
  const categories = ['grocery', 'travel', 'electronics', 'restaurants', 'fuel', 'digital', 'general'];
  const amount = 1 + ((i * 7919) % 900_000);
  return {
    name: 'quote',
    path: `/api/quote?amount=${amount}&currency=${currencies[i % 5]}&merchantCategory=${categories[i % 7]}`,
  };
}

function get(
  agent: http.Agent,
  url: string,
): Promise<{ status: number; serverTiming: string | string[] | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, serverTiming: res.headers['server-timing'] }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function drive(
  agent: http.Agent,
  base: string,
  count: number,
  concurrency: number,
  offset: number,
  acc?: ServerTimingAccumulator,
): Promise<number> {
  let next = 0;
  let ok = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const { name, path } = requestPath(offset + next++);
      const t0 = performance.now();
      const res = await get(agent, base + path);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      acc?.add(name, performance.now() - t0, res.serverTiming);
      ok++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ok;
}

/**
 * Starts the demo variant with --cpu-prof, warms it up, runs `trials` measured windows of `perTrial`
 * requests, stops it (SIGTERM: the demo exits normally, so V8 writes the profiles) and returns the files.
 */
export async function runDemo(
  variant: DemoVariant,
  { trials = 4, perTrial = 500, warmup = 300, concurrency = 8 } = {},
): Promise<DemoRun> {
  const dir = mkdtempSync(join(tmpdir(), `perf-gate-attr-${variant}-`));
  const child = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', MAIN, '--variant', variant, '--port', '0'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('demo did not start')), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`demo exited early (${code})`)));
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    await drive(agent, base, warmup, concurrency, 0);
    const out: DemoTrial[] = [];
    for (let t = 0; t < trials; t++) {
      const acc = new ServerTimingAccumulator();
      const startUs = nowUs();
      const requests = await drive(agent, base, perTrial, concurrency, warmup + t * perTrial, acc);
      const endUs = nowUs();
      out.push({ window: { startUs, endUs }, requests, serverTiming: acc.result() });
    }
    agent.destroy();
    child.kill('SIGTERM');
    await once(child, 'exit');
    return { variant, dir, profileFiles: listCpuProfiles(dir), trials: out };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
