// The thresholds grammar (docs/thresholds.md). Pure: parses the raw `thresholds` value of perf-gate.yml
// into typed rules and reports every problem with its field path; the config loader adds line numbers.
//
//   thresholds:
//     alpha: 0.05                 # family-wise error rate of the gate (Holm)
//     p95: +10%                   # minimum effect that matters, per metric
//     throughput: -5%
//     errorRate: +1pp             # percentage points
//     gate: [p95, errorRate, throughput]
//     budgets: ["p95 < 300ms", "errorRate < 1%"]
//     control: [health]           # requests the change cannot affect: they detect environment drift
//     overrides:
//       - { scenario: checkout, request: pay, p95: +20%, budgets: ["p95 < 500ms"] }
//     approve:
//       - { request: pay, metric: p95, reason: "fraud check, JIRA-123" }
import { isMetricId, METRICS, type MetricId } from '../compare/metrics.ts';

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

export interface Thresholds {
  alpha: number;
  minEffect: Record<MetricId, MinEffect>;
  gate: MetricId[];
  budgets: Budget[];
  control: string[];
  overrides: Override[];
  approvals: Approval[];
}

export interface ThresholdIssue {
  path: Array<string | number>;
  message: string;
  expected?: string;
  found?: string;
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

export const DEFAULT_THRESHOLDS: Thresholds = {
  alpha: 0.05,
  minEffect: DEFAULT_MIN_EFFECTS,
  gate: DEFAULT_GATE,
  budgets: [],
  control: [],
  overrides: [],
  approvals: [],
};

const TOP_KEYS = new Set(['alpha', 'gate', 'budgets', 'control', 'overrides', 'approve']);
const OVERRIDE_KEYS = new Set(['scenario', 'request', 'gate', 'budgets']);
const APPROVAL_KEYS = new Set(['scenario', 'request', 'metric', 'reason']);
const METRIC_LIST = Object.keys(METRICS).join(', ');

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v)));

/** Parses `+10%`, `-5%` (relative) or `+1pp` (absolute percentage points, error rate only). */
export function parseMinEffect(
  metric: MetricId,
  raw: unknown,
): MinEffect | { error: string; expected: string } {
  const def = METRICS[metric];
  const sign = def.worse === 'higher' ? '+' : '-';
  const expected =
    def.scale === 'difference'
      ? `a change in percentage points such as '+1pp'`
      : `a relative change such as '${sign}10%' (${def.worse === 'higher' ? 'an increase' : 'a decrease'} is worse)`;
  if (typeof raw !== 'string') return { error: 'wrong type', expected };
  const m = /^\s*([+-])\s*(\d+(?:\.\d+)?)\s*(%|pp)\s*$/.exec(raw);
  if (!m) return { error: 'not a minimum effect', expected };
  const [, s, num, unit] = m as unknown as [string, string, string, string];
  const magnitude = Number(num);
  if (s !== sign) {
    return {
      error: `${def.label} gets worse when it ${def.worse === 'higher' ? 'rises' : 'falls'}`,
      expected,
    };
  }
  if (magnitude <= 0) return { error: 'a minimum effect must be greater than zero', expected };
  if (def.scale === 'difference') {
    if (unit !== 'pp') return { error: `${def.label} is compared in percentage points`, expected };
    return { kind: 'absolute', value: magnitude / 100, text: raw.trim() };
  }
  if (unit !== '%') return { error: 'percentage points apply to the error rate only', expected };
  return { kind: 'relative', value: ((s === '-' ? -1 : 1) * magnitude) / 100, text: raw.trim() };
}

const LATENCY_UNITS: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000 };
const BYTE_UNITS: Record<string, number> = {
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Parses `p95 < 300ms`, `errorRate < 1%`, `throughput >= 200/s`. */
export function parseBudget(raw: unknown): Budget | { error: string; expected: string } {
  const expected = `'<metric> <op> <value>' such as 'p95 < 300ms', 'errorRate < 1%' or 'throughput > 200/s'`;
  if (typeof raw !== 'string') return { error: 'wrong type', expected };
  const m = /^\s*([A-Za-z0-9]+)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*([A-Za-zµ%/]*)\s*$/.exec(raw);
  if (!m) return { error: 'not a budget', expected };
  const [, metricText, op, num, unitText] = m as unknown as [string, string, BudgetOp, string, string];
  if (!isMetricId(metricText))
    return { error: `unknown metric '${metricText}'`, expected: `one of ${METRIC_LIST}` };
  const metric = metricText;
  const def = METRICS[metric];
  const n = Number(num);
  let value: number;
  if (def.unit === 'us' || def.unit === 'ms') {
    const factor = LATENCY_UNITS[unitText];
    if (factor === undefined) return { error: `${def.label} needs a unit (us, ms or s)`, expected };
    value = def.unit === 'ms' ? (n * factor) / 1000 : n * factor;
  } else if (def.unit === 'bytes') {
    const factor = BYTE_UNITS[unitText.toLowerCase()];
    if (factor === undefined) return { error: `${def.label} needs a unit (MB, MiB, GB, GiB)`, expected };
    value = n * factor;
  } else if (def.unit === 'cores') {
    if (unitText !== '' && unitText !== 'cores')
      return { error: `${def.label} is a number of cores`, expected };
    value = n;
  } else if (def.unit === 'fraction') {
    if (unitText !== '%') return { error: 'the error rate is given in %', expected };
    value = n / 100;
  } else {
    if (!['/s', 'rps', 'req/s', ''].includes(unitText))
      return { error: 'throughput is given per second (/s)', expected };
    value = n;
  }
  return { metric, op, value, text: raw.trim() };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseMetricList(
  raw: unknown,
  path: Array<string | number>,
  issues: ThresholdIssue[],
): MetricId[] | undefined {
  if (!Array.isArray(raw)) {
    issues.push({
      path,
      message: 'wrong type',
      expected: `a list of metrics (${METRIC_LIST})`,
      found: show(raw),
    });
    return undefined;
  }
  const out: MetricId[] = [];
  raw.forEach((m, i) => {
    if (typeof m === 'string' && isMetricId(m)) out.push(m);
    else
      issues.push({
        path: [...path, i],
        message: 'unknown metric',
        expected: `one of ${METRIC_LIST}`,
        found: show(m),
      });
  });
  return out;
}

function parseBudgets(raw: unknown, path: Array<string | number>, issues: ThresholdIssue[]): Budget[] {
  if (!Array.isArray(raw)) {
    issues.push({ path, message: 'wrong type', expected: 'a list of budgets', found: show(raw) });
    return [];
  }
  const out: Budget[] = [];
  raw.forEach((b, i) => {
    const r = parseBudget(b);
    if ('error' in r)
      issues.push({ path: [...path, i], message: r.error, expected: r.expected, found: show(b) });
    else out.push(r);
  });
  return out;
}

/** Metric keys (`p95: +10%`) of an object, parsed; other keys are left to the caller. */
function parseMinEffects(
  obj: Record<string, unknown>,
  path: Array<string | number>,
  issues: ThresholdIssue[],
): Partial<Record<MetricId, MinEffect>> {
  const out: Partial<Record<MetricId, MinEffect>> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (!isMetricId(key)) continue;
    const r = parseMinEffect(key, value);
    if ('error' in r)
      issues.push({ path: [...path, key], message: r.error, expected: r.expected, found: show(value) });
    else out[key] = r;
  }
  return out;
}

function checkKeys(
  obj: Record<string, unknown>,
  allowed: Set<string>,
  path: Array<string | number>,
  issues: ThresholdIssue[],
): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key) && !isMetricId(key)) {
      issues.push({
        path: [...path, key],
        message: 'unknown key',
        expected: `one of ${[...allowed, ...Object.keys(METRICS)].join(', ')}`,
        found: show(key),
      });
    }
  }
}

function optionalString(
  obj: Record<string, unknown>,
  key: string,
  path: Array<string | number>,
  issues: ThresholdIssue[],
): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v === 'string' && v.length > 0) return v;
  issues.push({
    path: [...path, key],
    message: 'wrong type',
    expected: 'a non-empty string',
    found: show(v),
  });
  return undefined;
}

export function parseThresholds(raw: unknown): { value: Thresholds; issues: ThresholdIssue[] } {
  const issues: ThresholdIssue[] = [];
  if (raw === undefined || raw === null) return { value: DEFAULT_THRESHOLDS, issues };
  if (!isRecord(raw)) {
    issues.push({ path: [], message: 'wrong type', expected: 'a mapping', found: show(raw) });
    return { value: DEFAULT_THRESHOLDS, issues };
  }
  checkKeys(raw, TOP_KEYS, [], issues);
  let alpha = DEFAULT_THRESHOLDS.alpha;
  if (raw.alpha !== undefined) {
    if (typeof raw.alpha === 'number' && raw.alpha > 0 && raw.alpha < 0.5) alpha = raw.alpha;
    else
      issues.push({
        path: ['alpha'],
        message: 'out of range',
        expected: 'a number between 0 and 0.5, such as 0.05',
        found: show(raw.alpha),
      });
  }
  const minEffect = { ...DEFAULT_MIN_EFFECTS, ...parseMinEffects(raw, [], issues) };
  const gate =
    raw.gate === undefined ? DEFAULT_GATE : (parseMetricList(raw.gate, ['gate'], issues) ?? DEFAULT_GATE);
  const budgets = raw.budgets === undefined ? [] : parseBudgets(raw.budgets, ['budgets'], issues);

  let control: string[] = [];
  if (raw.control !== undefined) {
    if (Array.isArray(raw.control) && raw.control.every((c) => typeof c === 'string' && c.length > 0)) {
      control = raw.control as string[];
    } else {
      issues.push({
        path: ['control'],
        message: 'wrong type',
        expected: 'a list of request names',
        found: show(raw.control),
      });
    }
  }

  const overrides: Override[] = [];
  if (raw.overrides !== undefined) {
    if (!Array.isArray(raw.overrides)) {
      issues.push({
        path: ['overrides'],
        message: 'wrong type',
        expected: 'a list of overrides',
        found: show(raw.overrides),
      });
    } else {
      raw.overrides.forEach((o, i) => {
        const path = ['overrides', i];
        if (!isRecord(o)) {
          issues.push({
            path,
            message: 'wrong type',
            expected: 'a mapping with scenario and/or request',
            found: show(o),
          });
          return;
        }
        checkKeys(o, OVERRIDE_KEYS, path, issues);
        const scenario = optionalString(o, 'scenario', path, issues);
        const request = optionalString(o, 'request', path, issues);
        if (scenario === undefined && request === undefined) {
          issues.push({
            path,
            message: 'an override names a scenario, a request, or both',
            expected: 'scenario: or request:',
          });
        }
        const gateO = o.gate === undefined ? undefined : parseMetricList(o.gate, [...path, 'gate'], issues);
        overrides.push({
          ...(scenario !== undefined ? { scenario } : {}),
          ...(request !== undefined ? { request } : {}),
          minEffect: parseMinEffects(o, path, issues),
          ...(gateO ? { gate: gateO } : {}),
          budgets: o.budgets === undefined ? [] : parseBudgets(o.budgets, [...path, 'budgets'], issues),
        });
      });
    }
  }

  const approvals: Approval[] = [];
  if (raw.approve !== undefined) {
    if (!Array.isArray(raw.approve)) {
      issues.push({
        path: ['approve'],
        message: 'wrong type',
        expected: 'a list of approvals',
        found: show(raw.approve),
      });
    } else {
      raw.approve.forEach((a, i) => {
        const path = ['approve', i];
        if (!isRecord(a)) {
          issues.push({ path, message: 'wrong type', expected: 'a mapping with a reason', found: show(a) });
          return;
        }
        for (const key of Object.keys(a)) {
          if (!APPROVAL_KEYS.has(key)) {
            issues.push({
              path: [...path, key],
              message: 'unknown key',
              expected: [...APPROVAL_KEYS].join(', '),
              found: show(key),
            });
          }
        }
        const reason = optionalString(a, 'reason', path, issues);
        if (reason === undefined && a.reason === undefined) {
          issues.push({
            path: [...path, 'reason'],
            message: 'an approval needs a reason',
            expected: 'reason: <why this regression is intended>',
          });
        }
        let metric: MetricId | undefined;
        if (a.metric !== undefined) {
          if (typeof a.metric === 'string' && isMetricId(a.metric)) metric = a.metric;
          else
            issues.push({
              path: [...path, 'metric'],
              message: 'unknown metric',
              expected: `one of ${METRIC_LIST}`,
              found: show(a.metric),
            });
        }
        const scenario = optionalString(a, 'scenario', path, issues);
        const request = optionalString(a, 'request', path, issues);
        approvals.push({
          ...(scenario !== undefined ? { scenario } : {}),
          ...(request !== undefined ? { request } : {}),
          ...(metric ? { metric } : {}),
          reason: reason ?? '',
        });
      });
    }
  }
  return { value: { alpha, minEffect, gate, budgets, control, overrides, approvals }, issues };
}

export interface SeriesRules {
  minEffect: MinEffect;
  gating: boolean;
  budgets: Budget[];
}

function overrideApplies(o: Override, scenario: string, request: string | null): boolean {
  if (o.scenario !== undefined && o.scenario !== scenario) return false;
  if (o.request !== undefined && o.request !== request) return false;
  return true;
}

/** The rules for one series: defaults, then overrides in order (a later one wins), the most specific last. */
export function rulesFor(
  t: Thresholds,
  scenario: string,
  request: string | null,
  metric: MetricId,
): SeriesRules {
  let minEffect = t.minEffect[metric];
  let gate = t.gate;
  const budgets = t.budgets.filter((b) => b.metric === metric);
  const applicable = t.overrides
    .filter((o) => overrideApplies(o, scenario, request))
    .sort((a, b) => specificity(a) - specificity(b));
  for (const o of applicable) {
    minEffect = o.minEffect[metric] ?? minEffect;
    if (o.gate) gate = o.gate;
    const own = o.budgets.filter((b) => b.metric === metric);
    if (own.length) budgets.splice(0, budgets.length, ...own);
  }
  const isControl = request !== null && t.control.includes(request);
  return { minEffect, gating: gate.includes(metric) && !isControl, budgets };
}

function specificity(o: Override): number {
  return (o.scenario !== undefined ? 1 : 0) + (o.request !== undefined ? 2 : 0);
}
