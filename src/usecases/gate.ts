// The gate use case, whole: approval -> measure (the target started around it) -> load the baseline and
// its recent history -> compare -> decide (adaptive looks in between) -> attribute -> build the report ->
// write the files. Every shell (CLI `gate`, the Action, the demo) runs the gate through this function and
// only maps its inputs in and the result out. A failed gate is a result (with its exit code), not an error.
import path from 'node:path';
import type { Comparison } from '../compare/types.ts';
import type { AdaptiveSettings } from './adaptive.ts';
import { exitForOutcome, type FailOn } from '../contracts/errors.ts';
import { writeGateReport } from './gate-report.ts';
import { keepPartialRun } from './partial-run.ts';
import { runGate, type GateResult } from './measure-and-decide.ts';
import type { ReportJson } from '../report/model/report-json.ts';
import type { ReportContext } from '../contracts/report.ts';
import type { RenderedReport } from '../report/report.ts';
import type { RunMeta } from '../contracts/run-result.ts';
import type { RightsizingSettings } from '../rightsizing/index.ts';
import type { GeneratorLimits, Scenario } from '../scenario/model.ts';
import { atomicWrite } from '../util/atomic-write.ts';
import { encodeRunResult } from '../store/codec/run-result-codec.ts';
import type { Redactor } from '../util/redact.ts';
import type { Thresholds } from '../compare/rules.ts';
import type { InvalidTrialPolicy } from '../verdict/trial-loss.ts';
import { aimedAt } from './measure.ts';
import { systemClock, type Clock, type Logger } from '../contracts/ports.ts';
import { type ApprovalSource, type ChangesSource } from './ports.ts';
import { type BaselineStore } from '../store/types.ts';
import { type ProcessStarter } from '../measure/process-starter.ts';

export interface GateInput {
  scenarios: Scenario[];
  limits: GeneratorLimits;
  thresholds: Thresholds;
  invalidTrials?: InvalidTrialPolicy;
  adaptive?: AdaptiveSettings;
  redactor: Redactor;
  meta: Pick<RunMeta, 'git' | 'tool' | 'host'>;
  /** Stored mode: the branch whose baseline is the reference (usually the pull request's base). */
  baselineBranch: string;
  /** Paired mode when set: the baseline deployment re-measured in this job. */
  baselineUrl?: string;
  /** Paired mode: seed of the pair order. */
  seed?: number;
  failOn: FailOn;
  /** Where run.json, comparison.json, verdict.json and the report files go. */
  outDir: string;
  /** The checkout the profiled code lives in (frames map into it; sources are read from it). */
  repoRoot: string;
  /** Links in the comment are relative to this directory (default: repoRoot). */
  linkBase?: string;
  context: ReportContext;
  rightsizing?: RightsizingSettings;
  templateDir?: string;
  reportArtifact?: string;
  /** Whole-process CPU profiles of started services (the demo's `--cpu-prof`). */
  processProfiles?: { baselineDir: string; candidateDir: string };
}

export interface GatePorts {
  logger: Logger;
  clock?: Clock;
  /** Stored mode's baselines; absent: every run is "no baseline yet". */
  store?: BaselineStore;
  processes: ProcessStarter;
  changes: ChangesSource;
  approvals: ApprovalSource;
}

export interface GateOutcome {
  result: GateResult;
  comparison?: Comparison;
  report: ReportJson;
  rendered: RenderedReport;
  /** Every file written, by name. */
  files: {
    run: string;
    baselineRun?: string;
    comparison?: string;
    verdict: string;
    pairing?: string;
    report: string;
    comment: string;
    summary: string;
    html: string;
    artifacts: string[];
  };
  /** 0 pass, 1 the gate failed under `failOn`. */
  exitCode: number;
}

async function writeJsonFile(file: string, value: unknown): Promise<string> {
  await atomicWrite(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

export async function gate(input: GateInput, ports: GatePorts): Promise<GateOutcome> {
  const { logger } = ports;
  const clock = ports.clock ?? systemClock;
  const approval = await ports.approvals.approval();
  const runFile = path.join(input.outDir, 'run.json');
  const result = await keepPartialRun(runFile, logger, () =>
    ports.processes.around((setup) =>
      runGate({
        scenarios: aimedAt(input.scenarios, setup),
        limits: input.limits,
        thresholds: input.thresholds,
        logger,
        redactor: input.redactor,
        meta: input.meta,
        baselineBranch: input.baselineBranch,
        ...(input.invalidTrials ? { invalidTrials: input.invalidTrials } : {}),
        ...(ports.store ? { store: ports.store } : {}),
        ...(input.baselineUrl ? { baselineUrl: input.baselineUrl } : {}),
        ...(input.seed !== undefined ? { seed: input.seed } : {}),
        ...(approval ? { approval } : {}),
        ...(setup.probe ? { probe: setup.probe } : {}),
        ...(setup.profiler ? { profiler: setup.profiler } : {}),
        ...(setup.baselineProfiler ? { baselineProfiler: setup.baselineProfiler } : {}),
        ...(input.adaptive ? { adaptive: input.adaptive } : {}),
      }),
    ),
  );
  await atomicWrite(runFile, encodeRunResult(result.candidate));
  const baselineRun =
    result.mode === 'paired' && result.baseline ? path.join(input.outDir, 'baseline-run.json') : undefined;
  if (baselineRun && result.baseline) await atomicWrite(baselineRun, encodeRunResult(result.baseline));
  const comparison = result.comparison
    ? await writeJsonFile(path.join(input.outDir, 'comparison.json'), result.comparison)
    : undefined;
  const verdict = await writeJsonFile(path.join(input.outDir, 'verdict.json'), result.verdict);
  const pairing = result.pairing
    ? await writeJsonFile(path.join(input.outDir, 'pairing.json'), result.pairing)
    : undefined;

  // Explain regressions with the change under test (asked after measuring: the pull request may have moved).
  const changes = await ports.changes.changes();
  const analysis = result.mode === 'stored' ? ports.store?.analysis : undefined;
  const { report, rendered, files, artifacts } = await writeGateReport({
    result,
    outDir: input.outDir,
    repoRoot: input.repoRoot,
    redactor: input.redactor,
    context: input.context,
    generatedAt: clock.now().toISOString(),
    ...('files' in changes ? { changes: changes.files } : {}),
    ...('diffBase' in changes ? { diffBase: changes.diffBase } : {}),
    ...('unavailable' in changes ? { changesUnavailable: changes.unavailable } : {}),
    ...(input.linkBase ? { linkBase: input.linkBase } : {}),
    ...(input.rightsizing ? { rightsizing: input.rightsizing } : {}),
    ...(input.templateDir ? { templateDir: input.templateDir } : {}),
    ...(input.reportArtifact ? { reportArtifact: input.reportArtifact } : {}),
    ...(input.processProfiles ? { processProfiles: input.processProfiles } : {}),
    ...(analysis ? { history: analysis } : {}),
  });
  return {
    result,
    ...(result.comparison ? { comparison: result.comparison } : {}),
    report,
    rendered,
    files: {
      run: runFile,
      ...(baselineRun ? { baselineRun } : {}),
      ...(comparison ? { comparison } : {}),
      verdict,
      ...(pairing ? { pairing } : {}),
      ...files,
      artifacts,
    },
    exitCode: exitForOutcome(result.verdict.outcome, input.failOn),
  };
}
