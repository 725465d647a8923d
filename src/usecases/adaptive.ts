// The adaptive trial loop: measure every scenario up to the next look, compare and decide at that look's
// share of alpha, stop on a clear fail or a clear pass, else add trials until the trial or time budget is
// spent (the procedure and its proof are in verdict/sequential.ts and docs/statistics.md).
import type { Comparison } from '../compare/types.ts';
import type { Verdict } from '../verdict/types.ts';
import type { Thresholds } from '../compare/rules.ts';
import {
  describeStop,
  judgeLook,
  planLooks,
  type SequentialPlan,
  type SequentialState,
  type StopReason,
} from '../verdict/sequential.ts';
import type { Logger } from '../contracts/ports.ts';
import type { Scenario } from '../scenario/model.ts';

export interface AdaptiveSettings {
  /** Trials (pairs) at the first look. */
  first: number;
  /** Wall-time budget for the measured trials of all scenarios (ms). */
  maxTimeMs: number;
}

/** A scenario that can be measured further (stored-mode and paired sessions). */
export interface Extendable {
  readonly scenario: Scenario;
  readonly count: number;
  extendTo(n: number): Promise<void>;
}

export interface LookOptions {
  sessions: Extendable[];
  /** Absent: a fixed number of trials, one look at alpha. */
  adaptive?: AdaptiveSettings;
  thresholds: Thresholds;
  mode: 'stored' | 'paired';
  logger: Logger;
  /** Compares the trials measured so far and decides at `lookAlpha`, recording `state` in the verdict. */
  evaluate(lookAlpha: number, state: SequentialState): { comparison: Comparison; verdict: Verdict };
  clock?: () => number;
}

export interface LookResult {
  comparison: Comparison;
  verdict: Verdict;
  state: SequentialState;
}

function planFor(o: LookOptions): SequentialPlan {
  const max = Math.max(...o.sessions.map((s) => s.scenario.trials));
  if (!o.adaptive) return { looks: [max], alphas: [o.thresholds.alpha], maxTimeMs: Infinity };
  return planLooks(
    { first: Math.min(o.adaptive.first, max), max, maxTimeMs: o.adaptive.maxTimeMs },
    o.thresholds.alpha,
  );
}

export async function runLooks(o: LookOptions): Promise<LookResult> {
  const clock = o.clock ?? (() => performance.now());
  const plan = planFor(o);
  const unit = o.mode === 'paired' ? 'pairs' : 'trials';
  const max = plan.looks[plan.looks.length - 1]!;
  const start = clock();
  if (plan.looks.length > 1) {
    o.logger.info(
      `adaptive trials: looks after ${plan.looks.join(', ')} ${unit}, each at its share of alpha ` +
        `(${plan.alphas.map((a) => a.toPrecision(2)).join(', ')}); stops on a clear fail or pass`,
    );
  }
  for (let k = 0; ; k++) {
    const look = plan.looks[k]!;
    for (const s of o.sessions) await s.extendTo(look);
    const elapsedMs = clock() - start;
    const base = {
      trialsUsed: look,
      maxTrials: max,
      look: k + 1,
      looksPlanned: plan.looks.length,
      elapsedMs,
    };
    const provisional: SequentialState = { ...base, stopReason: 'fixed', text: '' };
    const first = o.evaluate(plan.alphas[k]!, provisional);
    let stop: StopReason | null =
      plan.looks.length === 1 ? 'fixed' : judgeLook(first.comparison, first.verdict);
    const last = k === plan.looks.length - 1;
    if (!stop && last) stop = 'budget-trials';
    if (!stop) {
      // Would the next look end beyond the time budget? Judge by the time per trial so far.
      const measured = o.sessions.reduce((n, s) => n + s.count, 0);
      const next = plan.looks[k + 1]!;
      const toAdd = o.sessions.reduce(
        (n, s) => n + Math.max(0, Math.min(next, s.scenario.trials) - s.count),
        0,
      );
      if (elapsedMs + (elapsedMs / Math.max(measured, 1)) * toAdd > plan.maxTimeMs) stop = 'budget-time';
    }
    if (!stop) {
      o.logger.info(`look ${k + 1} of ${plan.looks.length} after ${look} ${unit}: undecided, adding trials`);
      continue;
    }
    const state: SequentialState = {
      ...base,
      stopReason: stop,
      text: describeStop({ ...base, stopReason: stop }, unit),
    };
    const final = o.evaluate(plan.alphas[k]!, state);
    if (plan.looks.length > 1) o.logger.info(`adaptive trials: ${state.text}`);
    return { ...final, state };
  }
}
