// What the target used at the tested rate, summarised over the usable trials: CPU (the highest p95 and
// max, the mean of means, CPU-ms per request), memory (peak and working set), cgroup throttling, OOM
// kills and limits. The worst trial decides where one must (krr: max over pods).
import type { MeasuredTrial, RightsizingReport } from './model.ts';
import { defined, max, r4 } from './units.ts';

export interface Utilisation {
  measured: RightsizingReport['measured'];
  /** Trials with a CPU p95, and trials with a memory figure. */
  cpuTrials: MeasuredTrial[];
  memTrials: MeasuredTrial[];
  /** True when a working-set figure (not only a peak) went into measured.memoryWorkingSetBytes. */
  hasWorkingSet: boolean;
}

/** A trial's memory figure: the working set where known, else the peak. */
const memoryOf = (t: MeasuredTrial) => t.resources.memoryWorkingSetBytes ?? t.resources.memoryPeakBytes;

export function measureUtilisation(trials: MeasuredTrial[]): Utilisation {
  const cpuTrials = trials.filter((t) => t.resources.cpuCoresP95 !== undefined);
  const memTrials = trials.filter((t) => memoryOf(t) !== undefined);
  const measured: RightsizingReport['measured'] = {
    ...cpuFigures(trials, cpuTrials),
    ...memoryFigures(memTrials),
  };
  const shares = trials
    .filter((t) => t.resources.cpuPeriods && t.resources.throttledPeriods !== undefined)
    .map((t) => t.resources.throttledPeriods! / t.resources.cpuPeriods!);
  if (shares.length) measured.throttledShare = r4(max(shares)!);
  const ooms = defined(trials.map((t) => t.resources.oomKills));
  if (ooms.length) measured.oomKills = ooms.reduce((a, b) => a + b, 0);
  const cpuLimit = trials.map((t) => t.resources.cpuLimitCores).find((x) => x !== undefined);
  const memLimit = trials.map((t) => t.resources.memoryLimitBytes).find((x) => x !== undefined);
  if (cpuLimit !== undefined) measured.cpuLimitCores = cpuLimit;
  if (memLimit !== undefined) measured.memoryLimitBytes = memLimit;
  return {
    measured,
    cpuTrials,
    memTrials,
    hasWorkingSet: memTrials.some((t) => t.resources.memoryWorkingSetBytes !== undefined),
  };
}

function cpuFigures(trials: MeasuredTrial[], cpuTrials: MeasuredTrial[]): RightsizingReport['measured'] {
  const out: RightsizingReport['measured'] = {};
  const p95s = cpuTrials.map((t) => t.resources.cpuCoresP95!);
  const means = defined(cpuTrials.map((t) => t.resources.cpuCoresMean));
  const maxes = defined(cpuTrials.map((t) => t.resources.cpuCoresMax));
  if (p95s.length) out.cpuCoresP95 = r4(max(p95s)!);
  if (means.length) out.cpuCoresMean = r4(means.reduce((a, b) => a + b, 0) / means.length);
  if (maxes.length) out.cpuCoresMax = r4(max(maxes)!);
  const cpuSecTrials = trials.filter((t) => t.resources.cpuSeconds !== undefined);
  if (cpuSecTrials.length) {
    const sec = cpuSecTrials.reduce((n, t) => n + t.resources.cpuSeconds!, 0);
    const req = cpuSecTrials.reduce((n, t) => n + t.requests, 0);
    out.cpuMsPerRequest = r4((sec * 1000) / req);
  }
  return out;
}

function memoryFigures(memTrials: MeasuredTrial[]): RightsizingReport['measured'] {
  const out: RightsizingReport['measured'] = {};
  const peak = max(defined(memTrials.map((t) => t.resources.memoryPeakBytes)));
  const workingSet = max(defined(memTrials.map(memoryOf)));
  if (peak !== undefined) out.memoryPeakBytes = peak;
  if (workingSet !== undefined) out.memoryWorkingSetBytes = workingSet;
  return out;
}
