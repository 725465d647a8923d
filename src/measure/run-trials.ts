// Runs one scenario: a discarded warm-up, then N measured trials with a pause between them, each
// checked for generator health. Returns the scenario's part of the RunResult. The pieces (one trial,
// assembling the result) are shared with the paired runner.
import { generatorProblems, watchGeneratorHealth } from './collectors/generator-health.ts';
import { describeFailures, FAULT_WINDOW_MS, TargetFaultWatch } from './collectors/target-faults.ts';
import { RunFailure } from '../contracts/errors.ts';
import { engineFor } from './engines.ts';
import type { Logger } from '../contracts/ports.ts';
import type { RawTrial, TrialEngine } from './runners/types.ts';
import type { RunFailureInfo, ScenarioResult, TrialResult } from '../contracts/run-result.ts';
import type { GeneratorLimits, Scenario } from '../scenario/model.ts';
import { requestFingerprint, scenarioFingerprint } from '../scenario/fingerprint.ts';
import { redactUrl, type Redactor } from '../util/redact.ts';
import { cpuMsPerRequest, createResourceProbe, type ResourceSpec } from './collectors/resources/probe.ts';
import type { StoredProfile } from '../contracts/run-result.ts';
import { startTrialProfile, type ProfilerSetup } from './profiling/trial-profiler.ts';

/** A resource probe to run alongside every trial (warm-up included, though its figures are discarded). */
export interface ProbeSetup {
  spec: ResourceSpec;
  intervalMs: number;
}

/** Profiles captured per trial (inspector or pprof), collected into the scenario result's `profiles`. */
const trialProfiles = new WeakMap<TrialResult, StoredProfile | string>();

export interface TrialContext {
  limits: GeneratorLimits;
  logger: Logger;
  redactor?: Redactor;
  /** Overrides the engine chosen from the scenario (tests). */
  engine?: TrialEngine;
  /** Prefix for progress lines, e.g. "baseline". */
  label?: string;
  probe?: ProbeSetup;
  /** Capture a CPU profile (Node inspector or pprof) during each measured trial. */
  profiler?: ProfilerSetup;
}

export interface RunScenarioOptions extends TrialContext {
  scenario: Scenario;
  sleep?: (ms: number) => Promise<void>;
}

export const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs one trial (index -1 is the warm-up) and judges its validity. */
export async function runTrial(
  scenario: Scenario,
  index: number,
  durationMs: number,
  ctx: TrialContext,
): Promise<TrialResult> {
  const { logger, redactor } = ctx;
  const engine = ctx.engine ?? engineFor(scenario);
  const tag = `${ctx.label ? `${ctx.label} ` : ''}${scenario.name}`;
  const what = index < 0 ? 'warm-up' : `trial ${index + 1}/${scenario.trials}`;
  // The probe's first reading is taken before load starts, so the window covers the whole trial.
  const probe = ctx.probe
    ? createResourceProbe(ctx.probe.spec, { intervalMs: ctx.probe.intervalMs })
    : undefined;
  if (probe) {
    probe.start();
    await probe.ready();
  }
  // A profile covers the trial's load (not the warm-up's): started just before it, finished just after.
  const profile =
    ctx.profiler && index >= 0 ? await startTrialProfile(ctx.profiler, durationMs, ctx.redactor) : undefined;
  const watch = watchGeneratorHealth();
  // A dead or failing target ends the trial within about a second, not at the end of its duration.
  const faults = new TargetFaultWatch({
    windowMs: FAULT_WINDOW_MS,
    // autocannon's request timeout has a 1 s floor; a stall shows as timeouts after it. In the rate
    // model a request may simply not be due yet: one interval more.
    stallMs:
      Math.max(scenario.timeoutMs, 1000) +
      FAULT_WINDOW_MS +
      (scenario.load.model === 'rate' ? 1000 / scenario.load.ratePerSec : 0),
  });
  const abort = new AbortController();
  let fault: string | undefined;
  const monoStart = monotonicUs();
  let raw: RawTrial;
  try {
    raw = await engine.runTrial({
      scenario,
      durationMs,
      signal: abort.signal,
      onProgress: (p) => {
        if (!fault && p.recorder) {
          fault = faults.observe(p.elapsedMs, p.recorder.tally());
          if (fault) abort.abort();
        }
        logger.progress(
          `${tag} ${what}: ${(p.elapsedMs / 1000).toFixed(1)}/${(durationMs / 1000).toFixed(1)} s, ${p.attempts} requests`,
        );
      },
    });
  } catch (err) {
    watch.stop();
    await probe?.stop();
    await profile?.finish();
    const detail = err instanceof Error ? err.message : String(err);
    throw new RunFailure(`${tag} ${what} failed: ${redactor ? redactor.redact(detail) : detail}`);
  }
  const monoEnd = monotonicUs();
  const captured = profile?.finish();
  const generator = { ...watch.stop(), ...raw.generator };
  const serverTiming = raw.recorder.serverTiming.result();
  const hasServerTiming = Object.values(serverTiming.requests).some((r) => r.withServerTiming > 0);
  // Probe failures never fail a trial: what is missing is listed in the result instead.
  const measured = probe ? await probe.stop() : undefined;
  const requests = raw.recorder.results(raw.durationMs);
  const attempts = raw.recorder.attempts;
  const ok = raw.recorder.ok;
  // A target that died just before the end leaves a failing tail too short for the running check.
  fault ??= faults.finish(raw.durationMs, raw.recorder.tally());
  if (!fault && attempts === 0) {
    fault = 'target not answering: no request completed in the trial window';
  } else if (!fault && ok === 0) {
    fault = `target failing: no successful response, all ${attempts} requests failed (${describeFailures(raw.recorder.tally())})`;
  }
  // A failing target is named as such: its errors, not the generator's load, are what went wrong
  // (a target answering errors fast keeps the generator busy without saturating anything real).
  const reasons = fault ? [fault] : [...generatorProblems(generator, ctx.limits), ...(raw.problems ?? [])];
  const trial: TrialResult = {
    index,
    startedAt: raw.startedAt,
    durationMs: Math.round(raw.durationMs),
    requests,
    generator,
    ...(measured
      ? {
          resources: {
            ...measured,
            ...withDefined('cpuMsPerRequest', cpuMsPerRequest(measured, raw.recorder.attempts)),
          },
        }
      : {}),
    ...(hasServerTiming ? { serverTiming } : {}),
    monotonicUs: { start: monoStart, end: monoEnd },
    valid: reasons.length === 0,
    invalidReasons: reasons,
    ...(fault ? { fault } : {}),
  };
  if (captured) trialProfiles.set(trial, await captured);
  const rps = (ok * 1000) / Math.max(raw.durationMs, 1);
  const target =
    trial.resources?.cpuCoresMean !== undefined
      ? `, target ${trial.resources.cpuCoresMean.toFixed(2)} cores` +
        (trial.resources.cpuMsPerRequest !== undefined
          ? ` (${trial.resources.cpuMsPerRequest.toFixed(3)} CPU-ms/request)`
          : '')
      : '';
  logger.progressDone(
    `${tag} ${what}: ${attempts} requests, ${rps.toFixed(0)} ok/s, ` +
      `generator ${generator.cpuCores.toFixed(2)} cores${target}` +
      (trial.valid ? '' : ` INVALID (${reasons.join('; ')})`),
  );
  return trial;
}

/** CLOCK_MONOTONIC in µs: the clock V8 stamps CPU-profile samples with, on the same machine. */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function capturedProfiles(trials: TrialResult[]): Pick<ScenarioResult, 'profiles' | 'profilesMissing'> {
  const captured = trials.map((t) => trialProfiles.get(t));
  if (captured.every((c) => c === undefined)) return {};
  const reasons = [...new Set(captured.filter((c): c is string => typeof c === 'string'))];
  return {
    profiles: captured.map((c) => (c !== undefined && typeof c !== 'string' ? c : null)),
    ...(reasons.length ? { profilesMissing: reasons.join('; ') } : {}),
  };
}

function withDefined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

export function warmupSummary(w: TrialResult): NonNullable<ScenarioResult['warmup']> {
  return {
    durationMs: w.durationMs,
    attempts: w.requests.reduce((n, r) => n + r.attempts, 0),
    valid: w.valid,
    invalidReasons: w.invalidReasons,
  };
}

/** Assembles a scenario's result (every trial, invalid ones included: they are counted, not dropped). */
export function scenarioResult(
  scenario: Scenario,
  warmup: TrialResult | null,
  trials: TrialResult[],
  redactor?: Redactor,
): ScenarioResult {
  return {
    name: scenario.name,
    file: scenario.file,
    runner: scenario.runner,
    fingerprint: scenarioFingerprint(scenario, redactor),
    target: redactUrl(scenario.target, redactor),
    load: scenario.load,
    timeoutMs: scenario.timeoutMs,
    requests: scenario.requests.map((r) => ({
      name: r.name,
      method: r.method,
      path: redactor ? redactor.redact(r.path) : r.path,
      weight: r.weight,
      fingerprint: requestFingerprint(r, redactor),
    })),
    warmup: warmup ? warmupSummary(warmup) : null,
    trials,
    ...capturedProfiles(trials),
  };
}

/**
 * The target failed in a trial: the scenario stops there. `result` keeps every trial measured so far,
 * the failed one included, so the run file shows what happened before the fault.
 */
export class ScenarioStopped extends RunFailure {
  override name = 'ScenarioStopped';
  constructor(
    message: string,
    readonly result: ScenarioResult,
    readonly failure: RunFailureInfo,
  ) {
    super(message);
  }
}

/** Where a trial's target fault is reported: "checkout trial 4/10" or "checkout warm-up". */
export function faultMessage(scenario: Scenario, trial: TrialResult, label?: string): string {
  const what = trial.index < 0 ? 'warm-up' : `trial ${trial.index + 1}/${scenario.trials}`;
  return `${label ? `${label} ` : ''}${scenario.name} ${what}: ${trial.fault}`;
}

export async function runScenario(options: RunScenarioOptions): Promise<ScenarioResult> {
  const session = scenarioSession(options);
  await session.extendTo(options.scenario.trials);
  return session.result();
}

/**
 * A scenario measured in steps (adaptive trials): the warm-up before the first trial, then trials added
 * up to a count, each step continuing where the last one stopped.
 */
export interface ScenarioSession {
  readonly scenario: Scenario;
  /** Measured trials so far (pairs in paired mode). */
  readonly count: number;
  /** Runs trials until `count` reaches n (never beyond the scenario's trial budget). */
  extendTo(n: number): Promise<void>;
  result(): ScenarioResult;
}

export function scenarioSession(options: RunScenarioOptions): ScenarioSession {
  const { scenario } = options;
  const sleep = options.sleep ?? defaultSleep;
  let warmup: TrialResult | null = null;
  let warmed = false;
  const trials: TrialResult[] = [];
  const stop = (trial: TrialResult) =>
    new ScenarioStopped(
      faultMessage(scenario, trial, options.label),
      scenarioResult(scenario, warmup, trials, options.redactor),
      { scenario: scenario.name, trial: trial.index, reason: trial.fault! },
    );
  return {
    scenario,
    get count() {
      return trials.length;
    },
    async extendTo(n: number) {
      if (!warmed && scenario.warmupMs > 0) {
        const w = await runTrial(scenario, -1, scenario.warmupMs, options);
        warmup = w;
        if (w.fault) throw stop(w);
        await sleep(scenario.pauseMs);
      }
      warmed = true;
      const target = Math.min(n, scenario.trials);
      while (trials.length < target) {
        // The pause separates trials; a step that continues a scenario pauses before its first trial too.
        if (trials.length > 0) await sleep(scenario.pauseMs);
        const trial = await runTrial(scenario, trials.length, scenario.load.durationMs, options);
        trials.push(trial);
        // A failing target stops the scenario at once; the error keeps the trials measured so far.
        if (trial.fault) throw stop(trial);
      }
    },
    result: () => scenarioResult(scenario, warmup, trials, options.redactor),
  };
}
