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
import { RunFailure } from './errors.ts';
import type { Logger } from './ports.ts';
import type { PprofSetup } from './pprof-capture.ts';
import { createRng } from '../stats/index.ts';
import type {
  RunFailureInfo,
  RunMeta,
  RunResult,
  ScenarioResult,
  TrialResult,
} from '../results/run-result.ts';
import { RUN_RESULT_KIND, RUN_RESULT_SCHEMA_VERSION } from '../results/run-result.ts';
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
  /** Profiles the candidate over pprof HTTP (the baseline deployment's endpoint is not known here). */
  pprof?: PprofSetup;
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

export async function measurePaired(options: PairedOptions): Promise<PairedRuns> {
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
    ...(label === 'candidate' && options.pprof ? { pprof: options.pprof } : {}),
  });

  const targets = new Set([options.baselineUrl, ...options.scenarios.map((s) => s.target)]);
  for (const t of targets) {
    const r = await checkReachable(t, 10_000, redactor);
    logger.info(`target ${redactUrl(t, redactor)} answered HTTP ${r.status} in ${r.ms.toFixed(1)} ms`);
  }

  const wrap = (
    label: string,
    scenarios: ScenarioResult[],
    git?: RunMeta['git'],
    failure?: RunFailureInfo,
  ): RunResult =>
    redactor.redactDeep({
      kind: RUN_RESULT_KIND,
      schemaVersion: RUN_RESULT_SCHEMA_VERSION,
      meta: {
        startedAt,
        finishedAt: now().toISOString(),
        label,
        ...(git ? { git } : {}),
        tool: options.meta.tool,
        host: options.meta.host,
      },
      scenarios,
      ...(failure ? { failure } : {}),
    });

  const orders: PairOrder[] = [];
  const baseResults: ScenarioResult[] = [];
  const candResults: ScenarioResult[] = [];
  for (const candidate of options.scenarios) {
    const baseline: Scenario = { ...candidate, target: options.baselineUrl };
    let warmB: TrialResult | null = null;
    let warmC: TrialResult | null = null;
    const trialsB: TrialResult[] = [];
    const trialsC: TrialResult[] = [];
    // A side whose target failed stops the run; the candidate's file keeps the trials measured so far.
    const stopOnFault = (trial: TrialResult, side: 'baseline' | 'candidate') => {
      if (!trial.fault) return;
      const failure = { scenario: candidate.name, trial: trial.index, reason: `${side}: ${trial.fault}` };
      const partial = wrap(
        'candidate',
        [...candResults, scenarioResult(candidate, warmC, trialsC, redactor)],
        options.meta.git,
        failure,
      );
      throw new RunFailure(
        redactor.redact(faultMessage(side === 'baseline' ? baseline : candidate, trial, side)),
        partial,
      );
    };
    if (candidate.warmupMs > 0) {
      warmB = await runTrial(baseline, -1, candidate.warmupMs, ctx('baseline'));
      stopOnFault(warmB, 'baseline');
      warmC = await runTrial(candidate, -1, candidate.warmupMs, ctx('candidate'));
      stopOnFault(warmC, 'candidate');
      await sleep(candidate.pauseMs);
    }
    for (let i = 0; i < candidate.trials; i++) {
      const baselineFirst = rng() < 0.5;
      orders.push({
        scenario: candidate.name,
        pair: i,
        order: baselineFirst ? 'baseline-first' : 'candidate-first',
      });
      const runB = async () => {
        const t = await runTrial(baseline, i, candidate.load.durationMs, ctx('baseline'));
        trialsB.push(t);
        stopOnFault(t, 'baseline');
      };
      const runC = async () => {
        const t = await runTrial(candidate, i, candidate.load.durationMs, ctx('candidate'));
        trialsC.push(t);
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
      if (i < candidate.trials - 1) await sleep(candidate.pauseMs);
    }
    baseResults.push(scenarioResult(baseline, warmB, trialsB, redactor));
    candResults.push(scenarioResult(candidate, warmC, trialsC, redactor));
  }
  return {
    // The baseline deployment's commit is not known here; only the candidate's checkout is.
    baseline: wrap('baseline', baseResults),
    candidate: wrap('candidate', candResults, options.meta.git),
    seed: options.seed,
    orders,
  };
}
