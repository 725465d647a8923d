import { autocannonClosedEngine } from './runners/autocannon-closed.ts';
import { createK6Engine } from './runners/k6/engine.ts';
import { openRateEngine } from './runners/open-rate.ts';
import type { TrialEngine } from './runners/types.ts';
import type { Scenario } from '../scenario/model.ts';

/** Picks the load engine for a scenario's runner and load model. */
export function engineFor(scenario: Scenario): TrialEngine {
  if (scenario.runner === 'k6') return createK6Engine(scenario);
  return scenario.load.model === 'closed' ? autocannonClosedEngine : openRateEngine;
}
