// `perf-gate history`: change points, creep and notes on the stored history of a branch.
// `perf-gate baseline mark-bad <run>`: exclude a poisoned run from the baseline and the history, audited.
// Both read the file store (--dir) or, with --store git (or --remote), the git data branch the Action writes.
import os from 'node:os';
import { analyzeHistory } from '../../history/analyze.ts';
import { historyText } from '../../history/format.ts';
import { createRng } from '../../stats/rng.ts';
import { UsageError } from '../../contracts/errors.ts';
import type { Logger } from '../../contracts/ports.ts';
import type { HistoryStore } from '../../store/types.ts';
import { createStderrLogger } from '../logger.ts';
import { loadSettings, writeJson } from '../shared.ts';
import { resolveBranch } from './baseline.ts';
import { openStore, type StoreFlags } from '../store.ts';
import type { CliIo } from '../context.ts';

export interface HistoryStoreFlags extends StoreFlags {
  branch?: string;
  /** perf-gate.yml, for its baseline.dir (default: ./perf-gate.yml when present). */
  config?: string;
  json?: boolean;
}

/** The store a history command reads: the data branch of `--store git`/`--remote`, else the directory. */
async function historyStore(io: CliIo, flags: HistoryStoreFlags, logger: Logger): Promise<HistoryStore> {
  // Like every command: --dir, else the config's baseline.dir, else the default directory.
  const git = flags.store === 'git' || flags.remote !== undefined;
  const settings = flags.dir || git ? undefined : await loadSettings(io, flags.config, logger);
  return openStore(io, flags, settings?.baselineDir, logger);
}

export async function historyCommand(
  io: CliIo,
  flags: HistoryStoreFlags & { seed?: number; minChange?: number; window?: number },
): Promise<number> {
  const logger = createStderrLogger({ stream: io.stderr });
  const branch = resolveBranch(io, flags.branch);
  const data = await (await historyStore(io, flags, logger)).readHistory(branch);
  if (data.entries.length === 0) {
    logger.info(`no history stored for branch ${branch}`);
    if (flags.json) writeJson(io, { branch, runs: 0 });
    return 0;
  }
  const seed = flags.seed ?? 1;
  const min = flags.minChange;
  const analysis = analyzeHistory(data.entries, data.exclusions, {
    rng: createRng(seed),
    ...(min !== undefined ? { changePoints: { minRatio: min }, creep: { minRatio: min } } : {}),
    ...(flags.window !== undefined
      ? { creep: { window: flags.window, ...(min !== undefined ? { minRatio: min } : {}) } }
      : {}),
  });
  logger.info(`history of ${branch}: permutation seed ${seed}`);
  if (flags.json) {
    // Series points carry every trial: the JSON keeps the analysis, not the raw numbers.
    writeJson(io, {
      branch,
      seed,
      runs: analysis.runs,
      changePoints: analysis.changePoints,
      creep: analysis.creep,
      regimeStartId: analysis.regimeStartId ?? null,
      notes: analysis.notes,
      skipped: data.problems,
    });
    return 0;
  }
  io.stdout.write(`history of ${branch}: ${historyText(analysis)}\n`);
  return 0;
}

export async function markBadCommand(
  io: CliIo,
  run: string,
  flags: HistoryStoreFlags & { reason?: string; by?: string },
): Promise<number> {
  const logger = createStderrLogger({ stream: io.stderr });
  if (!flags.reason?.trim()) {
    throw new UsageError(
      'baseline mark-bad needs --reason "<why this run is bad>" (it goes in the audit log)',
    );
  }
  const branch = resolveBranch(io, flags.branch);
  const by = flags.by ?? io.env.GITHUB_ACTOR ?? safeUser();
  const exclusion = { run, reason: flags.reason.trim(), by, at: new Date().toISOString() };
  const { entry, auditFile } = await (await historyStore(io, flags, logger)).markBad(branch, exclusion);
  logger.info(
    `run ${entry.id}${entry.commit ? ` (${entry.commit.slice(0, 12)})` : ''} of ${branch} is excluded from its ` +
      `baseline and history; audit line written to ${auditFile}`,
  );
  if (flags.json) writeJson(io, { branch, excluded: entry.id, commit: entry.commit ?? null, auditFile, by });
  return 0;
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
