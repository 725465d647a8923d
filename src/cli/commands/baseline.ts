import path from 'node:path';
import { FileBaselineStore, readRunResult } from '../../store/file-store.ts';
import { gitInfo } from '../../engine/meta.ts';
import { RunFailure, UsageError } from '../../contracts/errors.ts';
import { runTable } from '../../report/run-summary.ts';
import { createStderrLogger } from '../logger.ts';
import { loadSettings, writeJson } from '../shared.ts';
import { baselineProblems } from '../../engine/baseline-fitness.ts';
import type { Logger } from '../../engine/ports.ts';
import type { CliIo } from '../context.ts';

export interface BaselineFlags {
  dir?: string;
  branch?: string;
  config?: string;
  json?: boolean;
}

export const DEFAULT_BASELINE_DIR = '.perf-gate/baselines';
const DEFAULT_RUN_FILE = '.perf-gate/run.json';

/** --dir, else the config's baseline.dir, else the default directory. */
async function baselineStoreFor(io: CliIo, flags: BaselineFlags, logger: Logger) {
  const settings = await loadSettings(io, flags.config, logger);
  const dir = flags.dir
    ? path.resolve(io.cwd, flags.dir)
    : (settings?.baselineDir ?? path.resolve(io.cwd, DEFAULT_BASELINE_DIR));
  return { store: new FileBaselineStore(dir), settings };
}

/** The branch a baseline belongs to: the flag, else CI's/git's current branch. */
export function resolveBranch(io: CliIo, flag?: string): string {
  if (flag) return flag;
  const ref = gitInfo(io.cwd, io.env)?.ref;
  if (!ref) throw new UsageError('cannot tell the current branch (not a git checkout?): pass --branch');
  return ref;
}

export async function baselineSaveCommand(
  io: CliIo,
  flags: BaselineFlags & { from?: string; allowInvalid?: boolean },
): Promise<number> {
  const logger = createStderrLogger({ stream: io.stderr });
  const { store, settings } = await baselineStoreFor(io, flags, logger);
  const from = flags.from
    ? path.resolve(io.cwd, flags.from)
    : settings
      ? path.join(settings.outputDir, 'run.json')
      : path.resolve(io.cwd, DEFAULT_RUN_FILE);
  const run = await readRunResult(from);
  const branch = resolveBranch(io, flags.branch);
  // A baseline with lost trials would be compared on fewer trials than asked: refused unless forced.
  const problems = baselineProblems(run, settings?.generator);
  if (run.failure) {
    throw new RunFailure(
      `${path.relative(io.cwd, from)} cannot be a baseline: ${problems[0]!.message}; fix the target and measure again`,
    );
  }
  if (problems.length && !flags.allowInvalid) {
    throw new UsageError(
      `${path.relative(io.cwd, from)} has invalid trials and was not stored as a baseline: ` +
        `${problems.map((p) => p.message).join('; ')}. Measure again, or pass --allow-invalid to store it anyway`,
    );
  }
  for (const p of problems) logger.warn(`stored anyway (--allow-invalid): ${p.message}`);
  const written = await store.save(branch, run);
  logger.info(`baseline for branch ${branch} saved to ${path.relative(io.cwd, written)}`);
  if (flags.json) writeJson(io, { branch, file: written });
  return 0;
}

export async function baselineShowCommand(io: CliIo, flags: BaselineFlags): Promise<number> {
  const logger = createStderrLogger({ stream: io.stderr });
  const branch = resolveBranch(io, flags.branch);
  const { store } = await baselineStoreFor(io, flags, logger);
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
