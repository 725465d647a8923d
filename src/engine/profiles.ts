// The CPU profile of a Node service perf-gate started with --cpu-prof: Node writes it when the service
// exits; it is cut into each trial's window (same monotonic clock) and stored with the run.
import { existsSync } from 'node:fs';
import { parseCpuProfileWindows } from '../attribution/cpuprofile.ts';
import { encodeProfile } from '../attribution/profile-codec.ts';
import { mergeProfiles, type ProfileModel } from '../attribution/profile-model.ts';
import { fileByteSource, listCpuProfiles } from '../attribution/io/read-profile.ts';
import type { RunResult, TrialResult } from '../results/run-result.ts';

/** Adds per-trial profiles to every scenario of the run; never throws (a reason is stored instead). */
export function attachProfiles(run: RunResult, dir: string): RunResult {
  const files = existsSync(dir) ? listCpuProfiles(dir) : [];
  const trials: TrialResult[] = run.scenarios.flatMap((s) => s.trials);
  const windowed = trials.filter((t) => t.monotonicUs);
  const missing = (why: string): RunResult => ({
    ...run,
    scenarios: run.scenarios.map((s) => ({ ...s, profilesMissing: why })),
  });
  if (files.length === 0)
    return missing(
      `no .cpuprofile was written to ${dir} (is the service a Node process that exits cleanly on SIGTERM?)`,
    );
  if (windowed.length === 0) return missing('the trials carry no monotonic window to cut the profile by');
  const perTrial: ProfileModel[][] = windowed.map(() => []);
  const problems: string[] = [];
  for (const file of files) {
    try {
      const models = parseCpuProfileWindows(
        fileByteSource(file),
        windowed.map((t) => ({ startUs: t.monotonicUs!.start, endUs: t.monotonicUs!.end })),
      );
      models.forEach((m, i) => perTrial[i]!.push(m));
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
    }
  }
  const byTrial = new Map(windowed.map((t, i) => [t, perTrial[i]!]));
  return {
    ...run,
    scenarios: run.scenarios.map((s) => {
      const profiles = s.trials.map((t) => {
        const models = byTrial.get(t);
        if (!models || models.length === 0) return null;
        const merged = mergeProfiles(models);
        return merged.samples > 0 ? encodeProfile(merged) : null;
      });
      return {
        ...s,
        profiles,
        ...(problems.length ? { profilesMissing: problems.join('; ') } : {}),
      };
    }),
  };
}
