import path from 'node:path';
import { measure } from '../../engine/measure.ts';
import { baselineProblems } from '../../engine/baseline-fitness.ts';
import { withService } from '../../engine/service.ts';
import { atomicWrite } from '../../store/file-store.ts';
import { encodeRunResult } from '../../store/codec/run-result-codec.ts';
import { runTable } from '../../report/run-summary.ts';
import { collectMeta, loadWithLogger, writeJson } from '../shared.ts';
import { keepPartialRun } from '../../engine/partial-run.ts';
import type { CliIo } from '../context.ts';
import type { Scenario } from '../../scenario/model.ts';

export interface RunFlags {
  config: string;
  out?: string;
  target?: string;
  label?: string;
  trials?: number;
  json?: boolean;
}

export async function runCommand(io: CliIo, flags: RunFlags): Promise<number> {
  const { config, redactor, logger } = await loadWithLogger(io, flags);
  const scenarios: Scenario[] = config.scenarios.map((s) =>
    flags.trials ? { ...s, trials: flags.trials } : s,
  );
  const out = path.resolve(io.cwd, flags.out ?? path.join(config.outputDir, 'run.json'));
  const run = await keepPartialRun(out, logger, () =>
    withService(config, { env: io.env, logger, redactor }, (probe, profilers) =>
      measure({
        scenarios,
        limits: config.generator,
        logger,
        redactor,
        meta: collectMeta(io),
        ...(flags.label ? { label: flags.label } : {}),
        ...(probe ? { probe } : {}),
        ...profilers,
      }),
    ),
  );
  await atomicWrite(out, encodeRunResult(run));
  logger.info(`\n${runTable(run)}\n`);
  logger.info(`run result written to ${path.relative(io.cwd, out) || out}`);
  // Said now, not at `baseline save`: such a run would be refused as a baseline.
  for (const p of baselineProblems(run, config.generator)) logger.warn(`${p.message}; not fit as a baseline`);
  if (flags.json) writeJson(io, run);
  return 0;
}
