// The advice's words: the one-line headline (a warning replaces the "fits" line) and the reason when
// nothing or only part could be measured. Plain text, not escaped.
import type { CurrentComparison, Finding, InstanceChoice, RightsizingReport } from './model.ts';

export function headline(args: {
  steadyStateMs: number;
  testedRps: number;
  /** The probe kind of the first usable trial, if any. */
  source: string | undefined;
  findings: Finding[];
  instance: InstanceChoice | null;
  instanceNote: string | undefined;
  replicas: number;
  current: CurrentComparison | undefined;
  allocation: RightsizingReport['allocation'];
}): string {
  const { instance, current } = args;
  const head = `Rightsizing (advisory · ${(args.steadyStateMs / 1000).toFixed(0)} s steady state at ${args.testedRps.toFixed(0)} req/s · ${args.source ?? 'none'})`;
  const warning = args.findings.find((f) => f.severity === 'warning');
  if (warning) return `${head} — ${warning.message}`;
  if (!instance) return `${head} — ${args.instanceNote ?? 'no instance recommendation'}`;
  return (
    `${head} — fits ${instance.type} (${instance.vcpu} vCPU, ${instance.memoryGiB} GiB, $${instance.hourlyUsd}/h ≈ $${instance.monthlyUsd.toFixed(0)}/mo)` +
    (args.replicas > 1 ? ` running ${args.replicas} processes` : '') +
    (current && args.allocation === 'over-provisioned'
      ? `; current ${current.description} → save ≈ $${(current.deltaMonthlyUsd ?? 0).toFixed(0)}/mo`
      : '')
  );
}

/** Why there is no advice at all: no trials, none with requests, or no CPU or memory figure. */
export function absentReason(allTrials: number, usableTrials: number, missing: string[]): string {
  if (allTrials === 0) return 'no measured trials';
  if (usableTrials === 0) return 'no trial completed any request';
  return `no CPU or memory figure was measured${missing.length ? `: ${missing.join('; ')}` : ''}`;
}

/** Why the advice is partial: CPU or memory could not be measured. */
export function partialReason(cpuMeasured: boolean, missing: string[]): string {
  return `${cpuMeasured ? 'memory' : 'CPU'} could not be measured${missing.length ? `: ${missing.join('; ')}` : ''}`;
}
