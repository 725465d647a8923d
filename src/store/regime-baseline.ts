// A baseline store that answers `load` with the current level's pooled baseline: it reads the branch's
// history, finds the change points, and pools the newest full runs after the last one (poolRuns). The
// analysis is kept for the report (trends, creep, change points). A history that cannot be read or analysed
// never blocks the gate: the plain latest baseline is used, with a warning.
import { analyzeHistory, type HistoryAnalysis } from '../history/analyze.ts';
import { isRunExcluded, runId, type HistoryData } from '../history/entry.ts';
import { poolRuns } from '../history/pool.ts';
import { createRng } from '../stats/rng.ts';
import type { Logger } from '../contracts/ports.ts';
import type { BaselineStore } from './types.ts';
import type { RunResult } from '../contracts/run-result.ts';

export interface HistoryCapableStore extends BaselineStore {
  readHistory(branch: string): Promise<HistoryData>;
  fullRuns(branch: string): Promise<RunResult[]>;
}

export interface RegimeBaselineOptions {
  logger: Logger;
  /** Most runs pooled into the baseline; default 5 (1 = the latest run only, as before history existed). */
  poolRuns?: number;
  /** Seed of the change-point permutation test; default 1 (deterministic). */
  seed?: number;
}

export const DEFAULT_POOL_RUNS = 5;

export class RegimeBaselineStore implements BaselineStore {
  /** The history analysis made by the last `load`, for the report; undefined when there was none. */
  analysis: HistoryAnalysis | undefined;
  /** The branch history each `load` read, so `recentRuns` does not fetch it again. */
  private readonly histories = new Map<string, Promise<HistoryData>>();

  constructor(
    readonly inner: HistoryCapableStore,
    private readonly options: RegimeBaselineOptions,
  ) {}

  save(branch: string, run: RunResult): Promise<string> {
    this.histories.delete(branch);
    return this.inner.save(branch, run);
  }

  /** Recent runs for the stored-mode drift estimate (oldest first), without the runs marked bad. */
  async recentRuns(branch: string, limit: number): Promise<RunResult[]> {
    if (!this.inner.recentRuns) return [];
    const runs = await this.inner.recentRuns(branch, limit + 5);
    try {
      const { exclusions } = await this.history(branch);
      return runs.filter((r) => !isRunExcluded(r, exclusions)).slice(-limit);
    } catch {
      return runs.slice(-limit);
    }
  }

  private history(branch: string): Promise<HistoryData> {
    let read = this.histories.get(branch);
    if (!read) {
      read = this.inner.readHistory(branch);
      // A failed read is not kept: the next caller tries again.
      read.catch(() => this.histories.delete(branch));
      this.histories.set(branch, read);
    }
    return read;
  }

  async load(branch: string): Promise<RunResult | undefined> {
    const latest = await this.inner.load(branch);
    if (!latest) return undefined;
    try {
      const data = await this.history(branch);
      this.analysis = analyzeHistory(data.entries, data.exclusions, {
        rng: createRng(this.options.seed ?? 1),
      });
      const limit = this.options.poolRuns ?? DEFAULT_POOL_RUNS;
      if (limit <= 1) return latest;
      const start = this.analysis.regimeStartId;
      const latestId = runId(latest);
      const candidates = (await this.inner.fullRuns(branch)).filter(
        (r) => runId(r) !== latestId && !isRunExcluded(r, data.exclusions) && (!start || runId(r) >= start),
      );
      const pooled = [latest, ...candidates.filter((r) => runId(r) < latestId)].slice(0, limit);
      if (pooled.length > 1) {
        this.options.logger.info(
          `baseline: pooled ${pooled.length} run(s) of ${branch}` +
            (start ? ` since the last change point (${start})` : '') +
            `: ${pooled.map((r) => r.meta.git?.sha.slice(0, 12) ?? runId(r)).join(', ')}`,
        );
      }
      return poolRuns(pooled);
    } catch (err) {
      this.options.logger.warn(
        `history of ${branch} could not be used (${(err as Error).message}); using the latest baseline only`,
      );
      return latest;
    }
  }
}
