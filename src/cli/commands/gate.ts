import path from 'node:path';
import { compareRuns } from '../../compare/compare.ts';
import { decide, failingCount } from '../../verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../compare/rules.ts';
import type { ApprovalRecord, Verdict } from '../../verdict/types.ts';
import type { Comparison } from '../../compare/types.ts';
import { exitForOutcome, type FailOn } from '../../contracts/errors.ts';
import { baselineWarning, runGate } from '../../engine/run-gate.ts';
import { withService } from '../../engine/service.ts';
import { repositoryRoot } from '../../engine/meta.ts';
import { FileBaselineStore, atomicWrite, readRunResult } from '../../store/file-store.ts';
import { encodeRunResult } from '../../store/codec/run-result-codec.ts';
import { RegimeBaselineStore } from '../../store/regime-baseline.ts';
import { comparisonTable, verdictText } from '../../report/comparison-table.ts';
import { failureLines } from '../../report/run-summary.ts';
import type { RunResult } from '../../contracts/run-result.ts';
import { writeGateReport } from '../../engine/gate-report.ts';
import { createStderrLogger } from '../logger.ts';
import { collectMeta, loadSettings, loadWithLogger, writeJson } from '../shared.ts';
import { keepPartialRun } from '../../engine/partial-run.ts';
import type { CliIo } from '../context.ts';

export interface GateFlags {
  config: string;
  diffBase?: string;
  target?: string;
  baselineUrl?: string;
  branch?: string;
  dir?: string;
  seed?: number;
  approve?: string;
  failOn: FailOn;
  trials?: number;
  outDir?: string;
  json?: boolean;
}

async function writeOutputs(dir: string, files: Record<string, unknown>): Promise<string[]> {
  const written: string[] = [];
  for (const [name, value] of Object.entries(files)) {
    if (value === undefined) continue;
    const file = path.join(dir, name);
    await atomicWrite(file, `${JSON.stringify(value, null, 2)}\n`);
    written.push(file);
  }
  return written;
}

function approvalFrom(reason: string | undefined, io: CliIo): ApprovalRecord | undefined {
  if (!reason) return undefined;
  const by = io.env.GITHUB_ACTOR || io.env.USER;
  return { source: 'flag', reason, ...(by ? { by } : {}) };
}

function report(
  io: CliIo,
  comparison: Comparison | undefined,
  verdict: Verdict,
  candidate: RunResult,
  all = false,
): void {
  if (comparison) io.stdout.write(`\n${comparisonTable(comparison, verdict, all)}\n`);
  // Which statuses and socket errors the failed requests got: the error rate alone does not say.
  const failures = failureLines(candidate, 'candidate');
  if (failures) io.stdout.write(`\n${failures}\n`);
  io.stdout.write(`\n${verdictText(verdict)}\n`);
}

/** `perf-gate gate`: measure, compare with the stored baseline (or the paired baseline URL), decide. */
export async function gateCommand(io: CliIo, flags: GateFlags): Promise<number> {
  const { config, redactor, logger } = await loadWithLogger(io, flags);
  const scenarios = config.scenarios.map((s) => (flags.trials ? { ...s, trials: flags.trials } : s));
  const branch = flags.branch ?? (io.env.GITHUB_BASE_REF || 'main');
  // The baseline is pooled from the base branch's current level (runs after its last change point).
  const store = new RegimeBaselineStore(
    new FileBaselineStore(flags.dir ? path.resolve(io.cwd, flags.dir) : config.baselineDir, undefined, {
      logger,
    }),
    { logger },
  );
  const approval = approvalFrom(flags.approve, io);
  const outDir = path.resolve(io.cwd, flags.outDir ?? config.outputDir);
  const result = await keepPartialRun(path.join(outDir, 'run.json'), logger, () =>
    withService(config, { env: io.env, logger, redactor }, (probe, profilers) =>
      runGate({
        scenarios,
        limits: config.generator,
        thresholds: config.thresholds,
        invalidTrials: config.invalidTrials,
        logger,
        redactor,
        meta: collectMeta(io),
        baselineBranch: branch,
        store,
        ...(flags.baselineUrl ? { baselineUrl: flags.baselineUrl } : {}),
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
        ...(approval ? { approval } : {}),
        ...(probe ? { probe } : {}),
        ...profilers,
        ...(config.adaptive ? { adaptive: config.adaptive } : {}),
      }),
    ),
  );
  await atomicWrite(path.join(outDir, 'run.json'), encodeRunResult(result.candidate));
  if (result.mode === 'paired' && result.baseline) {
    await atomicWrite(path.join(outDir, 'baseline-run.json'), encodeRunResult(result.baseline));
  }
  await writeOutputs(outDir, {
    'comparison.json': result.comparison,
    'verdict.json': result.verdict,
    ...(result.pairing ? { 'pairing.json': result.pairing } : {}),
  });
  await writeGateReport({
    result,
    outDir,
    // The profiled code lives where the service ran (its checkout), else in this checkout.
    repoRoot: repositoryRoot(config.service?.cwd ?? io.cwd),
    redactor,
    context: {
      baseBranch: branch,
      ...(result.candidate.meta.git?.ref ? { branch: result.candidate.meta.git.ref } : {}),
      ...(result.candidate.meta.git?.sha ? { sha: result.candidate.meta.git.sha } : {}),
    },
    ...(config.rightsizing ? { rightsizing: config.rightsizing } : {}),
    ...(flags.diffBase ? { diffBase: flags.diffBase } : { changesUnavailable: 'no --diff-base given' }),
    ...(result.mode === 'stored' && store.analysis ? { history: store.analysis } : {}),
  });
  report(io, result.comparison, result.verdict, result.candidate);
  logger.info(`results in ${path.relative(io.cwd, outDir) || outDir} (report.json, comment.md, summary.md)`);
  if (flags.json) {
    writeJson(io, {
      verdict: result.verdict,
      failing: failingCount(result.verdict),
      comparison: result.comparison ?? null,
    });
  }
  return exitForOutcome(result.verdict.outcome, flags.failOn);
}

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

/** `perf-gate compare`: two saved RunResults -> comparison.json and verdict.json, without re-running. */
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
  const approval = approvalFrom(flags.approve, io);
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
  else report(io, comparison, verdict, candidate, flags.all);
  logger.info(`wrote ${written.map((w) => path.relative(io.cwd, w)).join(', ')}`);
  return exitForOutcome(verdict.outcome, flags.failOn);
}
