import path from 'node:path';
import { FileBaselineStore, readRunResult } from '../../store/file-store.ts';
import { gitInfo } from '../../engine/meta.ts';
import { UsageError } from '../../engine/errors.ts';
import { runTable } from '../../report/run-summary.ts';
import { createStderrLogger } from '../logger.ts';
import { writeJson } from '../shared.ts';
import type { CliIo } from '../context.ts';

export interface BaselineFlags {
  dir?: string;
  branch?: string;
  json?: boolean;
}

export const DEFAULT_BASELINE_DIR = '.perf-gate/baselines';

/** The branch a baseline belongs to: the flag, else CI's/git's current branch. */
export function resolveBranch(io: CliIo, flag?: string): string {
  if (flag) return flag;
  const ref = gitInfo(io.cwd, io.env)?.ref;
  if (!ref) throw new UsageError('cannot tell the current branch (not a git checkout?): pass --branch');
  return ref;
}

export async function baselineSaveCommand(
  io: CliIo,
  flags: BaselineFlags & { from?: string },
): Promise<number> {
  const logger = createStderrLogger({ stream: io.stderr });
  const from = path.resolve(io.cwd, flags.from ?? '.perf-gate/run.json');
  const run = await readRunResult(from);
  const branch = resolveBranch(io, flags.branch);
  const store = new FileBaselineStore(path.resolve(io.cwd, flags.dir ?? DEFAULT_BASELINE_DIR));
  const written = await store.save(branch, run);
  logger.info(`baseline for branch ${branch} saved to ${path.relative(io.cwd, written)}`);
  if (flags.json) writeJson(io, { branch, file: written });
  return 0;
}

export async function baselineShowCommand(io: CliIo, flags: BaselineFlags): Promise<number> {
  const logger = createStderrLogger({ stream: io.stderr });
  const branch = resolveBranch(io, flags.branch);
  const store = new FileBaselineStore(path.resolve(io.cwd, flags.dir ?? DEFAULT_BASELINE_DIR));
  const run = await store.load(branch);
  if (!run) {
    logger.info(`no baseline stored for branch ${branch} in ${store.dir}`);
    if (flags.json) writeJson(io, { branch, baseline: null });
    return 0;
  }
  const history = await store.history(branch);
  if (flags.json) {
    writeJson(io, { branch, baseline: run, history: history.map((h) => path.relative(io.cwd, h)) });
    return 0;
  }
  const git = run.meta.git
    ? ` at ${run.meta.git.sha.slice(0, 12)}${run.meta.git.ref ? ` (${run.meta.git.ref})` : ''}`
    : '';
  io.stdout.write(
    `baseline for ${branch}: measured ${run.meta.finishedAt}${git}, ${history.length} run(s) in history\n\n` +
      `${runTable(run)}\n`,
  );
  return 0;
}
