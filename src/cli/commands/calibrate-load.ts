// `perf-gate calibrate --load`: finds, per scenario, a load this runner's generator can hold (short probe
// trials, stepping the load down), so a baseline measured at it has no invalid trials.
import { calibrateScenario, describeLoad, type Calibration } from '../../usecases/calibrate.ts';
import { RunFailure } from '../../contracts/errors.ts';
import { checkReachable } from '../../measure/preflight.ts';
import { withService } from '../../measure/service.ts';
import { loadWithLogger, writeJson } from '../shared.ts';
import type { CliIo } from '../context.ts';

export interface CalibrateLoadFlags {
  config: string;
  target?: string;
  trialMs: number;
  json?: boolean;
}

export async function calibrateLoadCommand(io: CliIo, flags: CalibrateLoadFlags): Promise<number> {
  const { config, redactor, logger } = await loadWithLogger(io, flags);
  const results = await withService(config, { env: io.env, logger, redactor }, async () => {
    const out: Calibration[] = [];
    for (const scenario of config.scenarios) {
      await checkReachable(scenario.target, Math.min(scenario.timeoutMs, 10_000), redactor);
      out.push(
        await calibrateScenario(scenario, {
          limits: config.generator,
          logger,
          redactor,
          label: 'calibrate',
          trialMs: flags.trialMs,
        }),
      );
    }
    return out;
  });
  for (const c of results) {
    const tried = c.steps.map((s) => `${describeLoad(s.load)} ${s.valid ? 'held' : 'not held'}`).join(', ');
    if (!c.holds) {
      logger.error(
        `${c.scenario}: the generator cannot hold even the lowest load tried (${tried})` +
          (c.rateHint
            ? `; against a target this fast the closed model keeps the generator busy at any concurrency: ` +
              `use the rate model, e.g. load: { model: rate, rate: ${c.rateHint}, connections: ${c.configured.connections} }`
            : ''),
      );
    } else if (c.steps.length === 1) {
      logger.info(`${c.scenario}: the generator holds the configured ${describeLoad(c.holds)}`);
    } else {
      logger.info(
        `${c.scenario}: set load to ${describeLoad(c.holds)} (configured ${describeLoad(c.configured)}; ${tried})`,
      );
    }
  }
  if (flags.json) writeJson(io, results);
  if (results.some((c) => !c.holds)) {
    throw new RunFailure('no load level this runner can hold was found; use a bigger runner');
  }
  return 0;
}
