// `perf-gate baseline save` and `baseline show`: a saved run stored as a branch's baseline (through the
// store-baseline use case, which refuses a run with invalid trials), and the stored baseline shown. Both
// work on the file store (--dir) or the Action's data branch (--store git).
import path from 'node:path';
import { readRunResult } from '../../store/file-store.ts';
import { gitInfo } from '../../measure/meta.ts';
import { UsageError } from '../../contracts/errors.ts';
import { runTable } from '../../report/run-summary.ts';
import { storeBaseline } from '../../usecases/store-baseline.ts';
import { createStderrLogger } from '../logger.ts';
import { loadSettings, writeJson } from '../shared.ts';
import { openStore, storeLabel, storeSettings, type StoreFlags } from '../store.ts';
import type { CliIo } from '../context.ts';

export interface BaselineFlags extends StoreFlags {
  branch?: string;
  config?: string;
  json?: boolean;
}

const DEFAULT_RUN_FILE = '.perf-gate/run.json';

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
  const settings = await loadSettings(io, flags.config, logger);
  const from = flags.from
    ? path.resolve(io.cwd, flags.from)
    : settings
      ? path.join(settings.outputDir, 'run.json')
      : path.resolve(io.cwd, DEFAULT_RUN_FILE);
  const run = await readRunResult(from);
  const branch = resolveBranch(io, flags.branch);
  const { where } = await storeBaseline(
    {
      run,
      branch,
      source: path.relative(io.cwd, from),
      ...(settings ? { limits: settings.generator } : {}),
      invalid: flags.allowInvalid ? 'allow-invalid' : 'refuse',
    },
    { store: openStore(io, flags, settings?.baselineDir, logger), logger },
  );
  const shown = path.isAbsolute(where) ? path.relative(io.cwd, where) : where;
  logger.info(`baseline for branch ${branch} saved to ${shown}`);
  if (flags.json) writeJson(io, { branch, file: where });
  return 0;
}

export async function baselineShowCommand(io: CliIo, flags: BaselineFlags): Promise<number> {
  const logger = createStderrLogger({ stream: io.stderr });
  const branch = resolveBranch(io, flags.branch);
  const settings = await loadSettings(io, flags.config, logger);
  const where = storeSettings(io, flags, settings?.baselineDir);
  const store = openStore(io, flags, settings?.baselineDir, logger);
  const run = await store.load(branch);
  if (!run) {
    logger.info(
      `no baseline stored for branch ${branch} in ${where.kind === 'file' ? where.dir : storeLabel(io, where)}`,
    );
    if (flags.json) writeJson(io, { branch, baseline: null });
    return 0;
  }
  const history = await store.history(branch);
  if (flags.json) {
    const shown = (h: string) => (path.isAbsolute(h) ? path.relative(io.cwd, h) : h);
    writeJson(io, { branch, baseline: run, history: history.map(shown) });
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
