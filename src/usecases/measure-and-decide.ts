// The measure-decide loop of the gate (src/usecases/gate.ts runs it inside the started target): measure the
// candidate (and, in paired mode, the baseline deployment in interleaved pairs), load the stored baseline and
// its recent history otherwise, compare, decide. With adaptive trials the measuring and deciding alternate
// (adaptive.ts). A failed gate is a result, not an error.
import { compareRuns } from '../compare/compare.ts';
import { DRIFT_WINDOW } from '../compare/drift.ts';
import { runnerDifferences } from '../measure/runner-facts.ts';
import { runLooks, type AdaptiveSettings } from './adaptive.ts';
import type { SequentialState } from '../verdict/sequential.ts';
import type { Comparison } from '../compare/types.ts';
import { decide, noBaselineVerdict } from '../verdict/decide.ts';
import type { ApprovalRecord, Verdict } from '../verdict/types.ts';
import type { Thresholds } from '../compare/rules.ts';
import type { InvalidTrialPolicy } from '../verdict/trial-loss.ts';
import { measure, startMeasure } from '../measure/measure.ts';
import { startPaired, type PairOrder } from '../measure/run-paired.ts';
import type { Logger } from '../contracts/ports.ts';
import type { BaselineStore } from '../store/types.ts';
import type { RunMeta, RunResult } from '../contracts/run-result.ts';
import type { GeneratorLimits, Scenario } from '../scenario/model.ts';
import type { Redactor } from '../util/redact.ts';
import type { ProbeSetup } from '../measure/run-trials.ts';
import type { ProfilerSetup } from '../measure/profiling/trial-profiler.ts';

// The port moved to src/usecases/ports.ts; re-exported for the stores that import it from here.

export interface GateOptions {
  scenarios: Scenario[];
  limits: GeneratorLimits;
  thresholds: Thresholds;
  /** Invalid trials the candidate may have beyond the baseline's (default: one). */
  invalidTrials?: InvalidTrialPolicy;
  logger: Logger;
  redactor: Redactor;
  meta: Pick<RunMeta, 'git' | 'tool' | 'host'>;
  /** Paired mode when set: the baseline deployment to re-measure in this job. */
  baselineUrl?: string;
  seed?: number;
  /** Stored mode: the branch whose stored baseline is the reference (usually the PR's base branch). */
  baselineBranch: string;
  store?: BaselineStore;
  approval?: ApprovalRecord;
  probe?: ProbeSetup;
  /** Profiles the candidate's trials (in stored mode, the only run's). */
  profiler?: ProfilerSetup;
  /** Paired mode: profiles the baseline deployment's trials. */
  baselineProfiler?: ProfilerSetup;
  /** Adaptive trials (config `defaults.sequential`); absent: every scenario runs all its trials. */
  adaptive?: AdaptiveSettings;
}

export interface GateResult {
  mode: 'stored' | 'paired';
  candidate: RunResult;
  baseline?: RunResult;
  comparison?: Comparison;
  verdict: Verdict;
  pairing?: { seed: number; orders: PairOrder[] };
  /** How many trials the gate used and why it stopped. */
  sequential?: SequentialState;
}

export async function runGate(o: GateOptions): Promise<GateResult> {
  const decideBase = {
    thresholds: o.thresholds,
    ...(o.invalidTrials ? { invalidTrials: o.invalidTrials } : {}),
    ...(o.approval ? { approval: o.approval } : {}),
  };
  const looks = {
    ...(o.adaptive ? { adaptive: o.adaptive } : {}),
    thresholds: o.thresholds,
    logger: o.logger,
  };
  if (o.baselineUrl) {
    const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
    const paired = await startPaired({
      scenarios: o.scenarios,
      baselineUrl: o.baselineUrl,
      limits: o.limits,
      logger: o.logger,
      redactor: o.redactor,
      meta: o.meta,
      seed,
      ...(o.probe ? { probe: o.probe } : {}),
      ...(o.profiler ? { profiler: o.profiler } : {}),
      ...(o.baselineProfiler ? { baselineProfiler: o.baselineProfiler } : {}),
    });
    const result = await runLooks({
      ...looks,
      sessions: paired.sessions,
      mode: 'paired',
      evaluate: (lookAlpha, sequential) => {
        const runs = paired.finish();
        const comparison = compareRuns(runs.baseline, runs.candidate, {
          mode: 'paired',
          thresholds: o.thresholds,
        });
        return { comparison, verdict: decide(comparison, { ...decideBase, lookAlpha, sequential }) };
      },
    });
    const runs = paired.finish();
    return {
      mode: 'paired',
      candidate: runs.candidate,
      baseline: runs.baseline,
      comparison: result.comparison,
      verdict: result.verdict,
      pairing: { seed: runs.seed, orders: runs.orders },
      sequential: result.state,
    };
  }
  // Read the baseline before spending minutes on load: a corrupt one fails fast (exit 3).
  const baseline = o.store ? await o.store.load(o.baselineBranch) : undefined;
  if (baseline) {
    o.logger.info(
      `baseline: branch ${o.baselineBranch}, measured ${baseline.meta.finishedAt}` +
        (baseline.meta.git ? ` at ${baseline.meta.git.sha.slice(0, 12)}` : ''),
    );
    const weak = baselineWarning(baseline);
    if (weak) o.logger.warn(weak);
  } else {
    o.logger.warn(
      `no baseline stored for branch ${o.baselineBranch}: this run will be measured but not compared`,
    );
  }
  const measureOptions = {
    scenarios: o.scenarios,
    limits: o.limits,
    logger: o.logger,
    redactor: o.redactor,
    meta: o.meta,
    label: 'candidate',
    ...(o.probe ? { probe: o.probe } : {}),
    ...(o.profiler ? { profiler: o.profiler } : {}),
  };
  if (!baseline) {
    // Nothing to decide: measure every trial (this run may become a baseline).
    const candidate = await measure(measureOptions);
    return {
      mode: 'stored',
      candidate,
      verdict: noBaselineVerdict(o.thresholds, `no baseline stored for branch ${o.baselineBranch}`),
    };
  }
  const history = o.store?.recentRuns ? await o.store.recentRuns(o.baselineBranch, DRIFT_WINDOW) : [];
  const differences = runnerDifferences(baseline.meta, { ...o.meta });
  if (differences.length) {
    o.logger.warn(
      `the candidate runs on a different runner than the baseline (${differences.join('; ')}): ` +
        'stored numbers are less comparable; paired mode (--baseline-url) avoids this',
    );
  }
  const measurement = await startMeasure(measureOptions);
  const result = await runLooks({
    ...looks,
    sessions: measurement.sessions,
    mode: 'stored',
    evaluate: (lookAlpha, sequential) => {
      const comparison = compareRuns(baseline, measurement.finish(), {
        mode: 'stored',
        thresholds: o.thresholds,
        history,
      });
      const verdict = decide(comparison, {
        ...decideBase,
        lookAlpha,
        sequential,
        ...(differences.length ? { runnerDifferences: differences } : {}),
      });
      return { comparison, verdict };
    },
  });
  return {
    mode: 'stored',
    candidate: measurement.finish(),
    baseline,
    comparison: result.comparison,
    verdict: result.verdict,
    sequential: result.state,
  };
}

/** A stored baseline with invalid trials compares on fewer trials than asked: said loudly at every gate. */
export function baselineWarning(baseline: RunResult): string | undefined {
  const weak = baseline.scenarios.filter((s) => s.trials.some((t) => !t.valid));
  if (!weak.length && !baseline.failure) return undefined;
  const parts = weak.map(
    (s) =>
      `${s.name}: ${s.trials.filter((t) => !t.valid).length} of ${s.trials.length} trials invalid ` +
      `(${[...new Set(s.trials.flatMap((t) => t.invalidReasons))].slice(0, 2).join('; ')})`,
  );
  if (baseline.failure) parts.unshift(`its run stopped part-way: ${baseline.failure.reason}`);
  return `the stored baseline is weak: ${parts.join('; ')}; re-measure it at a load this runner can hold`;
}
