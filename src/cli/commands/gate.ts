// `perf-gate gate`: the gate use case with the CLI's ports: the configured service, the baseline store
// of --store/--dir (pooled from the base branch's current level), --approve, and --diff-base.
import path from 'node:path';
import type { FailOn } from '../../contracts/errors.ts';
import { repositoryRoot } from '../../measure/meta.ts';
import { configuredService } from '../../measure/service.ts';
import { failingCount } from '../../verdict/decide.ts';
import { pooledBaselineStore } from '../../usecases/baseline-stores.ts';
import { gate } from '../../usecases/gate.ts';
import { approvalByFlag, knownChanges } from '../../usecases/sources.ts';
import { printVerdict } from '../output.ts';
import { actorOf, collectMeta, loadWithLogger, withTrials, writeJson } from '../shared.ts';
import { openStore, type StoreFlags } from '../store.ts';
import type { CliIo } from '../context.ts';

export interface GateFlags extends StoreFlags {
  config: string;
  diffBase?: string;
  target?: string;
  baselineUrl?: string;
  branch?: string;
  seed?: number;
  approve?: string;
  failOn: FailOn;
  trials?: number;
  outDir?: string;
  templateDir?: string;
  json?: boolean;
}

export async function gateCommand(io: CliIo, flags: GateFlags): Promise<number> {
  const { config, redactor, logger } = await loadWithLogger(io, flags);
  const branch = flags.branch ?? (io.env.GITHUB_BASE_REF || 'main');
  const outDir = path.resolve(io.cwd, flags.outDir ?? config.outputDir);
  const meta = collectMeta(io);
  const { result, exitCode } = await gate(
    {
      scenarios: withTrials(config.scenarios, flags.trials),
      limits: config.generator,
      thresholds: config.thresholds,
      invalidTrials: config.invalidTrials,
      ...(config.adaptive ? { adaptive: config.adaptive } : {}),
      redactor,
      meta,
      baselineBranch: branch,
      ...(flags.baselineUrl ? { baselineUrl: flags.baselineUrl } : {}),
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      failOn: flags.failOn,
      outDir,
      // The profiled code lives where the service ran (its checkout), else in this checkout.
      repoRoot: repositoryRoot(config.service?.cwd ?? io.cwd),
      context: {
        baseBranch: branch,
        ...(meta.git?.ref ? { branch: meta.git.ref } : {}),
        ...(meta.git?.sha ? { sha: meta.git.sha } : {}),
      },
      ...(config.rightsizing ? { rightsizing: config.rightsizing } : {}),
      ...(flags.templateDir ? { templateDir: path.resolve(io.cwd, flags.templateDir) } : {}),
    },
    {
      logger,
      store: pooledBaselineStore(openStore(io, flags, config.baselineDir, logger, redactor), logger),
      processes: configuredService(config, { env: io.env, logger, redactor }),
      changes: knownChanges(
        flags.diffBase ? { diffBase: flags.diffBase } : { unavailable: 'no --diff-base given' },
      ),
      approvals: approvalByFlag(flags.approve, actorOf(io)),
    },
  );
  printVerdict(io, result.comparison, result.verdict, result.candidate);
  logger.info(`results in ${path.relative(io.cwd, outDir) || outDir} (report.json, comment.md, summary.md)`);
  if (flags.json) {
    writeJson(io, {
      verdict: result.verdict,
      failing: failingCount(result.verdict),
      comparison: result.comparison ?? null,
    });
  }
  return exitCode;
}
