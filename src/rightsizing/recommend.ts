// Rightsizing advice from what the target consumed in the measured trials (reference design D-A).
// Pure: measurements and a price table in, a report out. The advice rests on seconds to minutes of load,
// where production tools want days (krr ≥ 3 h, Compute Optimizer ≥ 30 h, VPA 8 days), so it is always
// labelled advisory and says which window it rests on. docs/rightsizing.md documents every formula.
import type { ResourceTrial } from '../collectors/resources/probe.ts';
import {
  DEFAULT_FAMILIES,
  HOURS_PER_MONTH,
  SHIPPED_PRICE_TABLES,
  monthlyUsd,
  type InstancePrice,
  type PriceTable,
  type Provider,
} from './prices.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** One measured trial: what the target consumed and how much load it served meanwhile. */
export interface MeasuredTrial {
  resources: ResourceTrial;
  /** Requests completed in the trial's measured window (responses of any status, timeouts excluded). */
  requests: number;
  /** Length of the trial's measured window, ms. */
  durationMs: number;
}

export interface RightsizingOptions {
  /** Added to the p95 CPU: AWS Compute Optimizer's default (VPA uses 0.15). */
  cpuHeadroom: number;
  /** Added to the memory peak: krr / VPA margin. */
  memoryHeadroom: number;
  /** krr floors: 10 millicores, 100 MiB. */
  minCpuCores: number;
  minMemoryBytes: number;
  /** Memory left to the OS on an instance. */
  osReserveBytes: number;
  /** Throttled periods / periods above which the CPU limit is too low. */
  maxThrottledShare: number;
  /** Share of cpu.max / memory.max counted as "near the limit". */
  nearLimitShare: number;
  /** Node event-loop lag p99 above which a ~1-core main thread counts as saturated. */
  nodeLagLimitMs: number;
  /** Below these the confidence drops to "low". */
  minSteadyStateMs: number;
  minSamples: number;
  /** A target rate above this multiple of the tested rate is flagged as an extrapolation. */
  extrapolationFactor: number;
  /** Savings below this share of the current cost count as "right-sized". */
  rightSizedTolerance: number;
}

export const DEFAULT_RIGHTSIZING_OPTIONS: Readonly<RightsizingOptions> = {
  cpuHeadroom: 0.2,
  memoryHeadroom: 0.15,
  minCpuCores: 0.01,
  minMemoryBytes: 100 * MiB,
  osReserveBytes: 0.5 * GiB,
  maxThrottledShare: 0.05,
  nearLimitShare: 0.9,
  nodeLagLimitMs: 100,
  minSteadyStateMs: 30_000,
  minSamples: 30,
  extrapolationFactor: 2,
  rightSizedTolerance: 0.1,
};

/** What the target runs on today: an instance type from the table, or raw resources. */
export type CurrentAllocation =
  | { instanceType: string }
  | {
      cpuCores: number;
      memoryBytes: number;
      /** Known price; otherwise priced as the cheapest table row holding this much. */
      hourlyUsd?: number;
    };

export interface RightsizingInput {
  /** The measured trials (valid ones) of one scenario. */
  trials: MeasuredTrial[];
  /** Expected production peak per replica, req/s. Default: the tested rate. */
  targetRps?: number;
  /** 'node' enables the single-main-thread checks. Default 'other'. */
  runtime?: 'node' | 'other';
  /** Processes serving the load; default: the probe's process count (pid source), else 1. */
  processes?: number;
  /** Local mode: the runner itself was CPU-saturated, so every figure is suspect. */
  hostCpuSaturated?: boolean;
  /** CPU-ms per request of the baseline; the candidate's defaults to these trials' own figure. */
  regression?: { baselineCpuMsPerRequest: number; candidateCpuMsPerRequest?: number };
  current?: CurrentAllocation;
  pricing?: {
    /** Shipped table to use; default aws. Ignored when `table` is given. */
    provider?: Provider;
    /** A validated user table (validatePriceTable). */
    table?: PriceTable;
    /** Candidate families; default D-A's for AWS (t3, m7i, c7i, r6i), all rows otherwise. */
    families?: string[];
  };
  options?: Partial<RightsizingOptions>;
}

export type FindingKind =
  | 'cpu-throttled'
  | 'cpu-near-limit'
  | 'oom-kill'
  | 'memory-near-limit'
  | 'node-main-thread-saturated'
  | 'node-needs-more-processes'
  | 'over-provisioned'
  | 'extrapolated'
  | 'memory-not-scaled';

export interface Finding {
  kind: FindingKind;
  /** 'warning': under-provisioned now; 'info': context for the numbers. */
  severity: 'warning' | 'info';
  message: string;
}

export interface InstanceChoice {
  type: string;
  family: string;
  vcpu: number;
  memoryGiB: number;
  hourlyUsd: number;
  monthlyUsd: number;
  /** compute (≤ 2.5 GiB/vCPU), general (≤ 5), memory (> 5). */
  shape: 'compute' | 'general' | 'memory';
  burstable: boolean;
  source: string;
  date: string;
}

export interface CurrentComparison {
  /** e.g. "m7i.4xlarge" or "16 cores, 64 GiB (priced as m7i.4xlarge)". */
  description: string;
  vcpu: number;
  memoryGiB: number;
  monthlyUsd: number;
  /** Current minus recommended, per month: positive is a saving. Absent without a recommendation. */
  deltaMonthlyUsd?: number;
  /** Mean measured cores / current vCPU, at the tested rate. */
  cpuUtilisationMean?: number;
  /** p95 measured cores / current vCPU, at the tested rate. */
  cpuUtilisationP95?: number;
}

export interface RegressionCost {
  baselineCpuMsPerRequest: number;
  candidateCpuMsPerRequest: number;
  deltaCpuMsPerRequest: number;
  /** Δ CPU-ms/request × target rate / 1000. Negative: the change saves CPU. */
  extraCores: number;
  monthlyUsd: number;
  pricedAt: { type: string; perVcpuHourUsd: number };
}

export interface RightsizingReport {
  /** Always true: a short load test is not a production rightsizing tool. */
  advisory: true;
  /** "advisory (short window)", plus ", low confidence" or ", unreliable (…)". */
  label: string;
  confidence: 'advisory' | 'low' | 'unreliable';
  /** 'partial': CPU or memory could not be measured; 'absent': neither (see absentReason). */
  status: 'ok' | 'partial' | 'absent';
  absentReason?: string;
  /** One line for the top of a comment; warnings replace the "fits" line. Plain text, not escaped. */
  headline: string;
  /** The measurement the advice rests on. */
  window: {
    trials: number;
    steadyStateMs: number;
    samples: number;
    source: string;
    testedRps: number;
    targetRps: number;
    /** targetRps / testedRps */
    scale: number;
    description: string;
  };
  measured: {
    cpuCoresP95?: number;
    cpuCoresMean?: number;
    cpuCoresMax?: number;
    cpuMsPerRequest?: number;
    memoryPeakBytes?: number;
    memoryWorkingSetBytes?: number;
    throttledShare?: number;
    oomKills?: number;
    cpuLimitCores?: number;
    memoryLimitBytes?: number;
  };
  /** Resources needed at the target rate, headroom included. */
  need: {
    cpuCores?: number;
    memoryBytes?: number;
    /** > 1 when a single-threaded runtime needs more processes. */
    replicas: number;
    /** True when the measurement was capped by a limit, so the need is a lower bound. */
    cpuIsLowerBound: boolean;
    cpuFormula: string;
    memoryFormula: string;
  };
  /** Kubernetes-style (krr "simple"): CPU request, no CPU limit; memory request = limit. Per replica. */
  container: {
    cpuRequestCores?: number;
    cpuLimitCores: null;
    memoryRequestBytes?: number;
    memoryLimitBytes?: number;
  };
  /** Cheapest fitting row, or null (see instanceNote). */
  instance: InstanceChoice | null;
  instanceNote?: string;
  /** Cheapest fitting row of each other shape (compute / general / memory). */
  alternatives: InstanceChoice[];
  current?: CurrentComparison;
  allocation: 'under-provisioned' | 'over-provisioned' | 'right-sized' | 'not-compared';
  regressionCost?: RegressionCost;
  findings: Finding[];
  notes: string[];
  /** What the probes could not measure, per trial, deduplicated. */
  missing: string[];
  prices: { provider: string; region: string; pricing: string; generatedAt: string; currency: 'USD' };
  settings: RightsizingOptions;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const r2 = (x: number) => Math.round(x * 100) / 100;
const r4 = (x: number) => Math.round(x * 10000) / 10000;
const ceilTo = (x: number, step: number) => Math.ceil(x / step - 1e-9) * step;
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : undefined);
const fmtGiB = (bytes: number) => `${r2(bytes / GiB)} GiB`;
const fmtMiB = (bytes: number) => `${Math.round(bytes / MiB)} MiB`;

function shapeOf(row: InstancePrice): InstanceChoice['shape'] {
  const ratio = row.memoryGiB / row.vcpu;
  return ratio <= 2.5 ? 'compute' : ratio <= 5 ? 'general' : 'memory';
}

function choice(row: InstancePrice): InstanceChoice {
  return {
    type: row.type,
    family: row.family,
    vcpu: row.vcpu,
    memoryGiB: row.memoryGiB,
    hourlyUsd: row.hourlyUsd,
    monthlyUsd: monthlyUsd(row.hourlyUsd),
    shape: shapeOf(row),
    burstable: row.burstable !== undefined,
    source: row.source,
    date: row.date,
  };
}

const byPrice = (a: InstancePrice, b: InstancePrice) =>
  a.hourlyUsd - b.hourlyUsd || a.vcpu - b.vcpu || a.memoryGiB - b.memoryGiB || a.type.localeCompare(b.type);

/** Rightsizing advice for one scenario's measured trials. Never throws on missing data: it reports it. */
export function recommend(input: RightsizingInput): RightsizingReport {
  const o: RightsizingOptions = { ...DEFAULT_RIGHTSIZING_OPTIONS, ...input.options };
  const table = input.pricing?.table ?? SHIPPED_PRICE_TABLES[input.pricing?.provider ?? 'aws'];
  const notes: string[] = [];
  const findings: Finding[] = [];

  const trials = input.trials.filter((t) => t.durationMs > 0 && t.requests > 0);
  const missing = [...new Set(input.trials.flatMap((t) => t.resources.missing))];
  if (trials.length < input.trials.length) {
    notes.push(`${input.trials.length - trials.length} trial(s) without completed requests were left out`);
  }
  const sources = [...new Set(input.trials.map((t) => t.resources.source))];
  const source = sources.length === 1 ? sources[0]! : sources.join(', ') || 'none';
  const steadyStateMs = trials.reduce((n, t) => n + t.resources.windowMs, 0);
  const samples = trials.reduce((n, t) => n + t.resources.samples, 0);
  const totalRequests = trials.reduce((n, t) => n + t.requests, 0);
  const totalSeconds = trials.reduce((n, t) => n + t.durationMs / 1000, 0);
  const testedRps = totalSeconds > 0 ? totalRequests / totalSeconds : 0;
  const targetRps = input.targetRps ?? testedRps;
  const scale = testedRps > 0 ? targetRps / testedRps : 1;
  const description =
    `${trials.length} trial${trials.length === 1 ? '' : 's'} × ${(steadyStateMs / Math.max(trials.length, 1) / 1000).toFixed(1)} s ` +
    `steady state at ${testedRps.toFixed(0)} req/s · ${source}`;

  let confidence: RightsizingReport['confidence'] = 'advisory';
  let label = 'advisory (short window)';
  if (input.hostCpuSaturated) {
    confidence = 'unreliable';
    label += ', unreliable (the load generator host was CPU-saturated)';
  } else if (steadyStateMs < o.minSteadyStateMs || samples < o.minSamples) {
    confidence = 'low';
    label += `, low confidence (${(steadyStateMs / 1000).toFixed(1)} s, ${samples} samples; want ≥ ${o.minSteadyStateMs / 1000} s and ≥ ${o.minSamples})`;
  }

  const prices = {
    provider: table.provider,
    region: table.region,
    pricing: table.pricing,
    generatedAt: table.generatedAt,
    currency: table.currency,
  };
  const base = {
    advisory: true as const,
    label,
    confidence,
    window: {
      trials: trials.length,
      steadyStateMs,
      samples,
      source,
      testedRps: r3(testedRps),
      targetRps: r3(targetRps),
      scale: r4(scale),
      description,
    },
    prices,
    settings: o,
    missing,
  };

  // Per-trial CPU at the target rate: each trial is scaled by its own rate (krr: max over pods).
  const cpuTrials = trials.filter((t) => t.resources.cpuCoresP95 !== undefined);
  const memOf = (t: MeasuredTrial) => t.resources.memoryWorkingSetBytes ?? t.resources.memoryPeakBytes;
  const memTrials = trials.filter((t) => memOf(t) !== undefined);

  if (cpuTrials.length === 0 && memTrials.length === 0) {
    const why =
      input.trials.length === 0
        ? 'no measured trials'
        : trials.length === 0
          ? 'no trial completed any request'
          : `no CPU or memory figure was measured${missing.length ? `: ${missing.join('; ')}` : ''}`;
    return {
      ...base,
      status: 'absent',
      absentReason: why,
      headline: `Rightsizing unavailable: ${why}`,
      measured: {},
      need: {
        replicas: 1,
        cpuIsLowerBound: false,
        cpuFormula: 'not computed',
        memoryFormula: 'not computed',
      },
      container: { cpuLimitCores: null },
      instance: null,
      instanceNote: 'nothing measured',
      alternatives: [],
      allocation: 'not-compared',
      findings,
      notes,
    };
  }

  const rateOf = (t: MeasuredTrial) => t.requests / (t.durationMs / 1000);
  const scaleOf = (t: MeasuredTrial) => targetRps / rateOf(t);
  const measured: RightsizingReport['measured'] = {};
  const p95s = cpuTrials.map((t) => t.resources.cpuCoresP95!);
  const means = cpuTrials.map((t) => t.resources.cpuCoresMean).filter((x): x is number => x !== undefined);
  const maxes = cpuTrials.map((t) => t.resources.cpuCoresMax).filter((x): x is number => x !== undefined);
  if (p95s.length) measured.cpuCoresP95 = r4(max(p95s)!);
  if (means.length) measured.cpuCoresMean = r4(means.reduce((a, b) => a + b, 0) / means.length);
  if (maxes.length) measured.cpuCoresMax = r4(max(maxes)!);
  const cpuSecTrials = trials.filter((t) => t.resources.cpuSeconds !== undefined);
  if (cpuSecTrials.length) {
    const sec = cpuSecTrials.reduce((n, t) => n + t.resources.cpuSeconds!, 0);
    const req = cpuSecTrials.reduce((n, t) => n + t.requests, 0);
    measured.cpuMsPerRequest = r4((sec * 1000) / req);
  }
  const peak = max(
    memTrials.map((t) => t.resources.memoryPeakBytes).filter((x): x is number => x !== undefined),
  );
  const workingSet = max(memTrials.map(memOf) as number[]);
  if (peak !== undefined) measured.memoryPeakBytes = peak;
  if (workingSet !== undefined) measured.memoryWorkingSetBytes = workingSet;
  const shares = trials
    .filter((t) => t.resources.cpuPeriods && t.resources.throttledPeriods !== undefined)
    .map((t) => t.resources.throttledPeriods! / t.resources.cpuPeriods!);
  if (shares.length) measured.throttledShare = r4(max(shares)!);
  const ooms = trials.map((t) => t.resources.oomKills).filter((x): x is number => x !== undefined);
  if (ooms.length) measured.oomKills = ooms.reduce((a, b) => a + b, 0);
  const cpuLimit = trials.map((t) => t.resources.cpuLimitCores).find((x) => x !== undefined);
  const memLimit = trials.map((t) => t.resources.memoryLimitBytes).find((x) => x !== undefined);
  if (cpuLimit !== undefined) measured.cpuLimitCores = cpuLimit;
  if (memLimit !== undefined) measured.memoryLimitBytes = memLimit;

  // --- under-provisioning findings ---
  let cpuIsLowerBound = false;
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

  // --- CPU need ---
  const need: RightsizingReport['need'] = {
    replicas: 1,
    cpuIsLowerBound,
    cpuFormula: 'not measured',
    memoryFormula: 'not measured',
  };
  let meanAtTarget: number | undefined;
  if (cpuTrials.length) {
    // The trial that needs the most at the target rate decides (krr: max over pods).
    const top = cpuTrials.reduce((a, b) =>
      b.resources.cpuCoresP95! * scaleOf(b) > a.resources.cpuCoresP95! * scaleOf(a) ? b : a,
    );
    const scaled = top.resources.cpuCoresP95! * scaleOf(top);
    need.cpuCores = r3(Math.max(o.minCpuCores, ceilTo(scaled * (1 + o.cpuHeadroom), 0.001)));
    need.cpuFormula =
      `p95 ${top.resources.cpuCoresP95} cores × (${r3(targetRps)} / ${r3(rateOf(top))} req/s) × (1 + ${o.cpuHeadroom})` +
      ` = ${need.cpuCores} cores` +
      (need.cpuCores === o.minCpuCores ? ' (floor)' : '') +
      (cpuTrials.length > 1 ? ` (the trial needing most of ${cpuTrials.length})` : '');
    const meanTrials = cpuTrials.filter((t) => t.resources.cpuCoresMean !== undefined);
    if (meanTrials.length) meanAtTarget = max(meanTrials.map((t) => t.resources.cpuCoresMean! * scaleOf(t)));
  } else {
    notes.push('CPU was not measured: no CPU need and no instance recommendation');
  }
  if (scale > o.extrapolationFactor) {
    findings.push({
      kind: 'extrapolated',
      severity: 'info',
      message: `Target ${r3(targetRps)} req/s is ${scale.toFixed(1)}× the tested rate: CPU scaled linearly, valid only for CPU-bound request handling`,
    });
  }

  // --- Node: one JavaScript thread per process ---
  const processes =
    input.processes ?? max(trials.map((t) => t.resources.processes ?? 0).filter((p) => p > 0)) ?? 1;
  if (input.runtime === 'node' && processes === 1 && measured.cpuCoresP95 !== undefined) {
    const lag = max(
      trials.map((t) => t.resources.eventLoopLagP99Ms).filter((x): x is number => x !== undefined),
    );
    const busy = measured.cpuCoresP95 >= 0.9;
    if (busy && (lag === undefined || lag > o.nodeLagLimitMs)) {
      const replicas = Math.ceil(targetRps / (testedRps * 0.7));
      need.replicas = Math.max(need.replicas, replicas);
      cpuIsLowerBound = need.cpuIsLowerBound = true;
      findings.push({
        kind: 'node-main-thread-saturated',
        severity: lag === undefined ? 'info' : 'warning',
        message:
          `Node main thread ${lag === undefined ? 'probably ' : ''}saturated (${measured.cpuCoresP95} cores` +
          (lag !== undefined ? `, event-loop lag p99 ${r3(lag)} ms` : ', event-loop lag not measured') +
          `) — add processes/replicas (${need.replicas}) rather than a bigger instance`,
      });
    } else if (need.cpuCores !== undefined && need.cpuCores > 1) {
      need.replicas = Math.max(need.replicas, Math.ceil(need.cpuCores));
      findings.push({
        kind: 'node-needs-more-processes',
        severity: 'info',
        message: `A single Node process runs JavaScript on one thread: ${need.cpuCores} cores at ${r3(targetRps)} req/s need ${need.replicas} processes (cluster or replicas)`,
      });
    }
  }

  // --- memory need ---
  if (workingSet !== undefined) {
    need.memoryBytes = Math.max(o.minMemoryBytes, ceilTo(workingSet * (1 + o.memoryHeadroom), MiB));
    need.memoryFormula =
      `${memTrials.some((t) => t.resources.memoryWorkingSetBytes !== undefined) ? 'working-set peak' : 'peak'} ` +
      `${fmtMiB(workingSet)} × (1 + ${o.memoryHeadroom}) = ${fmtMiB(need.memoryBytes)}` +
      (need.memoryBytes === o.minMemoryBytes ? ' (floor)' : '') +
      (need.replicas > 1 ? ` per process, × ${need.replicas} processes` : '');
    if (Math.abs(scale - 1) > 1e-9) {
      findings.push({
        kind: 'memory-not-scaled',
        severity: 'info',
        message: 'Memory is not scaled with the rate: check it at the production concurrency',
      });
    }
  } else {
    notes.push('Memory was not measured: no memory need and no instance recommendation');
  }

  const container: RightsizingReport['container'] = { cpuLimitCores: null };
  if (need.cpuCores !== undefined)
    container.cpuRequestCores = r3(ceilTo(need.cpuCores / need.replicas, 0.001));
  if (need.memoryBytes !== undefined) {
    container.memoryRequestBytes = need.memoryBytes;
    container.memoryLimitBytes = need.memoryBytes;
  }

  // --- instance ---
  const families =
    input.pricing?.families ??
    (input.pricing?.table ? undefined : DEFAULT_FAMILIES[input.pricing?.provider ?? 'aws']);
  const familySet = families ? new Set(families) : undefined;
  const candidates = table.instances.filter((r) => !familySet || familySet.has(r.family));
  if (families) {
    const unknown = families.filter((f) => !table.instances.some((r) => r.family === f));
    if (unknown.length) notes.push(`unknown families in the price table: ${unknown.join(', ')}`);
  }
  let instance: InstanceChoice | null = null;
  let instanceNote: string | undefined;
  const alternatives: InstanceChoice[] = [];
  if (need.cpuCores !== undefined && need.memoryBytes !== undefined) {
    const cpuTotal = need.cpuCores;
    const memTotal = need.memoryBytes * need.replicas + o.osReserveBytes;
    const excludedBurstable = new Set<string>();
    const fits = candidates.filter((r) => {
      if (r.vcpu < cpuTotal || r.memoryGiB * GiB < memTotal) return false;
      if (r.burstable) {
        const baseline = r.burstable.baselinePerVcpu;
        if (baseline === null || meanAtTarget === undefined || meanAtTarget > baseline * r.vcpu) {
          excludedBurstable.add(r.type);
          return false;
        }
      }
      return true;
    });
    fits.sort(byPrice);
    if (fits.length) {
      instance = choice(fits[0]!);
      const seenShapes = new Set([instance.shape]);
      for (const row of fits.slice(1)) {
        const c = choice(row);
        if (seenShapes.has(c.shape)) continue;
        seenShapes.add(c.shape);
        alternatives.push(c);
      }
    } else {
      const biggest = [...candidates].sort((a, b) => b.vcpu - a.vcpu || b.memoryGiB - a.memoryGiB)[0];
      instanceNote =
        `needs ${cpuTotal} vCPU and ${fmtGiB(memTotal)} (incl. ${fmtGiB(o.osReserveBytes)} OS reserve): ` +
        `no candidate fits` +
        (biggest ? ` (largest: ${biggest.type}, ${biggest.vcpu} vCPU, ${biggest.memoryGiB} GiB)` : '') +
        (need.replicas > 1 ? '' : '; split the load over replicas');
    }
    if (excludedBurstable.size) {
      notes.push(
        `burstable types left out (average CPU at the target rate above their baseline, or baseline unknown): ${[...excludedBurstable].join(', ')}`,
      );
    }
    if (instance?.burstable) {
      notes.push(
        `${instance.type} is burstable: it fits only while the average CPU stays under its baseline (credits)`,
      );
    }
  } else {
    instanceNote = 'needs both CPU and memory figures';
  }

  // --- current allocation ---
  let current: CurrentComparison | undefined;
  let allocation: RightsizingReport['allocation'] = 'not-compared';
  if (input.current) {
    let desc: string | undefined;
    let vcpu: number | undefined;
    let memGiB: number | undefined;
    let hourly: number | undefined;
    if ('instanceType' in input.current) {
      const wanted = input.current.instanceType.trim();
      const row = table.instances.find((r) => r.type === wanted);
      if (row) {
        desc = row.type;
        vcpu = row.vcpu;
        memGiB = row.memoryGiB;
        hourly = row.hourlyUsd;
      } else {
        notes.push(
          `current instance type ${input.current.instanceType} is not in the ${table.provider} price table`,
        );
      }
    } else {
      const c = input.current;
      vcpu = c.cpuCores;
      memGiB = r2(c.memoryBytes / GiB);
      if (c.hourlyUsd !== undefined) {
        hourly = c.hourlyUsd;
        desc = `${c.cpuCores} cores, ${memGiB} GiB`;
      } else {
        const row = [...table.instances]
          .filter((r) => r.vcpu >= c.cpuCores && r.memoryGiB * GiB >= c.memoryBytes && !r.burstable)
          .sort(byPrice)[0];
        if (row) {
          hourly = row.hourlyUsd;
          desc = `${c.cpuCores} cores, ${memGiB} GiB (priced as ${row.type})`;
        } else {
          notes.push(
            `current allocation (${c.cpuCores} cores, ${memGiB} GiB) is larger than every row in the price table`,
          );
        }
      }
    }
    if (desc !== undefined && vcpu !== undefined && memGiB !== undefined && hourly !== undefined) {
      const currentMonthly = monthlyUsd(hourly);
      current = {
        description: desc,
        vcpu,
        memoryGiB: memGiB,
        monthlyUsd: currentMonthly,
      };
      if (instance) current.deltaMonthlyUsd = r2(currentMonthly - instance.monthlyUsd);
      if (measured.cpuCoresMean !== undefined) current.cpuUtilisationMean = r4(measured.cpuCoresMean / vcpu);
      if (measured.cpuCoresP95 !== undefined) current.cpuUtilisationP95 = r4(measured.cpuCoresP95 / vcpu);
      if (instance) {
        const saving = current.deltaMonthlyUsd ?? 0;
        if (saving > o.rightSizedTolerance * currentMonthly) {
          allocation = 'over-provisioned';
          findings.push({
            kind: 'over-provisioned',
            severity: 'info',
            message:
              `Over-provisioned: ${desc} ($${currentMonthly.toFixed(2)}/mo) ` +
              (current.cpuUtilisationMean !== undefined
                ? `runs at ${(current.cpuUtilisationMean * 100).toFixed(1)} % CPU on average; `
                : '') +
              `${instance.type} fits at $${instance.monthlyUsd.toFixed(2)}/mo — save ≈ $${saving.toFixed(2)}/mo`,
          });
        } else if (vcpu < (need.cpuCores ?? 0) || memGiB * GiB < (need.memoryBytes ?? 0) * need.replicas) {
          allocation = 'under-provisioned';
        } else {
          allocation = 'right-sized';
        }
      }
    }
  }
  if (findings.some((f) => f.severity === 'warning')) {
    allocation = 'under-provisioned';
  }

  // --- cost of a CPU regression at the target rate ---
  let regressionCost: RegressionCost | undefined;
  if (input.regression) {
    const candidate = input.regression.candidateCpuMsPerRequest ?? measured.cpuMsPerRequest;
    const pricedRow =
      (instance && table.instances.find((r) => r.type === instance!.type)) ??
      (current && table.instances.find((r) => r.type === current!.description)) ??
      [...candidates].sort((a, b) => a.hourlyUsd / a.vcpu - b.hourlyUsd / b.vcpu)[0];
    if (candidate === undefined) {
      notes.push('regression cost not computed: the candidate CPU-ms per request is unknown');
    } else if (pricedRow) {
      const delta = candidate - input.regression.baselineCpuMsPerRequest;
      const extraCores = (delta * targetRps) / 1000;
      const perVcpuHour = pricedRow.hourlyUsd / pricedRow.vcpu;
      regressionCost = {
        baselineCpuMsPerRequest: r4(input.regression.baselineCpuMsPerRequest),
        candidateCpuMsPerRequest: r4(candidate),
        deltaCpuMsPerRequest: r4(delta),
        extraCores: r4(extraCores),
        monthlyUsd: r2(extraCores * perVcpuHour * HOURS_PER_MONTH),
        pricedAt: { type: pricedRow.type, perVcpuHourUsd: r4(perVcpuHour) },
      };
    }
  }

  const status: RightsizingReport['status'] = cpuTrials.length && memTrials.length ? 'ok' : 'partial';
  const warning = findings.find((f) => f.severity === 'warning');
  const head = `Rightsizing (advisory · ${(steadyStateMs / 1000).toFixed(0)} s steady state at ${testedRps.toFixed(0)} req/s · ${trials[0]?.resources.kind ?? 'none'})`;
  const headline = warning
    ? `${head} — ${warning.message}`
    : instance
      ? `${head} — fits ${instance.type} (${instance.vcpu} vCPU, ${instance.memoryGiB} GiB, $${instance.hourlyUsd}/h ≈ $${instance.monthlyUsd.toFixed(0)}/mo)` +
        (need.replicas > 1 ? ` running ${need.replicas} processes` : '') +
        (current && allocation === 'over-provisioned'
          ? `; current ${current.description} → save ≈ $${(current.deltaMonthlyUsd ?? 0).toFixed(0)}/mo`
          : '')
      : `${head} — ${instanceNote ?? 'no instance recommendation'}`;

  const report: RightsizingReport = {
    ...base,
    status,
    headline,
    measured,
    need,
    container,
    instance,
    alternatives,
    allocation,
    findings,
    notes,
  };
  if (instanceNote !== undefined) report.instanceNote = instanceNote;
  if (current) report.current = current;
  if (regressionCost) report.regressionCost = regressionCost;
  if (status === 'partial') {
    report.absentReason = `${cpuTrials.length ? 'memory' : 'CPU'} could not be measured${missing.length ? `: ${missing.join('; ')}` : ''}`;
  }
  return report;
}
