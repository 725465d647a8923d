// Whether a run can serve as a baseline: a run that stopped part-way or has invalid trials would be
// compared on fewer trials than asked (or none), so it is refused, with a load level the generator can
// hold on this runner when saturation was the reason.
import type { RunResult, ScenarioResult } from '../contracts/run-result.ts';
import type { GeneratorLimits } from '../scenario/model.ts';
import { targetBound } from '../measure/collectors/generator-health.ts';
import { requestFailures } from '../report/run-summary.ts';

export interface BaselineProblem {
  scenario: string;
  message: string;
}

/** Why this run should not be stored as a baseline; empty when it can be. */
export function baselineProblems(run: RunResult, limits?: GeneratorLimits): BaselineProblem[] {
  const problems: BaselineProblem[] = [];
  if (run.failure) {
    problems.push({
      scenario: run.failure.scenario,
      message: `the run stopped part-way (${run.failure.scenario}, ${run.failure.trial < 0 ? 'warm-up' : `trial ${run.failure.trial + 1}`}): ${run.failure.reason}`,
    });
  }
  for (const s of run.scenarios) {
    // A request that never succeeded has no latency to compare: its path or expected status is wrong,
    // or the target is broken there.
    for (const f of requestFailures(s)) {
      const ok = s.trials.reduce((n, t) => n + (t.requests.find((r) => r.name === f.request)?.ok ?? 0), 0);
      if (ok === 0) {
        problems.push({
          scenario: s.name,
          message: `${s.name} / ${f.request}: every request failed (${f.text}); check its path and expectStatus`,
        });
      }
    }
    const invalid = s.trials.filter((t) => !t.valid);
    if (!invalid.length || (run.failure && run.failure.scenario === s.name)) continue;
    const reasons = [...new Set(invalid.flatMap((t) => t.invalidReasons))];
    const hint = loadSuggestion(s, limits);
    problems.push({
      scenario: s.name,
      message:
        `${s.name}: ${invalid.length} of ${s.trials.length} trials invalid (${reasons.slice(0, 2).join('; ')})` +
        (hint ? `; ${hint}` : ''),
    });
  }
  return problems;
}

/**
 * A load the generator could hold, scaled from what the saturated trials used: the generator's CPU
 * grows about linearly with the request rate it drives.
 */
export function loadSuggestion(s: ScenarioResult, limits?: GeneratorLimits): string | undefined {
  const saturated = s.trials.filter((t) => !t.valid && !t.fault);
  if (!saturated.length) return undefined;
  const maxCpu = limits?.maxCpuCores;
  const worstCpu = Math.max(...saturated.map((t) => t.generator.cpuCores));
  const cpuShare = maxCpu && worstCpu > maxCpu ? maxCpu / worstCpu : 1;
  const rates = saturated
    // A rate the target could not absorb says nothing about what the generator can send.
    .map((t) =>
      t.generator.intendedRate && !targetBound(t.generator)
        ? (t.generator.achievedRate ?? 0) / t.generator.intendedRate
        : 1,
    )
    .filter((x) => x > 0);
  const rateShare = rates.length ? Math.min(...rates) : 1;
  const share = Math.min(cpuShare, rateShare) * 0.8;
  if (share >= 1) return undefined;
  if (s.load.model === 'closed') {
    const connections = Math.max(1, Math.floor(s.load.connections * share));
    // A closed loop sends as fast as the target answers: against a fast target only a rate bounds it.
    const okPerSec = Math.min(
      ...saturated.map(
        (t) => t.requests.reduce((n, r) => n + r.ok, 0) / Math.max(t.durationMs / 1000, 0.001),
      ),
    );
    const rate = Math.max(1, Math.floor(okPerSec * share * 0.6));
    const rateHint = `or the rate model at about rate: ${rate} (perf-gate calibrate --load finds a level)`;
    return connections < s.load.connections
      ? `this runner's generator can likely hold connections: ${connections} (was ${s.load.connections}), ${rateHint}`
      : `the generator is saturated even at connections: 1 here; use ${rateHint.slice(3)}, or a bigger runner`;
  }
  const rate = Math.max(1, Math.floor(s.load.ratePerSec * share));
  return `this runner can likely hold rate: ${rate} per second (was ${s.load.ratePerSec}; perf-gate calibrate --load finds a level)`;
}
