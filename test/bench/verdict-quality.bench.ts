// Verdict quality on real loopback servers (the project's delay server): per mode (stored with a baseline
// history, paired) and per procedure (fixed trials, adaptive), the A/A false-fail rate, the A/B detection
// rate for a slower route, the trials used and the wall time per gate. Figures, not pass/fail. Three routes
// of similar latency (only the first slows down in A/B) and a fast health route: a family of four p95
// series, so the moderated t (stats/moderated-variance.ts) has a family to borrow from.
// Settings (environment): BENCH_ROUNDS (default 3), BENCH_DELAY_MS (route delay, default 10),
// BENCH_EXTRA_MS (added on the candidate's route for A/B, default 10), BENCH_TRIALS (budget, default 10),
// BENCH_TRIAL_MS (trial length, default 1000).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runGate } from '../../src/usecases/measure-and-decide.ts';
import { measure } from '../../src/measure/measure.ts';
import { silentLogger } from '../../src/contracts/ports.ts';
import { FileBaselineStore } from '../../src/store/file-store.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { Redactor } from '../../src/util/redact.ts';
import type { GeneratorLimits } from '../../src/scenario/model.ts';
import { DELAY_SERVER, startChildServer } from '../helpers/child-server.ts';
import { testScenario } from '../helpers/scenario.ts';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROUNDS = num('BENCH_ROUNDS', 3);
const DELAY = num('BENCH_DELAY_MS', 10);
const EXTRA = num('BENCH_EXTRA_MS', 10);
const TRIALS = num('BENCH_TRIALS', 10);
const TRIAL_MS = num('BENCH_TRIAL_MS', 1000);
const HISTORY = 4;

const LIMITS: GeneratorLimits = { maxCpuCores: 2, maxEventLoopDelayP99Ms: 500, minRateAchieved: 0.5 };
const meta = {
  tool: { perfGate: 'bench', autocannon: '9', node: process.version },
  host: { cpuModel: 'bench', cores: os.cpus().length, platform: 'linux', arch: 'x64', memoryGb: 1 },
};

const scenario = (target: string) =>
  testScenario(
    target,
    [
      { name: 'route', path: `/delay/${DELAY}` },
      // Paths that the candidate's --extra (a path prefix) does not match.
      { name: 'shorter', path: `/delay/${Math.max(1, DELAY - 2)}` },
      { name: 'longer', path: `/delay/${DELAY + 2}` },
      { name: 'health', path: '/fast' },
    ],
    {
      trials: TRIALS,
      warmupMs: 500,
      pauseMs: 100,
      load: { model: 'closed', connections: 4, durationMs: TRIAL_MS },
    },
  );

interface Tally {
  gates: number;
  fails: number;
  trials: number;
  seconds: number;
}

export async function benchVerdictQuality(): Promise<void> {
  const [base, slower] = await Promise.all([
    startChildServer([DELAY_SERVER]),
    startChildServer([DELAY_SERVER, `--extra=/delay/${DELAY}:${EXTRA}`]),
  ]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-bench-quality-'));
  try {
    // Stored mode's baseline branch: a few runs of the base server, so the drift can be estimated.
    const store = new FileBaselineStore(dir);
    for (let i = 0; i < HISTORY; i++) {
      const run = await measure({
        scenarios: [scenario(base.url)],
        limits: LIMITS,
        logger: silentLogger,
        redactor: new Redactor(),
        meta,
      });
      await store.save('main', {
        ...run,
        meta: { ...run.meta, finishedAt: new Date(Date.now() + i).toISOString() },
      });
    }
    console.log(
      `${ROUNDS} round(s); route ${DELAY} ms, A/B +${EXTRA} ms (+${Math.round((100 * EXTRA) / DELAY)} %); ` +
        `budget ${TRIALS} trials of ${TRIAL_MS} ms; stored history ${HISTORY} runs`,
    );
    console.log('mode     procedure  case  fail rate   mean trials  mean wall s');
    for (const mode of ['stored', 'paired'] as const) {
      for (const adaptive of [false, true]) {
        for (const [label, target] of [
          ['A/A', base.url],
          ['A/B', slower.url],
        ] as const) {
          const t: Tally = { gates: 0, fails: 0, trials: 0, seconds: 0 };
          for (let r = 0; r < ROUNDS; r++) {
            const t0 = performance.now();
            const result = await runGate({
              scenarios: [scenario(target)],
              limits: LIMITS,
              thresholds: DEFAULT_THRESHOLDS,
              logger: silentLogger,
              redactor: new Redactor(),
              meta,
              baselineBranch: 'main',
              store,
              seed: 1000 + r,
              ...(mode === 'paired' ? { baselineUrl: base.url } : {}),
              ...(adaptive ? { adaptive: { first: 3, maxTimeMs: 600_000 } } : {}),
            });
            t.seconds += (performance.now() - t0) / 1000;
            t.gates++;
            t.fails += result.verdict.outcome === 'fail' ? 1 : 0;
            t.trials += result.sequential?.trialsUsed ?? TRIALS;
          }
          console.log(
            `${mode.padEnd(8)} ${(adaptive ? 'adaptive' : 'fixed').padEnd(10)} ${label}   ` +
              `${`${t.fails}/${t.gates}`.padEnd(11)} ${(t.trials / t.gates).toFixed(1).padEnd(12)} ${(t.seconds / t.gates).toFixed(1)}`,
          );
        }
      }
    }
  } finally {
    await Promise.all([base.stop(), slower.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
