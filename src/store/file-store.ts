// Baselines in a directory: <dir>/<branch>/latest.json, a bounded history of earlier full runs
// (history/), the compact summaries of every run for the long history (summaries/, see summary-layout.ts),
// the runs marked bad (exclusions.json) and their audit trail (audit.log).
// The CLI's and the demo's default store. Writes are atomic (temp file + rename).
import { appendFile, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { atomicWrite } from '../util/atomic-write.ts';
import { decodeRunResult, encodeRunResult } from './codec/run-result-codec.ts';
import {
  decodeExclusions,
  decodeHistoryEntry,
  decodeHistoryPack,
  encodeExclusions,
  encodeHistoryEntry,
  encodeHistoryPack,
} from './codec/history-codec.ts';
import {
  AUDIT_FILE,
  auditLine,
  DEFAULT_SUMMARY_LIMIT,
  EXCLUSIONS_FILE,
  isLoose,
  isPack,
  looseName,
  packName,
  planCompaction,
  SUMMARY_DIR,
} from './summary-layout.ts';
import { DataError, UsageError } from '../contracts/errors.ts';
import type { Logger } from '../contracts/ports.ts';
import { excludes, isRunExcluded, runId, summarizeRun, type HistoryData } from '../history/entry.ts';
import { type HistoryEntry, type HistoryExclusion } from '../contracts/history-entry.ts';
import { withoutProfiles, type RunResult } from '../contracts/run-result.ts';

/** Full earlier runs kept per branch (the summaries keep the long history). */
export const DEFAULT_HISTORY_LIMIT = 20;

export interface FileStoreOptions {
  summaryLimit?: number;
  /** Loose summary files before they are folded into a pack; default LOOSE_LIMIT. */
  looseLimit?: number;
  /** Told about skipped corrupt history entries and about a baseline replaced because it was marked bad. */
  logger?: Logger;
}

/** Branch names may hold slashes and other characters; one safe directory name per branch. */
export function branchDirName(branch: string): string {
  return encodeURIComponent(branch).replace(/\./g, '%2E');
}

export class FileBaselineStore {
  constructor(
    readonly dir: string,
    readonly historyLimit = DEFAULT_HISTORY_LIMIT,
    private readonly options: FileStoreOptions = {},
  ) {}

  private branchDir(branch: string): string {
    return path.join(this.dir, branchDirName(branch));
  }

  latestPath(branch: string): string {
    return path.join(this.branchDir(branch), 'latest.json');
  }

  /** Stores a run as the branch's baseline; the previous one moves into the history. */
  async save(branch: string, run: RunResult): Promise<string> {
    const dir = this.branchDir(branch);
    const historyDir = path.join(dir, 'history');
    await mkdir(historyDir, { recursive: true });
    const text = encodeRunResult(run);
    // Profiles are large and only the latest baseline's are needed: the history keeps the numbers.
    await atomicWrite(path.join(historyDir, `${runId(run)}.json`), encodeRunResult(withoutProfiles(run)));
    await this.addSummary(dir, summarizeRun(run));
    const latest = this.latestPath(branch);
    await atomicWrite(latest, text);
    const entries = (await readdir(historyDir)).filter((f) => f.endsWith('.json')).sort();
    for (const old of entries.slice(0, Math.max(0, entries.length - this.historyLimit))) {
      await rm(path.join(historyDir, old), { force: true });
    }
    return latest;
  }

  /**
   * The branch's baseline, undefined when there is none; a corrupt file is an error naming it. When the
   * latest run was marked bad, the newest earlier full run that was not is the baseline.
   */
  async load(branch: string): Promise<RunResult | undefined> {
    const file = this.latestPath(branch);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const latest = decodeRunResult(text, file);
    const exclusions = await this.exclusions(branch);
    if (!isRunExcluded(latest, exclusions)) return latest;
    for (const run of await this.fullRuns(branch)) {
      if (!isRunExcluded(run, exclusions)) {
        this.options.logger?.warn(
          `the latest baseline of ${branch} (${runId(latest)}) is marked bad: using ${runId(run)} instead`,
        );
        return run;
      }
    }
    this.options.logger?.warn(`every stored baseline of ${branch} is marked bad: there is no baseline`);
    return undefined;
  }

  /** Full runs of the branch's bounded history, newest first (the latest is among them). */
  async fullRuns(branch: string): Promise<RunResult[]> {
    const files = (await this.history(branch)).reverse();
    const runs: RunResult[] = [];
    for (const file of files) {
      try {
        runs.push(await readRunResult(file));
      } catch (err) {
        this.options.logger?.warn(`skipped a corrupt history run: ${(err as Error).message}`);
      }
    }
    return runs;
  }

  /** The newest `limit` stored runs of the branch (the baseline among them), oldest first. */
  async recentRuns(branch: string, limit: number): Promise<RunResult[]> {
    return recentFileRuns(this, branch, limit);
  }

  async history(branch: string): Promise<string[]> {
    try {
      const dir = path.join(this.branchDir(branch), 'history');
      return (await readdir(dir))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => path.join(dir, f));
    } catch {
      return [];
    }
  }

  /**
   * The long history: every run's summary (legacy full runs in history/ migrated), the exclusions, and the
   * corrupt entries that were skipped (each also logged as a warning).
   */
  async readHistory(branch: string): Promise<HistoryData> {
    const dir = path.join(this.branchDir(branch), SUMMARY_DIR);
    const entries: HistoryEntry[] = [];
    const problems: string[] = [];
    for (const name of await listDir(dir)) {
      const file = path.join(dir, name);
      const text = await readFile(file, 'utf8');
      if (isPack(name)) {
        const pack = decodeHistoryPack(text, file);
        entries.push(...pack.entries);
        problems.push(...pack.problems);
      } else if (isLoose(name)) {
        const d = decodeHistoryEntry(text, file);
        if (d.ok) entries.push(d.value);
        else problems.push(d.problem);
      }
    }
    // Runs stored before summaries existed: only their full runs are there.
    const known = new Set(entries.map((e) => e.id));
    for (const file of await this.history(branch)) {
      if (known.has(path.basename(file, '.json'))) continue;
      const d = decodeHistoryEntry(await readFile(file, 'utf8'), file);
      if (d.ok) entries.push(d.value);
      else problems.push(d.problem);
    }
    for (const p of problems) this.options.logger?.warn(`history: skipped a corrupt entry: ${p}`);
    return { entries, exclusions: await this.exclusions(branch), problems };
  }

  async exclusions(branch: string): Promise<HistoryExclusion[]> {
    const file = path.join(this.branchDir(branch), EXCLUSIONS_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return decodeExclusions(text, file);
  }

  /**
   * Excludes a run (entry id, or commit sha / prefix) from the baseline and the history, and appends an audit
   * line. A run that is not in the history is a usage error listing the newest runs.
   */
  async markBad(
    branch: string,
    exclusion: HistoryExclusion,
  ): Promise<{ entry: HistoryEntry; auditFile: string }> {
    const { entries } = await this.readHistory(branch);
    const entry = findRun(entries, exclusion.run, branch);
    const branchDir = this.branchDir(branch);
    const exclusions = await this.exclusions(branch);
    if (!exclusions.some((x) => excludes(x, entry))) {
      await atomicWrite(path.join(branchDir, EXCLUSIONS_FILE), encodeExclusions([...exclusions, exclusion]));
    }
    const auditFile = path.join(branchDir, AUDIT_FILE);
    await appendFile(auditFile, auditLine(exclusion.at, entry.id, exclusion.by, exclusion.reason));
    return { entry, auditFile };
  }

  private async addSummary(branchDir: string, entry: HistoryEntry): Promise<void> {
    const dir = path.join(branchDir, SUMMARY_DIR);
    await atomicWrite(path.join(dir, looseName(entry.id)), `${encodeHistoryEntry(entry)}\n`);
    const plan = planCompaction(
      await listDir(dir),
      this.options.summaryLimit ?? DEFAULT_SUMMARY_LIMIT,
      this.options.looseLimit,
    );
    if (plan.fold.length > 0) {
      const folded: HistoryEntry[] = [];
      for (const name of plan.fold) {
        const d = decodeHistoryEntry(await readFile(path.join(dir, name), 'utf8'), path.join(dir, name));
        if (d.ok) folded.push(d.value);
        else this.options.logger?.warn(`history: dropped a corrupt entry while compacting: ${d.problem}`);
      }
      if (folded.length > 0) {
        const last = folded.at(-1)!.id;
        await atomicWrite(path.join(dir, packName(last, folded.length)), encodeHistoryPack(folded));
      }
      for (const name of plan.fold) await rm(path.join(dir, name), { force: true });
    }
    for (const name of plan.drop) await rm(path.join(dir, name), { force: true });
  }
}

/** The one run an id or sha (prefix) names in a history; a usage error when none or several match. */
export function findRun(entries: readonly HistoryEntry[], run: string, branch: string): HistoryEntry {
  const matches = entries.filter((e) => excludes({ run }, e));
  const ids = [...new Set(matches.map((e) => e.id))];
  if (ids.length === 1) return matches.find((e) => e.id === ids[0])!;
  const newest = [...new Set(entries.map((e) => `${e.id}${e.commit ? ` (${e.commit.slice(0, 12)})` : ''}`))]
    .sort()
    .slice(-5)
    .reverse();
  if (ids.length > 1) {
    throw new UsageError(
      `"${run}" matches ${ids.length} runs of ${branch} (${ids.join(', ')}): give the run id`,
    );
  }
  throw new UsageError(
    `no run "${run}" in the history of ${branch}` +
      (newest.length > 0 ? `; the newest are: ${newest.join(', ')}` : ': the history is empty') +
      ' (give a run id or a commit sha of at least 7 characters)',
  );
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** The newest `limit` runs of a branch's history (the latest baseline among them), oldest first. */
export async function recentFileRuns(
  store: FileBaselineStore,
  branch: string,
  limit: number,
): Promise<RunResult[]> {
  const files = (await store.history(branch)).slice(-limit);
  return Promise.all(files.map((f) => readRunResult(f)));
}

export async function readRunResult(file: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read run result ${file}: ${(err as Error).message}`, file);
  }
  return decodeRunResult(text, file);
}
