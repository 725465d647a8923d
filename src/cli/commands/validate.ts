import { checkReachable } from '../../engine/preflight.ts';
import { redactUrl } from '../../util/redact.ts';
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
