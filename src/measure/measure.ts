// The measurement use case: check each target answers, run every scenario's trials, assemble the
// RunResult. No process.env, no exit: the shells pass everything in.
import { checkReachable } from './preflight.ts';
import { scenarioSession, ScenarioStopped, type ScenarioSession } from './run-trials.ts';
import { RunFailure } from '../contracts/errors.ts';
import type { Logger } from '../contracts/ports.ts';
import type { RunFailureInfo, RunMeta, RunResult, ScenarioResult } from '../contracts/run-result.ts';
import { RUN_RESULT_KIND, RUN_RESULT_SCHEMA_VERSION } from '../contracts/run-result.ts';
import type { GeneratorLimits, Scenario } from '../scenario/model.ts';
import type { TrialEngine } from './runners/types.ts';
import type { ProbeSetup } from './run-trials.ts';
import type { ProfilerSetup } from './profiling/trial-profiler.ts';
import { redactUrl, type Redactor } from '../util/redact.ts';

export interface MeasureOptions {
  scenarios: Scenario[];
  limits: GeneratorLimits;
  logger: Logger;
  redactor: Redactor;
  /** Facts about the environment gathered by the shell. */
  meta: Pick<RunMeta, 'git' | 'tool' | 'host'>;
  label?: string;
  /** Skip the reachability check (tests that point at a deliberately broken target do not). */
  skipPreflight?: boolean;
  engine?: TrialEngine;
  /** Samples the target's resource use during every trial. */
  probe?: ProbeSetup;
  /** Captures a CPU profile (Node inspector or pprof) during every measured trial. */
  profiler?: ProfilerSetup;
  now?: () => Date;
}

export async function measure(options: MeasureOptions): Promise<RunResult> {
  const measurement = await startMeasure(options);
  for (const session of measurement.sessions) await session.extendTo(session.scenario.trials);
  return measurement.finish();
}

export interface Measurement {
  /** One per scenario, in order; nothing is measured until a session is extended. */
  sessions: ScenarioSession[];
  /** The RunResult of the trials measured so far (scenarios never started are left out). */
  finish(): RunResult;
}

/** Checks every target answers and hands out one session per scenario (adaptive trials extend them). */
export async function startMeasure(options: MeasureOptions): Promise<Measurement> {
  const { logger, redactor } = options;
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  if (!options.skipPreflight) {
    const checked = new Set<string>();
    for (const s of options.scenarios) {
      // A distributed k6 scenario loads the target from inside a cluster, which may not be reachable from here.
      if (checked.has(s.target) || s.k6?.distributed) continue;
      checked.add(s.target);
      const r = await checkReachable(s.target, Math.min(s.timeoutMs, 10_000), redactor);
      logger.info(
        `target ${redactUrl(s.target, redactor)} answered HTTP ${r.status} in ${r.ms.toFixed(1)} ms`,
      );
    }
  }
  let failure: RunFailureInfo | undefined;
  // A scenario whose target failed keeps its trials (and a failed warm-up) in the run file.
  const stopped = new Map<ScenarioSession, ScenarioResult>();
  const raw = options.scenarios.map((scenario) =>
    scenarioSession({
      scenario,
      limits: options.limits,
      logger,
      redactor,
      ...(options.engine ? { engine: options.engine } : {}),
      ...(options.label ? { label: options.label } : {}),
      ...(options.probe ? { probe: options.probe } : {}),
      ...(options.profiler ? { profiler: options.profiler } : {}),
    }),
  );
  const finish = (): RunResult => {
    const run: RunResult = {
      kind: RUN_RESULT_KIND,
      schemaVersion: RUN_RESULT_SCHEMA_VERSION,
      meta: {
        startedAt,
        finishedAt: now().toISOString(),
        ...(options.label ? { label: options.label } : {}),
        ...(options.meta.git ? { git: options.meta.git } : {}),
        tool: options.meta.tool,
        host: options.meta.host,
      },
      scenarios: raw.filter((x) => x.count > 0 || stopped.has(x)).map((x) => stopped.get(x) ?? x.result()),
      ...(failure ? { failure } : {}),
    };
    // Nothing that came from the environment leaves this function unmasked.
    return redactor.redactDeep(run);
  };
  const sessions: ScenarioSession[] = raw.map((session) => ({
    scenario: session.scenario,
    get count() {
      return session.count;
    },
    result: () => session.result(),
    async extendTo(n: number) {
      try {
        await session.extendTo(n);
      } catch (err) {
        // The target failed: keep every trial measured so far, and stop (a dead target stays dead).
        if (!(err instanceof ScenarioStopped)) throw err;
        stopped.set(session, err.result);
        failure = err.failure;
        throw new RunFailure(redactor.redact(err.message), finish());
      }
    },
  }));
  return { sessions, finish };
}
