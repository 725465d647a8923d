import { checkReachable } from '../../engine/preflight.ts';
import { redactUrl } from '../../util/redact.ts';
import { requestUrl } from '../../runners/types.ts';
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
    });
  }
  return 0;
}
