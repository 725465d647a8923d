// Under-provisioning seen in the measurement itself: CPU throttled by cpu.max or running near its limit
// (then the measured CPU is capped, and the need computed from it only a lower bound), OOM kills, memory
// near memory.max.
import type { Finding, RightsizingOptions, RightsizingReport } from './model.ts';
import { fmtMiB } from './units.ts';

export function limitFindings(
  measured: RightsizingReport['measured'],
  o: RightsizingOptions,
): { findings: Finding[]; cpuIsLowerBound: boolean } {
  const findings: Finding[] = [];
  let cpuIsLowerBound = false;
  const { cpuLimitCores: cpuLimit, memoryLimitBytes: memLimit, memoryWorkingSetBytes: workingSet } = measured;
  if (measured.throttledShare !== undefined && measured.throttledShare > o.maxThrottledShare) {
    cpuIsLowerBound = true;
    findings.push({
      kind: 'cpu-throttled',
      severity: 'warning',
      message:
        `Under-provisioned: CPU throttled in ${(measured.throttledShare * 100).toFixed(1)} % of periods` +
        (cpuLimit !== undefined ? ` at cpu.max = ${cpuLimit} cores` : '') +
        ' — latency is CPU-capped, and the CPU need below is a lower bound',
    });
  }
  if (
    cpuLimit !== undefined &&
    measured.cpuCoresP95 !== undefined &&
    measured.cpuCoresP95 >= o.nearLimitShare * cpuLimit
  ) {
    cpuIsLowerBound = true;
    findings.push({
      kind: 'cpu-near-limit',
      severity: 'warning',
      message: `Under-provisioned: CPU p95 ${measured.cpuCoresP95} cores is ≥ ${o.nearLimitShare * 100} % of the ${cpuLimit}-core limit`,
    });
  }
  if (measured.oomKills !== undefined && measured.oomKills > 0) {
    findings.push({
      kind: 'oom-kill',
      severity: 'warning',
      message: `Under-provisioned: ${measured.oomKills} OOM kill(s) during the trials — memory.max is too low`,
    });
  }
  if (memLimit !== undefined && workingSet !== undefined && workingSet >= o.nearLimitShare * memLimit) {
    findings.push({
      kind: 'memory-near-limit',
      severity: 'warning',
      message: `Under-provisioned: memory ${fmtMiB(workingSet)} is ≥ ${o.nearLimitShare * 100} % of memory.max ${fmtMiB(memLimit)}`,
    });
  }
  return { findings, cpuIsLowerBound };
}
