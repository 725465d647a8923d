// The `thresholds` section of perf-gate.yml as a zod schema: it validates the section (every problem at
// once, located by the config parser, with "did you mean" for unknown keys), documents every field in the
// generated JSON schema (docs/schemas/perf-gate.schema.json), and its output is the parsed policy
// (`Thresholds`, src/compare/rules.ts), so thresholds are parsed once, when the config loads.
import { z } from 'zod';
import { METRICS } from '../../compare/metrics.ts';
import { METRIC_IDS, type MetricId } from '../../contracts/metric-ids.ts';
import {
  DEFAULT_ALPHA,
  DEFAULT_GATE,
  DEFAULT_MIN_EFFECTS,
  type Approval,
  type Budget,
  type MinEffect,
  type Override,
  type Thresholds,
} from '../../compare/rules.ts';
import {
  BUDGET_EXPECTED,
  BUDGET_PATTERN,
  minEffectExpected,
  minEffectPattern,
  parseBudget,
  parseMinEffect,
  type GrammarResult,
} from './grammar.ts';

/**
 * A string in one of the grammars (grammar.ts), parsed. Checked before the type, so that a value of the
 * wrong type is told what the grammar expects ("a relative change such as '+10%'"), not just "a string".
 */
function grammarString<T>(parse: (raw: unknown) => GrammarResult<T>) {
  return z
    .preprocess((value, ctx) => {
      const parsed = parse(value);
      if (isGrammarError(parsed)) {
        ctx.addIssue({
          code: 'custom',
          message: parsed.error,
          params: { expected: parsed.expected },
          input: value,
        });
      }
      return value;
    }, z.string())
    .transform((text) => parse(text) as T);
}

function isGrammarError<T>(parsed: GrammarResult<T>): parsed is { error: string; expected: string } {
  return typeof parsed === 'object' && parsed !== null && 'error' in parsed;
}

/** A minimum effect of one metric (`p95: +10%`), parsed. */
function minEffectSchema(metric: MetricId, where: string) {
  const def = METRICS[metric];
  return grammarString<MinEffect>((raw) => parseMinEffect(metric, raw))
    .meta({
      description: `Minimum effect of the ${def.label} that matters${where}: ${minEffectExpected(metric)}. Default ${DEFAULT_MIN_EFFECTS[metric].text}.`,
      pattern: minEffectPattern(metric),
      examples: [DEFAULT_MIN_EFFECTS[metric].text],
    })
    .optional();
}

/** `p50: ..., p95: ..., errorRate: ...`: one optional minimum-effect field per metric. */
function minEffectFields(where: string) {
  return Object.fromEntries(METRIC_IDS.map((id) => [id, minEffectSchema(id, where)])) as Record<
    MetricId,
    ReturnType<typeof minEffectSchema>
  >;
}

/** Keeps the minimum effects that were given (the fields of absent metrics are undefined). */
function givenEffects(
  fields: Partial<Record<MetricId, MinEffect | undefined>>,
): Partial<Record<MetricId, MinEffect>> {
  const out: Partial<Record<MetricId, MinEffect>> = {};
  for (const id of METRIC_IDS) {
    const effect = fields[id];
    if (effect !== undefined) out[id] = effect;
  }
  return out;
}

const metricSchema = z
  .enum(METRIC_IDS, { error: 'unknown metric' })
  .describe(`A metric: ${METRIC_IDS.join(', ')}.`);

const metricList = (description: string) => z.array(metricSchema).describe(description);

const budgetSchema = grammarString<Budget>(parseBudget).meta({
  description: `An absolute limit, checked on the candidate's median over its valid trials: ${BUDGET_EXPECTED}. Latency takes us, ms or s; the error rate %; throughput /s; memory MB, MiB, GB or GiB; CPU cores a plain number.`,
  pattern: BUDGET_PATTERN,
  examples: ['p95 < 300ms', 'errorRate < 1%', 'throughput >= 200/s'],
});

const budgetList = (description: string) => z.array(budgetSchema).describe(description);

const nameSchema = (description: string) => z.string().min(1).describe(description).optional();

const overrideSchema = z
  .strictObject({
    scenario: nameSchema('The scenario this override applies to (all scenarios when absent).'),
    request: nameSchema('The request name this override applies to (all requests when absent).'),
    gate: metricList('The gating metrics of the matching series (replaces the inherited list).').optional(),
    budgets: budgetList(
      'Budgets of the matching series: they replace the inherited budgets of their metric.',
    ).optional(),
    ...minEffectFields(' in the matching series'),
  })
  .superRefine(
    (override, ctx) => {
      // Runs even when other fields are invalid (every problem at once): only trusts what it checks.
      const value: unknown = override;
      if (typeof value !== 'object' || value === null) return;
      if ('scenario' in value || 'request' in value) return;
      ctx.addIssue({
        code: 'custom',
        message: 'an override names a scenario, a request, or both',
        params: { expected: 'scenario: or request:' },
        input: undefined,
      });
    },
    { when: () => true },
  )
  .transform(({ scenario, request, gate, budgets, ...effects }): Override => ({
    ...(scenario !== undefined ? { scenario } : {}),
    ...(request !== undefined ? { request } : {}),
    minEffect: givenEffects(effects),
    ...(gate !== undefined ? { gate } : {}),
    budgets: budgets ?? [],
  }))
  .describe(
    'Rules for the series of a scenario, a request, or a request in a scenario. Overrides apply from the least to the most specific (scenario, then request, then both).',
  );

const approvalSchema = z
  .strictObject({
    scenario: nameSchema('Approve only in this scenario.'),
    request: nameSchema('Approve only this request.'),
    metric: metricSchema.optional(),
    reason: z
      .string({ error: (issue) => (issue.input === undefined ? 'an approval needs a reason' : undefined) })
      .min(1)
      .describe('Why this regression is intended; shown in the report.'),
  })
  .transform(({ scenario, request, metric, reason }): Approval => ({
    ...(scenario !== undefined ? { scenario } : {}),
    ...(request !== undefined ? { request } : {}),
    ...(metric !== undefined ? { metric } : {}),
    reason,
  }))
  .describe(
    'An intended regression: approves the regressions and budget breaches that match its optional scenario, request and metric.',
  );

export const thresholdsSchema = z
  .strictObject({
    alpha: z
      .number()
      .gt(0)
      .lt(0.5)
      .default(DEFAULT_ALPHA)
      .describe('Family-wise error rate of the gate (Holm over the gating series), between 0 and 0.5.'),
    gate: metricList(
      `The metrics that can fail the build. Default [${DEFAULT_GATE.join(', ')}] (cpuMsPerRequest only where a resource probe measured it).`,
    ).default(DEFAULT_GATE),
    budgets: budgetList(
      'Absolute limits on the candidate, for every request (or scenario, for throughput).',
    ).default([]),
    control: z
      .array(z.string().min(1).describe('A request name.'))
      .default([])
      .describe(
        'Requests the change cannot affect: never gating; if one moves, the environment changed and regressions of its scenario must exceed its move.',
      ),
    overrides: z.array(overrideSchema).default([]).describe('Rules for particular scenarios and requests.'),
    approve: z.array(approvalSchema).default([]).describe('Intended regressions, each with a reason.'),
    ...minEffectFields(''),
  })
  .transform(({ alpha, gate, budgets, control, overrides, approve, ...effects }): Thresholds => ({
    alpha,
    minEffect: { ...DEFAULT_MIN_EFFECTS, ...givenEffects(effects) },
    gate,
    budgets,
    control,
    overrides,
    approvals: approve,
  }))
  .describe(
    "The gate's thresholds (docs/thresholds.md): minimum effects per metric, the gating metrics, budgets, control requests, overrides and approvals. Absent or empty: the defaults.",
  );
