// The store-baseline use case: check a run is fit to be a baseline, store it for a branch, and say what the
// branch's history now shows (change points, creep). Both shells store through it: the CLI's `baseline save`
// (a saved run) and the Action's baseline mode (a run measured on merge).
import { baselineProblems } from './baseline-fitness.ts';
import { branchHistorySummary } from './branch-history.ts';
import { RunFailure, UsageError } from '../contracts/errors.ts';
import type { HistoryData } from '../history/entry.ts';
import type { RunResult } from '../contracts/run-result.ts';
import type { GeneratorLimits } from '../scenario/model.ts';
import type { Logger } from '../contracts/ports.ts';
import type { BaselineStore } from '../store/types.ts';

/**
 * What a run with invalid trials does: `refuse` (a person can measure again), `allow-invalid` (they said
 * store it anyway), `merge` (stored with a loud warning: a merge is not the place to fail; every gate
 * against it repeats the warning).
 */
export type InvalidRunPolicy = 'refuse' | 'allow-invalid' | 'merge';

export interface StoreBaselineInput {
  run: RunResult;
  branch: string;
  /** How the run is named in messages (its file). */
  source: string;
  /** The generator limits it was measured under, for the load suggestion of a saturated run. */
  limits?: GeneratorLimits;
  invalid: InvalidRunPolicy;
  /** Analyse the branch's history after storing, for a job summary. */
  summarizeHistory?: boolean;
}

export interface StoreBaselinePorts {
  store: BaselineStore & { readHistory?(branch: string): Promise<HistoryData> };
  logger: Logger;
}

export interface StoredBaseline {
  /** Where the store put it (a file, or a path on the data branch). */
  where: string;
  /** Markdown on the branch's history, when asked and readable. */
  history?: string;
}

export async function storeBaseline(
  input: StoreBaselineInput,
  ports: StoreBaselinePorts,
): Promise<StoredBaseline> {
  const { logger } = ports;
  const problems = baselineProblems(input.run, input.limits);
  if (input.run.failure) {
    throw new RunFailure(
      `${input.source} cannot be a baseline: ${problems[0]!.message}; fix the target and measure again`,
    );
  }
  if (problems.length && input.invalid === 'refuse') {
    throw new UsageError(
      `${input.source} has invalid trials and was not stored as a baseline: ` +
        `${problems.map((p) => p.message).join('; ')}. Measure again, or pass --allow-invalid to store it anyway`,
    );
  }
  const prefix = input.invalid === 'merge' ? 'weak baseline' : 'stored anyway (--allow-invalid)';
  for (const p of problems) logger.warn(`${prefix}: ${p.message}`);
  const where = await ports.store.save(input.branch, input.run);
  const store = ports.store;
  const history =
    input.summarizeHistory && store.readHistory
      ? await branchHistorySummary({ readHistory: (b) => store.readHistory!(b) }, input.branch, logger)
      : undefined;
  return { where, ...(history ? { history } : {}) };
}
