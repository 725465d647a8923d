// Runs one scenario: a discarded warm-up, then N measured trials with a pause between them, each
// checked for generator health. Returns the scenario's part of the RunResult.
import { generatorProblems, watchGeneratorHealth } from '../collectors/generator-health.ts';
import { RunFailure } from './errors.ts';
import { engineFor } from './engines.ts';
import type { Logger } from './ports.ts';
import type { RawTrial, TrialEngine } from '../runners/types.ts';
import type { ScenarioResult, TrialResult } from '../results/run-result.ts';
import type { GeneratorLimits, Scenario } from '../scenario/model.ts';
import { requestFingerprint, scenarioFingerprint } from '../scenario/fingerprint.ts';
import { redactUrl, type Redactor } from '../util/redact.ts';

export interface RunScenarioOptions {
  scenario: Scenario;
  limits: GeneratorLimits;
  logger: Logger;
  redactor?: Redactor;
  /** Overrides the engine chosen from the scenario (tests, k6 later). */
  engine?: TrialEngine;
  sleep?: (ms: number) => Promise<void>;
  /** Prefix for progress lines, e.g. "baseline". */
  label?: string;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runScenario(options: RunScenarioOptions): Promise<ScenarioResult> {
  const { scenario, limits, logger, redactor } = options;
  const engine = options.engine ?? engineFor(scenario);
  const sleep = options.sleep ?? defaultSleep;
  const tag = `${options.label ? `${options.label} ` : ''}${scenario.name}`;

  const runOne = async (index: number, durationMs: number): Promise<TrialResult> => {
    const what = index < 0 ? 'warm-up' : `trial ${index + 1}/${scenario.trials}`;
    const watch = watchGeneratorHealth();
    let raw: RawTrial;
    try {
      raw = await engine.runTrial({
        scenario,
        durationMs,
        onProgress: (p) =>
          logger.progress(
            `${tag} ${what}: ${(p.elapsedMs / 1000).toFixed(1)}/${(durationMs / 1000).toFixed(1)} s, ${p.attempts} requests`,
          ),
      });
    } catch (err) {
      watch.stop();
      const detail = err instanceof Error ? err.message : String(err);
      throw new RunFailure(`${tag} ${what} failed: ${redactor ? redactor.redact(detail) : detail}`);
    }
    const generator = { ...watch.stop(), ...raw.generator };
    const requests = raw.recorder.results(raw.durationMs);
    const reasons = [...generatorProblems(generator, limits), ...(raw.problems ?? [])];
    const attempts = raw.recorder.attempts;
    const ok = raw.recorder.ok;
    if (attempts === 0) reasons.push('no request completed in the trial window');
    else if (ok === 0) reasons.push(`no successful response: all ${attempts} requests failed`);
    const trial: TrialResult = {
      index,
      startedAt: raw.startedAt,
      durationMs: Math.round(raw.durationMs),
      requests,
      generator,
      valid: reasons.length === 0,
      invalidReasons: reasons,
    };
    const rps = (ok * 1000) / Math.max(raw.durationMs, 1);
    logger.progressDone(
      `${tag} ${what}: ${attempts} requests, ${rps.toFixed(0)} ok/s, ` +
        `generator ${generator.cpuCores.toFixed(2)} cores` +
        (trial.valid ? '' : ` INVALID (${reasons.join('; ')})`),
    );
    return trial;
  };

  let warmup: ScenarioResult['warmup'] = null;
  if (scenario.warmupMs > 0) {
    const w = await runOne(-1, scenario.warmupMs);
    warmup = {
      durationMs: w.durationMs,
      attempts: sumAttempts(w),
      valid: w.valid,
      invalidReasons: w.invalidReasons,
    };
    await sleep(scenario.pauseMs);
  }
  const trials: TrialResult[] = [];
  for (let i = 0; i < scenario.trials; i++) {
    trials.push(await runOne(i, scenario.load.durationMs));
    if (i < scenario.trials - 1) await sleep(scenario.pauseMs);
  }
  // Every trial failed at the socket level: the target is down, not slow.
  const allConnectionFailures = trials.every(
    (t) =>
      t.requests.every((r) => r.ok === 0) &&
      t.requests.some((r) => r.errors.connection + r.errors.timeouts > 0),
  );
  if (allConnectionFailures) {
    throw new RunFailure(
      `${tag}: every trial failed with connection errors or timeouts against ${redactUrl(scenario.target, redactor)}`,
    );
  }
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
    warmup,
    trials,
  };
}

function sumAttempts(t: TrialResult): number {
  return t.requests.reduce((n, r) => n + r.attempts, 0);
}
