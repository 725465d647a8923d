// The rightsizing model: what recommend() takes (measured trials, options, pricing, the current
// allocation) and the advisory report it returns (docs/rightsizing.md).
import type { ResourceTrial } from '../contracts/run-result.ts';
import type { PriceTable, Provider } from './prices.ts';
import { GiB, MiB } from './units.ts';

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
