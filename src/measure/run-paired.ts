// Paired mode: baseline and candidate deployments are measured in the same job, in interleaved pairs.
// Each pair runs its two trials back to back in an order (AB or BA) drawn from a seeded RNG, so runner
// drift hits both sides alike and cancels in the per-pair ratio (RMIT; shared reference 4.7).
import { checkReachable } from './preflight.ts';
import {
  defaultSleep,
  faultMessage,
  runTrial,
  scenarioResult,
  type ProbeSetup,
  type TrialContext,
} from './run-trials.ts';
import { RunFailure } from '../contracts/errors.ts';
import type { Logger } from '../contracts/ports.ts';
import type { ProfilerSetup } from './profiling/trial-profiler.ts';
import { createRng } from '../stats/index.ts';
import type {
  RunFailureInfo,
  RunMeta,
  RunResult,
  ScenarioResult,
  TrialResult,
} from '../contracts/run-result.ts';
import { RUN_RESULT_KIND, RUN_RESULT_SCHEMA_VERSION } from '../contracts/run-result.ts';
import type { GeneratorLimits, Scenario } from '../scenario/model.ts';
import { redactUrl, type Redactor } from '../util/redact.ts';

export interface PairedOptions {
  /** Scenarios resolved against the candidate target. */
  scenarios: Scenario[];
  baselineUrl: string;
  limits: GeneratorLimits;
  logger: Logger;
  redactor: Redactor;
  meta: Pick<RunMeta, 'git' | 'tool' | 'host'>;
  seed: number;
  /** Probes the candidate's target (the baseline deployment is not ours to probe). */
  probe?: ProbeSetup;
  /** Profiles the candidate's trials. */
  profiler?: ProfilerSetup;
  /** Profiles the baseline deployment's trials (profile.baselineInspector / baselinePprof). */
  baselineProfiler?: ProfilerSetup;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export interface PairOrder {
  scenario: string;
  pair: number;
  order: 'baseline-first' | 'candidate-first';
}

export interface PairedRuns {
  baseline: RunResult;
  candidate: RunResult;
  seed: number;
  orders: PairOrder[];
}

/** One scenario's pairs, measured in steps (adaptive trials). */
export interface PairedSession {
  readonly scenario: Scenario;
  /** Measured pairs so far. */
  readonly count: number;
  extendTo(n: number): Promise<void>;
}

export interface PairedMeasurement {
  sessions: PairedSession[];
  /** The two RunResults of the pairs measured so far. */
  finish(): PairedRuns;
}

/** Checks every target answers, then hands out one session per scenario; nothing is measured yet. */
export async function startPaired(options: PairedOptions): Promise<PairedMeasurement> {
  const { logger, redactor } = options;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? (() => new Date());
  const rng = createRng(options.seed);
  const startedAt = now().toISOString();
  logger.info(`paired mode: seed ${options.seed} (re-run with --seed ${options.seed} to replay the order)`);
  const ctx = (label: string): TrialContext => ({
    limits: options.limits,
    logger,
    redactor,
    label,
    ...(label === 'candidate' && options.probe ? { probe: options.probe } : {}),
    ...(label === 'candidate' && options.profiler ? { profiler: options.profiler } : {}),
    ...(label === 'baseline' && options.baselineProfiler ? { profiler: options.baselineProfiler } : {}),
  });

  const targets = new Set([options.baselineUrl, ...options.scenarios.map((s) => s.target)]);
  for (const t of targets) {
    const r = await checkReachable(t, 10_000, redactor);
    logger.info(`target ${redactUrl(t, redactor)} answered HTTP ${r.status} in ${r.ms.toFixed(1)} ms`);
  }

  const orders: PairOrder[] = [];
  let failure: RunFailureInfo | undefined;
  const parts = options.scenarios.map((candidate) => {
    const baseline: Scenario = { ...candidate, target: options.baselineUrl };
    // A side whose target failed stops the run; the candidate's file keeps the trials measured so far.
    const stopOnFault = (trial: TrialResult, side: 'baseline' | 'candidate') => {
      if (!trial.fault) return;
      failure = { scenario: candidate.name, trial: trial.index, reason: `${side}: ${trial.fault}` };
      state.stopped = true;
      throw new RunFailure(
        redactor.redact(faultMessage(side === 'baseline' ? baseline : candidate, trial, side)),
        finish().candidate,
      );
    };
    const state = {
      warmB: null as TrialResult | null,
      warmC: null as TrialResult | null,
      warmed: false,
      stopped: false,
      trialsB: [] as TrialResult[],
      trialsC: [] as TrialResult[],
    };
    const session: PairedSession = {
      scenario: candidate,
      get count() {
        return state.trialsC.length;
      },
      async extendTo(n: number) {
        if (!state.warmed && candidate.warmupMs > 0) {
          const warmB = await runTrial(baseline, -1, candidate.warmupMs, ctx('baseline'));
          state.warmB = warmB;
          stopOnFault(warmB, 'baseline');
          const warmC = await runTrial(candidate, -1, candidate.warmupMs, ctx('candidate'));
          state.warmC = warmC;
          stopOnFault(warmC, 'candidate');
          await sleep(candidate.pauseMs);
        }
        state.warmed = true;
        const target = Math.min(n, candidate.trials);
        while (state.trialsC.length < target) {
          const i = state.trialsC.length;
          if (i > 0) await sleep(candidate.pauseMs);
          const baselineFirst = rng() < 0.5;
          orders.push({
            scenario: candidate.name,
            pair: i,
            order: baselineFirst ? 'baseline-first' : 'candidate-first',
          });
          const runB = async () => {
            const t = await runTrial(baseline, i, candidate.load.durationMs, ctx('baseline'));
            state.trialsB.push(t);
            stopOnFault(t, 'baseline');
          };
          const runC = async () => {
            const t = await runTrial(candidate, i, candidate.load.durationMs, ctx('candidate'));
            state.trialsC.push(t);
            stopOnFault(t, 'candidate');
          };
          if (baselineFirst) {
            await runB();
            await sleep(candidate.pauseMs);
            await runC();
          } else {
            await runC();
            await sleep(candidate.pauseMs);
            await runB();
          }
        }
      },
    };
    return { candidate, baseline, state, session };
  });

  const finish = (): PairedRuns => {
    const finishedAt = now().toISOString();
    const wrap = (
      label: string,
      scenarios: ScenarioResult[],
      git?: RunMeta['git'],
      failed?: RunFailureInfo,
    ): RunResult =>
      redactor.redactDeep({
        kind: RUN_RESULT_KIND,
        schemaVersion: RUN_RESULT_SCHEMA_VERSION,
        meta: {
          startedAt,
          finishedAt,
          label,
          ...(git ? { git } : {}),
          tool: options.meta.tool,
          host: options.meta.host,
        },
        scenarios,
        ...(failed ? { failure: failed } : {}),
      });
    // Scenarios never started (an adaptive run that stopped early never gets there) are left out.
    const started = parts.filter((p) => p.state.trialsC.length > 0 || p.state.stopped);
    return {
      // The baseline deployment's commit is not known here; only the candidate's checkout is.
      baseline: wrap(
        'baseline',
        started.map((p) => scenarioResult(p.baseline, p.state.warmB, p.state.trialsB, redactor)),
      ),
      candidate: wrap(
        'candidate',
        started.map((p) => scenarioResult(p.candidate, p.state.warmC, p.state.trialsC, redactor)),
        options.meta.git,
        failure,
      ),
      seed: options.seed,
      orders: [...orders],
    };
  };
  return { sessions: parts.map((p) => p.session), finish };
}
