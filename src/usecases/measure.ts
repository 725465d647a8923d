// The measure use case: start the target (when the shell configured one), run every scenario's trials and
// return the RunResult. A run that stops part-way (its target failed) leaves what it measured in
// `partialRunFile` and ends in a RunFailure (exit 3).
import { measure } from '../measure/measure.ts';
import { keepPartialRun } from './partial-run.ts';
import type { RunMeta, RunResult } from '../contracts/run-result.ts';
import type { GeneratorLimits, Scenario } from '../scenario/model.ts';
import type { Redactor } from '../util/redact.ts';
import { systemClock, type Clock, type Logger } from '../contracts/ports.ts';
import { type ProcessStarter, type TargetSetup } from '../measure/process-starter.ts';

export interface MeasureInput {
  scenarios: Scenario[];
  limits: GeneratorLimits;
  redactor: Redactor;
  /** Facts about the environment gathered by the shell. */
  meta: Pick<RunMeta, 'git' | 'tool' | 'host'>;
  label?: string;
  /** Where a run that stops part-way writes what it measured. */
  partialRunFile: string;
}

export interface MeasurePorts {
  logger: Logger;
  processes: ProcessStarter;
  clock?: Clock;
}

/** The scenarios aimed at a started target whose URL only its start told (a port the OS chose). */
export function aimedAt(scenarios: Scenario[], setup: TargetSetup): Scenario[] {
  const url = setup.url;
  return url ? scenarios.map((s) => ({ ...s, target: url })) : scenarios;
}

export async function measureTarget(input: MeasureInput, ports: MeasurePorts): Promise<RunResult> {
  const clock = ports.clock ?? systemClock;
  return keepPartialRun(input.partialRunFile, ports.logger, () =>
    ports.processes.around((setup) =>
      measure({
        scenarios: aimedAt(input.scenarios, setup),
        limits: input.limits,
        logger: ports.logger,
        redactor: input.redactor,
        meta: input.meta,
        now: () => clock.now(),
        ...(input.label ? { label: input.label } : {}),
        ...(setup.probe ? { probe: setup.probe } : {}),
        ...(setup.profiler ? { profiler: setup.profiler } : {}),
      }),
    ),
  );
}
