// Invalid-trial accounting: a candidate that lost trials the baseline did not is a failure with its own
// reason, never a pass computed from the trials that survived. The baseline's own invalid trials are
// forgiven on the candidate's side (a runner that saturates the generator does so for both).
import type { Comparison } from '../compare/types.ts';

export interface InvalidTrialPolicy {
  /** Invalid trials the candidate may have beyond the baseline's, per scenario, before the gate fails. */
  tolerated: number;
}

export const DEFAULT_INVALID_TRIAL_POLICY: InvalidTrialPolicy = { tolerated: 1 };

export interface TrialLoss {
  scenario: string;
  baselineInvalid: number;
  candidateInvalid: number;
  tolerated: number;
  /** Why the candidate's trials were invalid, or why its run stopped. */
  reasons: string[];
  message: string;
}

/** Every scenario whose candidate lost more trials than tolerated, and a candidate run that stopped. */
export function trialLosses(comparison: Comparison, policy: InvalidTrialPolicy): TrialLoss[] {
  const losses: TrialLoss[] = [];
  if (comparison.candidateFailure) {
    const f = comparison.candidateFailure;
    const where = f.trial < 0 ? 'in its warm-up' : `in trial ${f.trial + 1}`;
    losses.push({
      scenario: f.scenario,
      baselineInvalid: 0,
      candidateInvalid: 0,
      tolerated: 0,
      reasons: [f.reason],
      message: `the candidate run stopped ${where} of ${f.scenario}: ${f.reason}`,
    });
  }
  for (const t of comparison.trials) {
    // The baseline's invalid share, scaled to the candidate's trial count: a pooled (several runs) or longer
    // baseline forgives no more than its rate, and an adaptive candidate that stopped early no less.
    const baselineTotal = t.baseline + t.invalidBaseline;
    const candidateTotal = t.candidate + t.invalidCandidate;
    const forgiven =
      baselineTotal > 0 ? Math.ceil((t.invalidBaseline / baselineTotal) * candidateTotal - 1e-9) : 0;
    const extra = t.invalidCandidate - forgiven;
    if (extra <= policy.tolerated) continue;
    const reasons = t.candidateInvalidReasons ?? [];
    losses.push({
      scenario: t.scenario,
      baselineInvalid: t.invalidBaseline,
      candidateInvalid: t.invalidCandidate,
      tolerated: policy.tolerated,
      reasons,
      message:
        `${t.scenario}: the candidate lost ${extra} trial(s) the baseline did not ` +
        `(${t.invalidCandidate} of ${candidateTotal} invalid vs ${t.invalidBaseline} of ${baselineTotal}, ` +
        `${policy.tolerated} tolerated)` +
        (reasons.length ? `: ${reasons.slice(0, 3).join('; ')}` : ''),
    });
  }
  return losses;
}

/** A baseline with invalid trials compares on fewer trials than asked: said in every verdict against it. */
export function baselineGaps(comparison: Comparison): string[] {
  return comparison.trials
    .filter((t) => t.invalidBaseline > 0)
    .map(
      (t) =>
        `${t.scenario}: the baseline has ${t.invalidBaseline} invalid trial(s), so it compares on ${t.baseline}; re-measure the baseline at a load the runner can hold`,
    );
}
