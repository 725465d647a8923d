import { UsageError } from './errors.ts';
import { autocannonClosedEngine } from '../runners/autocannon-closed.ts';
import { openRateEngine } from '../runners/open-rate.ts';
import type { TrialEngine } from '../runners/types.ts';
import type { Scenario } from '../scenario/model.ts';

/** Picks the load engine for a scenario's runner and load model. */
export function engineFor(scenario: Scenario): TrialEngine {
  if (scenario.runner === 'k6') {
    throw new UsageError(
      `${scenario.file}: scenario '${scenario.name}' asks for runner k6, which is not available yet`,
    );
  }
  return scenario.load.model === 'closed' ? autocannonClosedEngine : openRateEngine;
}
