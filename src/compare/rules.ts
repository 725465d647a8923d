// The threshold policy, resolved: what the gate's thresholds are once parsed, and the one function that
// resolves them for a series (scenario x request x metric). It lives in compare, the lowest layer that
// needs it: compare builds the series and resolves each one's rule there, once (its gating decides the
// Holm family); verdict and the report read `MetricComparison.rule`; config parses perf-gate.yml into
// `Thresholds` (src/config/thresholds/). Pure.
import type { MetricId } from '../contracts/metric-ids.ts';

/** A minimum effect: relative (+0.10 = 10 % worse) or absolute in the metric's unit (error rate: 0.01 = 1 pp). */
export type MinEffect =
  { kind: 'relative'; value: number; text: string } | { kind: 'absolute'; value: number; text: string };

export type BudgetOp = '<' | '<=' | '>' | '>=';

export interface Budget {
  metric: MetricId;
  op: BudgetOp;
  /** In the metric's unit: µs for latency, a fraction for error rate, req/s for throughput. */
  value: number;
  text: string;
}

export interface Override {
  scenario?: string;
  request?: string;
  minEffect: Partial<Record<MetricId, MinEffect>>;
  gate?: MetricId[];
  budgets: Budget[];
}

export interface Approval {
  scenario?: string;
  request?: string;
  metric?: MetricId;
  reason: string;
}

/** The `thresholds` section of perf-gate.yml, parsed (docs/thresholds.md). */
export interface Thresholds {
  alpha: number;
  minEffect: Record<MetricId, MinEffect>;
  gate: MetricId[];
  budgets: Budget[];
  control: string[];
  overrides: Override[];
  approvals: Approval[];
}

/** What the thresholds say about one series. */
export interface SeriesRule {
  minEffect: MinEffect;
  /** The policy's word: a gating metric, not a control request. The data may still make a series informational. */
  gating: boolean;
  /** The budgets of this series' metric. */
  budgets: Budget[];
  /** A control request's series: the change cannot affect it, so a move means the environment moved. */
  control: boolean;
}

/** Defaults from shared reference 7.4, justified in docs/statistics.md. */
export const DEFAULT_MIN_EFFECTS: Record<MetricId, MinEffect> = {
  p50: { kind: 'relative', value: 0.05, text: '+5%' },
  p90: { kind: 'relative', value: 0.1, text: '+10%' },
  p95: { kind: 'relative', value: 0.1, text: '+10%' },
  p99: { kind: 'relative', value: 0.15, text: '+15%' },
  throughput: { kind: 'relative', value: -0.05, text: '-5%' },
  errorRate: { kind: 'absolute', value: 0.01, text: '+1pp' },
  cpuMsPerRequest: { kind: 'relative', value: 0.1, text: '+10%' },
  cpuCores: { kind: 'relative', value: 0.1, text: '+10%' },
  memoryPeak: { kind: 'relative', value: 0.1, text: '+10%' },
};

/** cpuMsPerRequest gates only when a resource probe ran (the series does not exist otherwise). */
export const DEFAULT_GATE: MetricId[] = ['p95', 'errorRate', 'throughput', 'cpuMsPerRequest'];

export const DEFAULT_ALPHA = 0.05;

export const DEFAULT_THRESHOLDS: Thresholds = {
  alpha: DEFAULT_ALPHA,
  minEffect: DEFAULT_MIN_EFFECTS,
  gate: DEFAULT_GATE,
  budgets: [],
  control: [],
  overrides: [],
  approvals: [],
};

function overrideApplies(o: Override, scenario: string, request: string | null): boolean {
  if (o.scenario !== undefined && o.scenario !== scenario) return false;
  if (o.request !== undefined && o.request !== request) return false;
  return true;
}

function specificity(o: Override): number {
  return (o.scenario !== undefined ? 1 : 0) + (o.request !== undefined ? 2 : 0);
}

/**
 * The rule of one series: defaults, then the overrides that match it from the least to the most specific
 * (scenario, then request, then both; a later one of equal specificity wins). Budgets of an override
 * replace the inherited ones of their metric. A control request never gates.
 */
export function ruleFor(
  t: Thresholds,
  scenario: string,
  request: string | null,
  metric: MetricId,
): SeriesRule {
  let minEffect = t.minEffect[metric];
  let gate = t.gate;
  let budgets = t.budgets.filter((b) => b.metric === metric);
  const applicable = t.overrides
    .filter((o) => overrideApplies(o, scenario, request))
    .sort((a, b) => specificity(a) - specificity(b));
  for (const o of applicable) {
    minEffect = o.minEffect[metric] ?? minEffect;
    if (o.gate) gate = o.gate;
    const own = o.budgets.filter((b) => b.metric === metric);
    if (own.length) budgets = own;
  }
  const control = request !== null && t.control.includes(request);
  return { minEffect, gating: gate.includes(metric) && !control, budgets, control };
}
