// What every k6 trial, local or distributed, hands back: the tally's sinks, k6's facts about the load,
// and a clear error when k6 itself failed.
import type { GeneratorHealth } from '../../../contracts/run-result.ts';
import type { Scenario } from '../../../scenario/model.ts';
import type { RawTrial } from '../types.ts';
import { describeK6Exit, k6ExitUsable } from './exit-codes.ts';
import type { K6Tally } from './ndjson.ts';

export interface K6TrialFacts {
  scenario: Scenario;
  startedAt: string;
  /** The trial's window: k6 runs the executor for exactly this long. */
  durationMs: number;
  tally: K6Tally;
  engineVersion: string;
}

export function k6RawTrial({
  scenario,
  startedAt,
  durationMs,
  tally,
  engineVersion,
}: K6TrialFacts): RawTrial {
  const generator: Partial<GeneratorHealth> = { engineVersion };
  if (scenario.load.model === 'rate') {
    // k6 starts iterations at the intended rate or drops them; what ran is what was achieved.
    generator.intendedRate = scenario.load.ratePerSec;
    generator.achievedRate = Math.round((tally.iterations / (durationMs / 1000)) * 1000) / 1000;
    generator.notSent = tally.droppedIterations;
  }
  return { startedAt, durationMs, recorder: tally.recorder, generator, problems: tally.problems() };
}

/** Throws when k6 ended in a way that leaves the measurements incomplete; 0, 99 and 110 pass. */
export function assertK6Exit(
  who: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  lastLines: readonly string[],
): void {
  if (k6ExitUsable(code, signal)) return;
  const output = lastLines.length > 0 ? `; its last output:\n    ${lastLines.join('\n    ')}` : '';
  throw new Error(`${who} failed: ${describeK6Exit(code, signal)}${output}`);
}
