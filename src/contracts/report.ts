// The JSON report (docs/report.md): its zod schema (docs/schemas/report.schema.json is generated from
// it) and the types derived from it. `perf-gate publish` reads reports that a fork's workflow wrote, so
// every field the comment renders is checked for its type here: a number is a finite number, an enum
// one of its values, a string a string. Parts the renderer does not read are allowed through unchecked
// (loose objects); report/model/report-json.ts types those parts with the verdict and comparison types.
import { z } from 'zod';
import { METRIC_IDS } from './metric-ids.ts';
import { loadSchema, runFailureSchema, runMetaSchema, runnerKindSchema } from './run-result.ts';

export const REPORT_SCHEMA_VERSION = 1;
export const REPORT_KIND = 'perf-gate/report';

const num = z.number().finite();
const count = z.number().int().nonnegative();
const nullableNum = num.nullable();
const metric = z.enum(METRIC_IDS);
const seriesStatus = z.enum(['regression', 'warning', 'improvement', 'unchanged', 'inconclusive']);
const outcome = z.enum(['pass', 'warn', 'fail', 'inconclusive', 'no-baseline']);

const approval = z.object({
  source: z.enum(['config', 'flag', 'label']),
  reason: z.string(),
  by: z.string().optional(),
  at: z.string().optional(),
  permission: z.string().optional(),
});

const change = z.object({
  estimate: num,
  lower: num,
  upper: num,
  confidence: num,
  scale: z.enum(['ratio', 'difference']),
});

const stopReason = z.enum(['clear-fail', 'clear-pass', 'budget-trials', 'budget-time', 'fixed']);

/** How the verdict was reached (adaptive trials, look level, achieved confidence): rendered under the headline. */
const decision = z.looseObject({
  lookAlpha: num,
  largestChange: z.looseObject({ text: z.string() }).nullable(),
  sequential: z
    .looseObject({
      trialsUsed: count,
      maxTrials: count,
      look: count,
      looksPlanned: count,
      stopReason,
      elapsedMs: num,
      text: z.string(),
    })
    .optional(),
  achievedConfidence: num.optional(),
  wouldDecide: z.string().optional(),
  runnerDifferences: z.array(z.string()).optional(),
});

const finding = z.looseObject({
  status: z.union([seriesStatus, z.literal('budget-exceeded')]),
  scenario: z.string(),
  request: z.string().nullable(),
  metric,
  gating: z.boolean(),
  baselineMedian: nullableNum,
  candidateMedian: nullableNum,
  change: change.nullable(),
  p: nullableNum,
  pHolm: nullableNum,
  minEffect: z.string(),
  message: z.string(),
  approved: approval.optional(),
  withinNoise: z.boolean().optional(),
});

const verdict = z.looseObject({
  schemaVersion: z.literal(1),
  kind: z.literal('perf-gate/verdict'),
  outcome,
  headline: z.string(),
  reasons: z.array(z.string()),
  counts: z.object({
    regressions: count,
    warnings: count,
    improvements: count,
    budgetsExceeded: count,
    inconclusive: count,
    unchanged: count,
    unmatched: count,
    approved: count,
  }),
  findings: z.array(finding),
  statuses: z.array(seriesStatus),
  budgets: z.array(
    z.object({
      scenario: z.string(),
      request: z.string().nullable(),
      metric,
      budget: z.string(),
      value: nullableNum,
      passed: z.boolean(),
      approved: approval.optional(),
    }),
  ),
  noise: z.looseObject({
    splitHalfScore: nullableNum,
    splitHalfShift: nullableNum,
    environmentShift: num,
    splitSide: z.enum(['baseline', 'candidate']),
    controls: z.array(
      z.object({
        scenario: z.string().optional(),
        request: z.string(),
        metric,
        change: nullableNum,
        moved: z.boolean(),
      }),
    ),
    drifted: z.boolean(),
    reason: z.string().optional(),
  }),
  // Written by releases before adaptive trials; no longer rendered.
  requirement: z.looseObject({}).nullable().optional(),
  decision: decision.optional(),
  approval: approval.optional(),
  alpha: num,
});

const side = z.object({
  label: z.string().optional(),
  sha: z.string().optional(),
  ref: z.string().optional(),
  finishedAt: z.string(),
});

const comparison = z.looseObject({
  schemaVersion: z.literal(1),
  kind: z.literal('perf-gate/comparison'),
  mode: z.enum(['stored', 'paired']),
  alpha: num,
  confidence: num,
  baseline: side,
  candidate: side,
  metrics: z.array(
    z.looseObject({
      scenario: z.string(),
      request: z.string().nullable(),
      metric,
      unit: z.enum(['us', 'req/s', 'fraction', 'ms', 'cores', 'bytes']),
      worse: z.enum(['higher', 'lower']),
      baseline: z.array(num),
      candidate: z.array(num),
      baselineMedian: nullableNum,
      candidateMedian: nullableNum,
      change: change.nullable(),
      p: nullableNum,
      pHolm: nullableNum,
      qBH: nullableNum,
      test: z.enum(['paired-t', 'welch-t', 'mann-whitney', 'wilcoxon-signed-rank', 'none']),
      gating: z.boolean(),
      // The series' resolved threshold rule (reports written before rules were carried have none).
      rule: z
        .looseObject({
          minEffect: z.looseObject({ kind: z.enum(['relative', 'absolute']), value: num, text: z.string() }),
          gating: z.boolean(),
          budgets: z.array(
            z.looseObject({ metric, op: z.enum(['<', '<=', '>', '>=']), value: num, text: z.string() }),
          ),
          control: z.boolean(),
        })
        .optional(),
      note: z.string().optional(),
    }),
  ),
  unmatched: z.array(
    z.object({
      scenario: z.string(),
      side: z.enum(['baseline-only', 'candidate-only', 'changed']),
      detail: z.string(),
    }),
  ),
  trials: z.array(
    z.object({
      scenario: z.string(),
      baseline: count,
      candidate: count,
      invalidBaseline: count,
      invalidCandidate: count,
      candidateInvalidReasons: z.array(z.string()).optional(),
    }),
  ),
  familySize: count,
});

/** A run in brief: what was measured and how many trials counted. */
export const runSummarySchema = z.object({
  meta: runMetaSchema,
  scenarios: z.array(
    z.object({
      name: z.string(),
      fingerprint: z.string(),
      load: loadSchema,
      runner: runnerKindSchema,
      target: z.string().optional(),
      trials: count,
      validTrials: count,
      invalidReasons: z.array(z.string()),
      /** Per request with failures over all trials: how many and which (statuses, socket errors, timeouts). */
      failures: z.array(z.object({ request: z.string(), failed: count, text: z.string() })).optional(),
    }),
  ),
  /** Why the run stopped part-way, when it did. */
  failure: runFailureSchema.optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/** One side's latency distribution of one request, over its valid trials (the HTML report's curves). */
export const latencyDistributionSchema = z.object({
  scenario: z.string(),
  request: z.string(),
  /** Successful responses in the merged histogram. */
  count,
  /** [percentile, latency in µs], ascending. */
  percentilesUs: z.array(z.tuple([num, num])),
});
export type LatencyDistribution = z.infer<typeof latencyDistributionSchema>;

export const reportContextSchema = z.object({
  /** owner/name */
  repository: z.string().optional(),
  pullRequest: z
    .object({
      number: z.number().int().positive(),
      title: z.string().optional(),
      headRef: z.string().optional(),
      baseRef: z.string().optional(),
    })
    .optional(),
  /** The branch the candidate was built from, and the branch it is compared with. */
  branch: z.string().optional(),
  baseBranch: z.string().optional(),
  sha: z.string().optional(),
  /** Link to the CI run. */
  runUrl: z.string().optional(),
  /** The label that approves an intended regression (Action), shown in the "how to approve" line. */
  approveLabel: z.string().optional(),
  /** Pair order of a paired run. */
  pairing: z.object({ seed: z.number().int().nonnegative() }).optional(),
});
export type ReportContext = z.infer<typeof reportContextSchema>;

const optNum = num.optional();
const instance = z.looseObject({
  type: z.string(),
  vcpu: num,
  memoryGiB: num,
  monthlyUsd: num,
  date: z.string(),
});

/** The rightsizing fields the comment renders (rightsizing's RightsizingReport). */
const rightsizing = z.array(
  z.object({
    scenario: z.string(),
    report: z.looseObject({
      label: z.string(),
      status: z.enum(['ok', 'partial', 'absent']),
      headline: z.string(),
      window: z.looseObject({ targetRps: num, description: z.string() }),
      measured: z.looseObject({
        cpuCoresP95: optNum,
        cpuCoresMean: optNum,
        cpuMsPerRequest: optNum,
        memoryPeakBytes: optNum,
      }),
      need: z.looseObject({
        cpuCores: optNum,
        memoryBytes: optNum,
        replicas: num,
        cpuFormula: z.string(),
        memoryFormula: z.string(),
      }),
      instance: instance.nullable(),
      instanceNote: z.string().optional(),
      current: z
        .looseObject({
          description: z.string(),
          monthlyUsd: num,
          deltaMonthlyUsd: optNum,
          cpuUtilisationP95: optNum,
        })
        .optional(),
      allocation: z.string(),
      regressionCost: z
        .looseObject({
          baselineCpuMsPerRequest: num,
          candidateCpuMsPerRequest: num,
          deltaCpuMsPerRequest: num,
          extraCores: num,
          monthlyUsd: num,
          pricedAt: z.looseObject({ type: z.string() }),
        })
        .optional(),
      findings: z.array(z.looseObject({ severity: z.enum(['warning', 'info']), message: z.string() })),
      missing: z.array(z.string()),
      prices: z.looseObject({ provider: z.string(), region: z.string(), pricing: z.string() }),
    }),
  }),
);

const dependency = z.looseObject({
  name: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
});
const missing = z.object({ input: z.string(), detail: z.string() });

/** The attribution fields the comment renders (attribution/attribute.ts's AttributionResult). */
const attribution = z.looseObject({
  status: z.enum(['ok', 'partial', 'unavailable']),
  missing: z.array(missing),
  phases: z
    .array(
      z.looseObject({
        requestName: z.string(),
        latencyShiftMs: num,
        phases: z.array(
          z.looseObject({
            phase: z.string(),
            envelope: z.boolean(),
            shiftMs: num,
            baselineMs: num,
            candidateMs: num,
            explainsShare: nullableNum,
          }),
        ),
        unexplainedMs: num,
        unexplainedShare: nullableNum,
      }),
    )
    .optional(),
  cpu: z
    .looseObject({ baselineMs: num, candidateMs: num, deltaMs: num, p: num, significant: z.boolean() })
    .optional(),
  profileTrials: z.object({ baseline: count, candidate: count }).optional(),
  suspects: z.array(
    z.looseObject({
      kind: z.enum(['function', 'dependency', 'file']),
      name: z.string(),
      file: z.string().optional(),
      line: z.number().int().positive().optional(),
      upgrades: z.array(dependency).optional(),
      creditMs: num,
      share: num,
      evidence: z.enum(['changed-lines-hot', 'self', 'dependency', 'caller', 'distant-caller', 'file']),
      confidence: z.enum(['high', 'medium', 'low']),
    }),
  ),
  unattributed: z.looseObject({ ms: num, share: nullableNum }),
  dependencyUpgrades: z.array(dependency),
  offCpu: z.boolean(),
  notes: z.array(z.string()),
});

/** The base branch's history (trends, change points, creep): every rendered field typed. */
const history = z.object({
  runs: count,
  changePoints: z.array(
    z.object({
      label: z.string(),
      direction: z.enum(['regression', 'improvement']),
      change: z.string(),
      between: z.string(),
      at: z.string(),
    }),
  ),
  creep: z.array(z.object({ label: z.string(), text: z.string(), commits: z.array(z.string()) })),
  trends: z.array(
    z.object({
      label: z.string(),
      metric: z.string(),
      values: z.array(num),
      commits: z.array(z.string()),
      candidate: nullableNum,
    }),
  ),
  notes: z.array(z.string()),
});

export const reportSchema = z.object({
  kind: z.literal(REPORT_KIND),
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generatedAt: z.string(),
  context: reportContextSchema,
  verdict,
  comparison: comparison.nullable(),
  candidate: runSummarySchema,
  baseline: runSummarySchema.nullable(),
  /** Per request and side, from the stored histograms (absent in reports written before them). */
  distributions: z
    .object({ baseline: z.array(latencyDistributionSchema), candidate: z.array(latencyDistributionSchema) })
    .optional(),
  rightsizing: rightsizing.optional(),
  attribution: attribution.optional(),
  /** The main branch's history: change points, creep, trends (src/history/report-data.ts). */
  history: history.optional(),
});
/** What a decoded report is known to hold: the fields the renderer reads, checked; the rest unchecked. */
export type ReportDocument = z.infer<typeof reportSchema>;
