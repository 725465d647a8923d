// Adaptive trials (as Chromium's Pinpoint adds bounded re-runs): the gate looks at its data after a few
// trials and adds more only while the verdict is undecided. Each look tests at its own share of alpha
// (stats/alpha-spending.ts), so looking again never inflates false alarms; the run stops on a clear fail
// (a regression at this look's level) or a clear pass (every gating series' interval rules out its
// minimum effect), or when the trial or time budget is spent. Pure: the engine runs the trials.
import { lookSchedule, spendAlpha } from '../stats/index.ts';
import type { Comparison } from '../compare/types.ts';
import { isEquivalent } from './decide.ts';
import type { Verdict } from './types.ts';

export type StopReason = 'clear-fail' | 'clear-pass' | 'budget-trials' | 'budget-time' | 'fixed';

export interface SequentialSettings {
  /** Trials (pairs) at the first look. */
  first: number;
  /** The trial budget: at most this many trials (pairs) per scenario and side. */
  max: number;
  /** Wall-time budget for one scenario's measured trials (ms); no new look is started beyond it. */
  maxTimeMs: number;
}

export interface SequentialPlan {
  looks: number[];
  /** The level each look may spend; they sum to alpha. */
  alphas: number[];
  maxTimeMs: number;
}

export interface SequentialState {
  /** Trials (pairs) per side measured when the verdict was reached. */
  trialsUsed: number;
  maxTrials: number;
  /** 1-based index of the deciding look, and the number planned. */
  look: number;
  looksPlanned: number;
  stopReason: StopReason;
  /** Wall time of the measured trials, all scenarios. */
  elapsedMs: number;
  /** "stopped at a clear fail after 5 of 10 trials (look 2 of 4)" */
  text: string;
}

/**
 * The looks and their levels; a fixed design (first = max) is one look at alpha. Looking early pays only
 * when the budget is at least twice the first look: below that, the share of alpha an early look takes
 * costs more power at the last look than the early stop can save, so the plan is one look at the budget.
 */
export function planLooks(settings: SequentialSettings, alpha: number): SequentialPlan {
  const looks =
    settings.max < 2 * settings.first ? [settings.max] : lookSchedule(settings.first, settings.max);
  return { looks, alphas: spendAlpha(alpha, looks, settings.max), maxTimeMs: settings.maxTimeMs };
}

/** What a look says: stop and fail, stop and pass, or measure more. */
export function judgeLook(comparison: Comparison, verdict: Verdict): StopReason | null {
  if (verdict.outcome === 'fail') return 'clear-fail';
  if (verdict.outcome === 'no-baseline') return 'clear-pass';
  if (verdict.outcome === 'inconclusive') return null;
  const gating = comparison.metrics.filter((m) => m.gating);
  const settled = gating.every((m) => isEquivalent(m, m.rule.minEffect.value));
  return settled ? 'clear-pass' : null;
}

export function describeStop(state: Omit<SequentialState, 'text'>, unit: 'trials' | 'pairs'): string {
  const why: Record<StopReason, string> = {
    'clear-fail': 'stopped at a clear regression',
    'clear-pass': 'stopped at a clear pass (every interval rules out the minimum effect)',
    'budget-trials': 'used the whole trial budget without a clear answer',
    'budget-time': 'stopped at the time budget without a clear answer',
    fixed: 'fixed number of trials',
  };
  return (
    `${why[state.stopReason]} after ${state.trialsUsed} of ${state.maxTrials} ${unit}` +
    (state.looksPlanned > 1 ? ` (look ${state.look} of ${state.looksPlanned})` : '') +
    `, ${(state.elapsedMs / 1000).toFixed(0)} s`
  );
}
