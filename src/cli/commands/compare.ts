// `perf-gate compare`: two saved RunResults -> comparison.json, verdict.json and the report, without
// re-running load.
import path from 'node:path';
import { compareRuns } from '../../compare/compare.ts';
import { decide, failingCount } from '../../verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../compare/rules.ts';
import type { FailOn } from '../../contracts/errors.ts';
import { exitForOutcome } from '../../contracts/errors.ts';
import { baselineWarning } from '../../usecases/measure-and-decide.ts';
import { writeGateReport } from '../../usecases/gate-report.ts';
import { readRunResult } from '../../store/file-store.ts';
import { atomicWrite } from '../../util/atomic-write.ts';
import { approvalByFlag } from '../../usecases/sources.ts';
import { createStderrLogger } from '../logger.ts';
import { printVerdict } from '../output.ts';
import { actorOf, loadSettings, writeJson } from '../shared.ts';
import type { CliIo } from '../context.ts';

export interface CompareFlags {
  baseline: string;
  candidate: string;
  baselineProfiles?: string;
  candidateProfiles?: string;
  diffBase?: string;
  config?: string;
  paired?: boolean;
  approve?: string;
  failOn: FailOn;
  outDir?: string;
  all?: boolean;
  json?: boolean;
}

async function writeOutputs(dir: string, files: Record<string, unknown>): Promise<string[]> {
  const written: string[] = [];
  for (const [name, value] of Object.entries(files)) {
    const file = path.join(dir, name);
    await atomicWrite(file, `${JSON.stringify(value, null, 2)}\n`);
    written.push(file);
  }
  return written;
}

export async function compareCommand(io: CliIo, flags: CompareFlags): Promise<number> {
  const logger = createStderrLogger({ stream: io.stderr });
  // The same thresholds, budgets and tolerance as the gate: ./perf-gate.yml unless --config says otherwise.
  const settings = await loadSettings(io, flags.config, logger);
  const thresholds = settings?.thresholds ?? DEFAULT_THRESHOLDS;
  const baseline = await readRunResult(path.resolve(io.cwd, flags.baseline));
  const candidate = await readRunResult(path.resolve(io.cwd, flags.candidate));
  const weak = baselineWarning(baseline);
  if (weak) logger.warn(weak.replace('the stored baseline', 'the baseline'));
  const mode = flags.paired ? 'paired' : 'stored';
  const comparison = compareRuns(baseline, candidate, { mode, thresholds });
  const approval = await approvalByFlag(flags.approve, actorOf(io)).approval();
  const verdict = decide(comparison, {
    thresholds,
    ...(settings ? { invalidTrials: settings.invalidTrials } : {}),
    ...(approval ? { approval } : {}),
  });
  const outDir = path.resolve(
    io.cwd,
    flags.outDir ?? settings?.outputDir ?? path.dirname(path.resolve(io.cwd, flags.candidate)),
  );
  const written = await writeOutputs(outDir, { 'comparison.json': comparison, 'verdict.json': verdict });
  const { files, artifacts } = await writeGateReport({
    result: { mode, candidate, baseline, comparison, verdict },
    outDir,
    repoRoot: io.cwd,
    context: {
      ...(candidate.meta.git?.ref ? { branch: candidate.meta.git.ref } : {}),
      ...(baseline.meta.git?.ref ? { baseBranch: baseline.meta.git.ref } : {}),
      ...(candidate.meta.git?.sha ? { sha: candidate.meta.git.sha } : {}),
    },
    ...(flags.diffBase ? { diffBase: flags.diffBase } : { changesUnavailable: 'no --diff-base given' }),
    ...(flags.baselineProfiles && flags.candidateProfiles
      ? {
          profileDirs: {
            baseline: path.resolve(io.cwd, flags.baselineProfiles),
            candidate: path.resolve(io.cwd, flags.candidateProfiles),
          },
        }
      : {}),
  });
  written.push(files.report, files.html, files.comment, ...artifacts);
  if (flags.json) writeJson(io, { verdict, failing: failingCount(verdict), comparison });
  else printVerdict(io, comparison, verdict, candidate, flags.all);
  logger.info(`wrote ${written.map((w) => path.relative(io.cwd, w)).join(', ')}`);
  return exitForOutcome(verdict.outcome, flags.failOn);
}
