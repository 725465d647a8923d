// The ports of the use cases: baseline and history stores, the change under test, approvals, the process
// starter. The shells (CLI, Action, demo) build them. Logging, the clock and the publisher are in
// src/contracts/ports.ts, where the layers below can reach them.
import type { ChangedFile } from '../attribution/diff.ts';
import type { HistoryAnalysis } from '../history/analyze.ts';
import type { HistoryData, HistoryEntry, HistoryExclusion } from '../history/entry.ts';
import type { RunResult } from '../contracts/run-result.ts';
import type { ProbeSetup } from '../measure/run-trials.ts';
import type { ProfilerSetup } from '../measure/profiling/trial-profiler.ts';
import type { ApprovalRecord } from '../verdict/types.ts';

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

/** The change under test, or how to find it, or why it is unknown. */
export type Changes =
  | { files: ChangedFile[] }
  /** The git diff of the checkout against this revision (`git diff <rev>...HEAD`). */
  | { diffBase: string }
  | { unavailable: string };

/** The files changed in the pull request (the REST API, a git diff, the demo's own change). */
export interface ChangesSource {
  changes(): Promise<Changes>;
}

/** Who approved an intended regression, if anyone: a `--approve` flag, a PR label, a config entry. */
export interface ApprovalSource {
  approval(): Promise<ApprovalRecord | undefined>;
}

/** What a started target lends the measurement: its resource probe and profilers, and its URL. */
export interface TargetSetup {
  probe?: ProbeSetup;
  profiler?: ProfilerSetup;
  baselineProfiler?: ProfilerSetup;
  /** The started target's base URL when only the start tells it (a port chosen by the OS). */
  url?: string;
}

/** Starts the target (when the shell configured one) around a unit of work, and stops it whatever happens. */
export interface ProcessStarter {
  around<T>(work: (setup: TargetSetup) => Promise<T>): Promise<T>;
}

/** Nothing to start: the target is already running somewhere. */
export const noProcess: ProcessStarter = { around: (work) => work({}) };
