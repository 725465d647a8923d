// Demand at the target rate, headroom included: CPU scaled linearly from the tested rate (each trial by
// its own rate; the trial needing most decides), Node's one JavaScript thread per process, memory not
// scaled, floors from krr. Then the per-replica container requests (krr "simple": no CPU limit).
import type {
  Finding,
  MeasuredTrial,
  RightsizingInput,
  RightsizingOptions,
  RightsizingReport,
} from './model.ts';
import type { Utilisation } from './utilisation.ts';
import type { MeasurementWindow } from './window.ts';
import { MiB, ceilTo, defined, fmtMiB, max, r3 } from './units.ts';

type Need = RightsizingReport['need'];

export interface NeedEstimate {
  need: Need;
  container: RightsizingReport['container'];
  /** The highest mean CPU at the target rate (decides whether a burstable instance can hold it). */
  meanAtTarget?: number;
  findings: Finding[];
  notes: string[];
}

export function estimateNeed(
  input: Pick<RightsizingInput, 'runtime' | 'processes'>,
  w: MeasurementWindow,
  u: Utilisation,
  cpuIsLowerBound: boolean,
  o: RightsizingOptions,
): NeedEstimate {
  const findings: Finding[] = [];
  const notes: string[] = [];
  const need: Need = {
    replicas: 1,
    cpuIsLowerBound,
    cpuFormula: 'not measured',
    memoryFormula: 'not measured',
  };
  const cpu = cpuNeed(u.cpuTrials, w.targetRps, o);
  if (cpu) {
    need.cpuCores = cpu.cores;
    need.cpuFormula = cpu.formula;
  } else {
    notes.push('CPU was not measured: no CPU need and no instance recommendation');
  }
  if (w.scale > o.extrapolationFactor) {
    findings.push({
      kind: 'extrapolated',
      severity: 'info',
      message: `Target ${r3(w.targetRps)} req/s is ${w.scale.toFixed(1)}× the tested rate: CPU scaled linearly, valid only for CPU-bound request handling`,
    });
  }
  if (input.runtime === 'node') {
    const node = nodeProcessFinding(need, u.measured, w, input.processes, o);
    if (node) findings.push(node);
  }
  const workingSet = u.measured.memoryWorkingSetBytes;
  if (workingSet !== undefined) {
    need.memoryBytes = Math.max(o.minMemoryBytes, ceilTo(workingSet * (1 + o.memoryHeadroom), MiB));
    need.memoryFormula =
      `${u.hasWorkingSet ? 'working-set peak' : 'peak'} ` +
      `${fmtMiB(workingSet)} × (1 + ${o.memoryHeadroom}) = ${fmtMiB(need.memoryBytes)}` +
      (need.memoryBytes === o.minMemoryBytes ? ' (floor)' : '') +
      (need.replicas > 1 ? ` per process, × ${need.replicas} processes` : '');
    if (Math.abs(w.scale - 1) > 1e-9) {
      findings.push({
        kind: 'memory-not-scaled',
        severity: 'info',
        message: 'Memory is not scaled with the rate: check it at the production concurrency',
      });
    }
  } else {
    notes.push('Memory was not measured: no memory need and no instance recommendation');
  }
  return { need, container: containerFor(need), meanAtTarget: cpu?.meanAtTarget, findings, notes };
}

/** CPU at the target rate with headroom; each trial is scaled by its own rate (krr: max over pods). */
export function cpuNeed(
  cpuTrials: MeasuredTrial[],
  targetRps: number,
  o: RightsizingOptions,
): { cores: number; formula: string; meanAtTarget?: number } | undefined {
  if (!cpuTrials.length) return undefined;
  const rateOf = (t: MeasuredTrial) => t.requests / (t.durationMs / 1000);
  const scaleOf = (t: MeasuredTrial) => targetRps / rateOf(t);
  const top = cpuTrials.reduce((a, b) =>
    b.resources.cpuCoresP95! * scaleOf(b) > a.resources.cpuCoresP95! * scaleOf(a) ? b : a,
  );
  const scaled = top.resources.cpuCoresP95! * scaleOf(top);
  const cores = r3(Math.max(o.minCpuCores, ceilTo(scaled * (1 + o.cpuHeadroom), 0.001)));
  const formula =
    `p95 ${top.resources.cpuCoresP95} cores × (${r3(targetRps)} / ${r3(rateOf(top))} req/s) × (1 + ${o.cpuHeadroom})` +
    ` = ${cores} cores` +
    (cores === o.minCpuCores ? ' (floor)' : '') +
    (cpuTrials.length > 1 ? ` (the trial needing most of ${cpuTrials.length})` : '');
  const meanTrials = cpuTrials.filter((t) => t.resources.cpuCoresMean !== undefined);
  const meanAtTarget = meanTrials.length
    ? max(meanTrials.map((t) => t.resources.cpuCoresMean! * scaleOf(t)))
    : undefined;
  return { cores, formula, meanAtTarget };
}

/**
 * A single Node process runs JavaScript on one thread: a saturated main thread needs more processes, not
 * a bigger instance; a need above one core needs as many processes. Raises `need.replicas` (and marks the
 * CPU need a lower bound when the thread was saturated).
 */
function nodeProcessFinding(
  need: Need,
  measured: RightsizingReport['measured'],
  w: MeasurementWindow,
  processesGiven: number | undefined,
  o: RightsizingOptions,
): Finding | undefined {
  const processes =
    processesGiven ?? max(w.trials.map((t) => t.resources.processes ?? 0).filter((p) => p > 0)) ?? 1;
  if (processes !== 1 || measured.cpuCoresP95 === undefined) return undefined;
  const lag = max(defined(w.trials.map((t) => t.resources.eventLoopLagP99Ms)));
  const busy = measured.cpuCoresP95 >= 0.9;
  if (busy && (lag === undefined || lag > o.nodeLagLimitMs)) {
    need.replicas = Math.max(need.replicas, Math.ceil(w.targetRps / (w.testedRps * 0.7)));
    need.cpuIsLowerBound = true;
    return {
      kind: 'node-main-thread-saturated',
      severity: lag === undefined ? 'info' : 'warning',
      message:
        `Node main thread ${lag === undefined ? 'probably ' : ''}saturated (${measured.cpuCoresP95} cores` +
        (lag !== undefined ? `, event-loop lag p99 ${r3(lag)} ms` : ', event-loop lag not measured') +
        `) — add processes/replicas (${need.replicas}) rather than a bigger instance`,
    };
  }
  if (need.cpuCores !== undefined && need.cpuCores > 1) {
    need.replicas = Math.max(need.replicas, Math.ceil(need.cpuCores));
    return {
      kind: 'node-needs-more-processes',
      severity: 'info',
      message: `A single Node process runs JavaScript on one thread: ${need.cpuCores} cores at ${r3(w.targetRps)} req/s need ${need.replicas} processes (cluster or replicas)`,
    };
  }
  return undefined;
}

/** Per-replica container resources: a CPU request and no CPU limit; memory request = limit. */
function containerFor(need: Need): RightsizingReport['container'] {
  const container: RightsizingReport['container'] = { cpuLimitCores: null };
  if (need.cpuCores !== undefined)
    container.cpuRequestCores = r3(ceilTo(need.cpuCores / need.replicas, 0.001));
  if (need.memoryBytes !== undefined) {
    container.memoryRequestBytes = need.memoryBytes;
    container.memoryLimitBytes = need.memoryBytes;
  }
  return container;
}
