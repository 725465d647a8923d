// What a baseline store is to its users (the file store and the git data branch implement it; the pooled
// store wraps either). The use cases take it as a port.
import type { HistoryAnalysis } from '../history/analyze.ts';
import type { HistoryData } from '../history/entry.ts';
import type { HistoryEntry, HistoryExclusion } from '../contracts/history-entry.ts';
import type { RunResult } from '../contracts/run-result.ts';

/** Where baselines live (file store, git data branch). */
export interface BaselineStore {
  load(branch: string): Promise<RunResult | undefined>;
  save(branch: string, run: RunResult): Promise<string>;
  /** The newest `limit` stored runs of the branch (the baseline among them): stored mode's drift. */
  recentRuns?(branch: string, limit: number): Promise<RunResult[]>;
  /** The branch history analysis the last `load` made (a pooled store), for trends in the report. */
  readonly analysis?: HistoryAnalysis | undefined;
}

/** A store with the long history: what `baseline show`, `history` and `mark-bad` read. */
export interface HistoryStore extends BaselineStore {
  readHistory(branch: string): Promise<HistoryData>;
  fullRuns(branch: string): Promise<RunResult[]>;
  /** Stored history files of the branch (paths in the directory or on the data branch). */
  history(branch: string): Promise<string[]>;
  markBad(branch: string, exclusion: HistoryExclusion): Promise<{ entry: HistoryEntry; auditFile: string }>;
}
