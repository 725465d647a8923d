// `perf-gate run`: the measure use case with the configured service; writes the RunResult.
import path from 'node:path';
import { baselineProblems } from '../../usecases/baseline-fitness.ts';
import { configuredService } from '../../measure/service.ts';
import { atomicWrite } from '../../util/atomic-write.ts';
import { encodeRunResult } from '../../store/codec/run-result-codec.ts';
import { runTable } from '../../report/run-summary.ts';
import { measureTarget } from '../../usecases/measure.ts';
import { collectMeta, loadWithLogger, withTrials, writeJson } from '../shared.ts';
import type { CliIo } from '../context.ts';

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
  const out = path.resolve(io.cwd, flags.out ?? path.join(config.outputDir, 'run.json'));
  const run = await measureTarget(
    {
      scenarios: withTrials(config.scenarios, flags.trials),
      limits: config.generator,
      redactor,
      meta: collectMeta(io),
      ...(flags.label ? { label: flags.label } : {}),
      partialRunFile: out,
    },
    { logger, processes: configuredService(config, { env: io.env, logger, redactor }) },
  );
  await atomicWrite(out, encodeRunResult(run));
  logger.info(`\n${runTable(run)}\n`);
  logger.info(`run result written to ${path.relative(io.cwd, out) || out}`);
  // Said now, not at `baseline save`: such a run would be refused as a baseline.
  for (const p of baselineProblems(run, config.generator)) logger.warn(`${p.message}; not fit as a baseline`);
  if (flags.json) writeJson(io, run);
  return 0;
}
