import { checkReachable } from '../../measure/preflight.ts';
import { ASSUMED_TRIAL_NOISE, detectableChange, gatingFamily } from '../../verdict/power.ts';
import { planLooks } from '../../verdict/sequential.ts';
import { ruleFor } from '../../compare/rules.ts';
import type { LoadedConfig } from '../../config/load.ts';
import { redactUrl } from '../../util/redact.ts';
import { requestUrl } from '../../measure/runners/types.ts';
import { loadWithLogger, writeJson } from '../shared.ts';
import type { CliIo } from '../context.ts';

export interface ValidateFlags {
  config: string;
  target?: string;
  reach?: boolean;
  json?: boolean;
}

/** Validates the config and every scenario, then checks each target answers (unless --no-reach). */
export async function validateCommand(io: CliIo, flags: ValidateFlags): Promise<number> {
  const { config, redactor, logger } = await loadWithLogger(io, flags);
  const targets = [...new Set(config.scenarios.map((s) => s.target))];
  const reached: Array<{ target: string; status: number; ms: number }> = [];
  for (const s of config.scenarios) {
    logger.info(
      `scenario ${s.name} (${s.file}): ${s.requests.length} request(s), ${s.load.model} model, ` +
        `${s.trials} trial(s) of ${s.load.durationMs} ms, runner ${s.runner}`,
    );
  }
  if (flags.reach !== false) {
    for (const t of targets) {
      const r = await checkReachable(t, 10_000, redactor);
      reached.push({ target: redactUrl(t, redactor), status: r.status, ms: Math.round(r.ms * 10) / 10 });
      logger.info(`target ${redactUrl(t, redactor)} answered HTTP ${r.status} in ${r.ms.toFixed(1)} ms`);
      if (r.status >= 500) {
        logger.warn(
          `target ${redactUrl(t, redactor)} answers HTTP ${r.status}: a server error; the gate stops on a target that fails every request`,
        );
      }
    }
    // One GET per GET request (no side effects): a route that answers 5xx would fail every trial.
    for (const s of config.scenarios) {
      for (const req of s.requests.filter((r) => r.method === 'GET')) {
        const url = requestUrl(s.target, req.path).href;
        const r = await checkReachable(url, 10_000, redactor).catch(() => undefined);
        if (r && r.status >= 500) {
          logger.warn(
            `${s.name} / ${req.name}: GET ${redactUrl(url, redactor)} answered HTTP ${r.status} (a server error); ` +
              `every trial would fail on it`,
          );
        }
      }
    }
  }
  const design = designWarnings(config);
  for (const w of design) logger.warn(w);
  logger.info(`config ${config.file} is valid`);
  if (flags.json) {
    writeJson(io, {
      valid: true,
      config: config.file,
      scenarios: config.scenarios.map((s) => ({
        name: s.name,
        file: s.file,
        requests: s.requests.map((r) => r.name),
      })),
      targets: reached,
      warnings: design,
    });
  }
  return 0;
}

/**
 * Can the configured trials decide the configured family? For each scenario's p95, the smallest true change
 * the gate fails with 95 % probability (at an assumed trial noise), in both modes; a warning when even twice
 * the minimum effect is out of reach (docs/statistics.md, "What the trials can decide").
 */
export function designWarnings(config: LoadedConfig): string[] {
  const family = gatingFamily(config.scenarios, config.thresholds);
  const warnings: string[] = [];
  for (const s of config.scenarios) {
    const p95 = s.requests[0] ? ruleFor(config.thresholds, s.name, s.requests[0].name, 'p95') : undefined;
    if (!p95?.gating || p95.minEffect.kind !== 'relative') continue;
    // The deciding look may be the last: its share of alpha is what the budget must be able to pass.
    const alpha = config.adaptive
      ? planLooks(
          { first: Math.min(config.adaptive.first, s.trials), max: s.trials, maxTimeMs: 0 },
          config.thresholds.alpha,
        ).alphas.at(-1)!
      : config.thresholds.alpha;
    const needed = (mode: 'stored' | 'paired') =>
      detectableChange({
        mode,
        trials: s.trials,
        family,
        alpha,
        noise: ASSUMED_TRIAL_NOISE,
        minEffect: p95.minEffect.value,
      });
    const stored = needed('stored');
    const paired = needed('paired');
    const twice = Math.expm1(2 * Math.log1p(p95.minEffect.value));
    if (stored <= twice && paired <= twice) continue;
    const pct = (x: number) => (Number.isFinite(x) ? `+${(x * 100).toFixed(0)} %` : 'no change');
    warnings.push(
      `scenario ${s.name}: with ${s.trials} trial(s) and ${family} gating metrics, a p95 change must be about ` +
        `${pct(stored)} (stored) or ${pct(paired)} (paired) to fail reliably, at an assumed ${(ASSUMED_TRIAL_NOISE * 100).toFixed(0)} % ` +
        `trial-to-trial noise; the minimum effect is ${p95.minEffect.text}. Raise trials, use paired mode, or run ` +
        '`perf-gate calibrate` to measure the real noise',
    );
  }
  return warnings;
}
