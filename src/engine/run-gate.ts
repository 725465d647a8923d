// The gate use case: measure the candidate (and, in paired mode, the baseline deployment in interleaved
// pairs), load the stored baseline otherwise, compare, decide. A failed gate is a result, not an error.
import { compareRuns } from '../compare/compare.ts';
import type { Comparison } from '../compare/types.ts';
import { decide, noBaselineVerdict } from '../verdict/decide.ts';
import type { ApprovalRecord, Verdict } from '../verdict/types.ts';
import type { Thresholds } from '../verdict/thresholds.ts';
import type { InvalidTrialPolicy } from '../verdict/trial-loss.ts';
import { measure } from './measure.ts';
import { measurePaired, type PairOrder } from './run-paired.ts';
import type { Logger } from './ports.ts';
import type { RunMeta, RunResult } from '../results/run-result.ts';
import type { GeneratorLimits, Scenario } from '../scenario/model.ts';
import type { Redactor } from '../util/redact.ts';
import type { ProbeSetup } from './run-trials.ts';
import type { PprofSetup } from './pprof-capture.ts';

/** Where baselines live (file store, git data branch). */
export interface BaselineStore {
  load(branch: string): Promise<RunResult | undefined>;
  save(branch: string, run: RunResult): Promise<string>;
}

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
  pprof?: PprofSetup;
}

export interface GateResult {
  mode: 'stored' | 'paired';
  candidate: RunResult;
  baseline?: RunResult;
  comparison?: Comparison;
  verdict: Verdict;
  pairing?: { seed: number; orders: PairOrder[] };
}

export async function runGate(o: GateOptions): Promise<GateResult> {
  const decideOptions = {
    thresholds: o.thresholds,
    ...(o.invalidTrials ? { invalidTrials: o.invalidTrials } : {}),
    ...(o.approval ? { approval: o.approval } : {}),
  };
  if (o.baselineUrl) {
    const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
    const runs = await measurePaired({
      scenarios: o.scenarios,
      baselineUrl: o.baselineUrl,
      limits: o.limits,
      logger: o.logger,
      redactor: o.redactor,
      meta: o.meta,
      seed,
      ...(o.probe ? { probe: o.probe } : {}),
      ...(o.pprof ? { pprof: o.pprof } : {}),
    });
    const comparison = compareRuns(runs.baseline, runs.candidate, {
      mode: 'paired',
      thresholds: o.thresholds,
    });
    return {
      mode: 'paired',
      candidate: runs.candidate,
      baseline: runs.baseline,
      comparison,
      verdict: decide(comparison, decideOptions),
      pairing: { seed: runs.seed, orders: runs.orders },
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
  const candidate = await measure({
    scenarios: o.scenarios,
    limits: o.limits,
    logger: o.logger,
    redactor: o.redactor,
    meta: o.meta,
    label: 'candidate',
    ...(o.probe ? { probe: o.probe } : {}),
    ...(o.pprof ? { pprof: o.pprof } : {}),
  });
  if (!baseline) {
    return {
      mode: 'stored',
      candidate,
      verdict: noBaselineVerdict(o.thresholds, `no baseline stored for branch ${o.baselineBranch}`),
    };
  }
  const comparison = compareRuns(baseline, candidate, { mode: 'stored', thresholds: o.thresholds });
  return { mode: 'stored', candidate, baseline, comparison, verdict: decide(comparison, decideOptions) };
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
