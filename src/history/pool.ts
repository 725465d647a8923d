// The stored-mode baseline from the current level only: the trials of the newest runs after the last change
// point, pooled per scenario. Pooling several merges makes the baseline's spread include run-to-run noise;
// stopping at the change point keeps a step from being averaged into the reference. Pure.
import type { RunResult, ScenarioResult } from '../contracts/run-result.ts';

/**
 * One RunResult whose scenarios hold the trials of `runs` (newest first; the first is the latest baseline and
 * gives the meta and the scenario list). A scenario takes trials only from runs with the same fingerprint.
 * CPU profiles stay with the latest run's own trials (null for the others).
 */
export function poolRuns(runs: readonly RunResult[]): RunResult {
  const [latest, ...older] = runs;
  if (!latest) throw new RangeError('poolRuns: no runs to pool');
  if (older.length === 0) return latest;
  const scenarios = latest.scenarios.map((s): ScenarioResult => {
    const same = older.flatMap((r) =>
      r.scenarios.filter((o) => o.name === s.name && o.fingerprint === s.fingerprint),
    );
    if (same.length === 0) return s;
    const trials = [s, ...same].flatMap((x) => x.trials.filter((t) => t.index >= 0));
    const pooled: ScenarioResult = { ...s, trials: trials.map((t, index) => ({ ...t, index })) };
    if (s.profiles) pooled.profiles = trials.map((_, i) => s.profiles![i] ?? null);
    return pooled;
  });
  return { ...latest, scenarios };
}
