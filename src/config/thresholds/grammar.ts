// The two small languages inside `thresholds` (docs/thresholds.md): a minimum effect (`+10%`, `-5%`,
// `+1pp`) and a budget (`p95 < 300ms`, `errorRate < 1%`, `throughput >= 200/s`). Pure: text in, a typed
// value or the reason it is not one (with what was expected) out; the zod schema turns those into issues.
import { isMetricId, METRICS } from '../../compare/metrics.ts';
import { METRIC_IDS, type MetricId } from '../../contracts/metric-ids.ts';
import type { Budget, BudgetOp, MinEffect } from '../../compare/rules.ts';

export type GrammarResult<T> = T | { error: string; expected: string };

/** What a minimum effect of this metric looks like, in words (for errors and the JSON schema). */
export function minEffectExpected(metric: MetricId): string {
  const def = METRICS[metric];
  const sign = def.worse === 'higher' ? '+' : '-';
  return def.scale === 'difference'
    ? `a change in percentage points such as '+1pp'`
    : `a relative change such as '${sign}10%' (${def.worse === 'higher' ? 'an increase' : 'a decrease'} is worse)`;
}

/** A regular expression for the JSON schema: the sign of the worse direction, then % (or pp for differences). */
export function minEffectPattern(metric: MetricId): string {
  const def = METRICS[metric];
  const sign = def.worse === 'higher' ? '\\+' : '-';
  return `^\\s*${sign}\\s*\\d+(\\.\\d+)?\\s*${def.scale === 'difference' ? 'pp' : '%'}\\s*$`;
}

/** Parses `+10%`, `-5%` (relative) or `+1pp` (absolute percentage points, error rate only). */
export function parseMinEffect(metric: MetricId, raw: unknown): GrammarResult<MinEffect> {
  const def = METRICS[metric];
  const sign = def.worse === 'higher' ? '+' : '-';
  const expected = minEffectExpected(metric);
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

export const BUDGET_EXPECTED = `'<metric> <op> <value>' such as 'p95 < 300ms', 'errorRate < 1%' or 'throughput > 200/s'`;
export const BUDGET_PATTERN = '^\\s*[A-Za-z0-9]+\\s*(<=|>=|<|>)\\s*\\d+(\\.\\d+)?\\s*[A-Za-zµ%/]*\\s*$';

const LATENCY_UNITS: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000 };
const BYTE_UNITS: Record<string, number> = {
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** A budget's number in the metric's unit (µs, bytes, cores, fraction, req/s), from its written unit. */
function budgetValue(metric: MetricId, n: number, unitText: string): GrammarResult<number> {
  const def = METRICS[metric];
  const fail = (error: string) => ({ error, expected: BUDGET_EXPECTED });
  switch (def.unit) {
    case 'us':
    case 'ms': {
      const factor = LATENCY_UNITS[unitText];
      if (factor === undefined) return fail(`${def.label} needs a unit (us, ms or s)`);
      return def.unit === 'ms' ? (n * factor) / 1000 : n * factor;
    }
    case 'bytes': {
      const factor = BYTE_UNITS[unitText.toLowerCase()];
      if (factor === undefined) return fail(`${def.label} needs a unit (MB, MiB, GB, GiB)`);
      return n * factor;
    }
    case 'cores':
      return unitText === '' || unitText === 'cores' ? n : fail(`${def.label} is a number of cores`);
    case 'fraction':
      return unitText === '%' ? n / 100 : fail('the error rate is given in %');
    case 'req/s':
      return ['/s', 'rps', 'req/s', ''].includes(unitText) ? n : fail('throughput is given per second (/s)');
  }
}

/** Parses `p95 < 300ms`, `errorRate < 1%`, `throughput >= 200/s`. */
export function parseBudget(raw: unknown): GrammarResult<Budget> {
  if (typeof raw !== 'string') return { error: 'wrong type', expected: BUDGET_EXPECTED };
  const m = /^\s*([A-Za-z0-9]+)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)\s*([A-Za-zµ%/]*)\s*$/.exec(raw);
  if (!m) return { error: 'not a budget', expected: BUDGET_EXPECTED };
  const [, metric, op, num, unitText] = m as unknown as [string, string, BudgetOp, string, string];
  if (!isMetricId(metric)) {
    return { error: `unknown metric '${metric}'`, expected: `one of ${METRIC_IDS.join(', ')}` };
  }
  const value = budgetValue(metric, Number(num), unitText);
  if (typeof value !== 'number') return value;
  return { metric, op, value, text: raw.trim() };
}
