// Baselines in a directory: <dir>/<branch>/latest.json plus a bounded history of earlier runs.
// The CLI's and the demo's default store. Writes are atomic (temp file + rename).
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeRunResult, encodeRunResult } from './codec/run-result-codec.ts';
import { DataError } from '../engine/errors.ts';
import { withoutProfiles, type RunResult } from '../results/run-result.ts';

export const DEFAULT_HISTORY_LIMIT = 50;

/** Branch names may hold slashes and other characters; one safe directory name per branch. */
export function branchDirName(branch: string): string {
  return encodeURIComponent(branch).replace(/\./g, '%2E');
}

export class FileBaselineStore {
  constructor(
    readonly dir: string,
    readonly historyLimit = DEFAULT_HISTORY_LIMIT,
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
    const stamp = run.meta.finishedAt.replace(/[:.]/g, '-');
    const sha = run.meta.git?.sha.slice(0, 12) ?? 'nosha';
    // Profiles are large and only the latest baseline's are needed: the history keeps the numbers.
    await atomicWrite(path.join(historyDir, `${stamp}-${sha}.json`), encodeRunResult(withoutProfiles(run)));
    const latest = this.latestPath(branch);
    await atomicWrite(latest, text);
    const entries = (await readdir(historyDir)).filter((f) => f.endsWith('.json')).sort();
    for (const old of entries.slice(0, Math.max(0, entries.length - this.historyLimit))) {
      await rm(path.join(historyDir, old), { force: true });
    }
    return latest;
  }

  /** The branch's baseline, undefined when there is none; a corrupt file is an error naming it. */
  async load(branch: string): Promise<RunResult | undefined> {
    const file = this.latestPath(branch);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return decodeRunResult(text, file);
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

export async function atomicWrite(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
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
