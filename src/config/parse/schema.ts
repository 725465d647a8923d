// The two file kinds, as zod schemas: `perf-gate.yml` (the project config) and scenario files. Every
// object is strict (an unknown key is an error: typos must not be silently ignored) and every field carries
// a description, so the JSON schemas generated from these (docs/schemas/) double as the reference.
//
// These schemas validate the *raw* files: durations stay strings here (`'10s'`) and defaults of the config
// are applied; the merge into the resolved `Scenario` happens in parse-config.ts.

import { z } from 'zod';
import { HTTP_METHODS } from '../../scenario/model.ts';
import { DURATION_PATTERN, parseDuration, type DurationOptions } from './durations.ts';
import { thresholdsSchema } from '../thresholds/schema.ts';

export const RUNNERS = ['autocannon', 'k6'] as const;

export const DEFAULT_SCENARIOS_GLOB = 'scenarios/*.yml';
export const DEFAULT_OUTPUT_DIR = '.perf-gate';
export const DEFAULT_BASELINE_DIR = '.perf-gate/baselines';

/** A duration string (`'10s'`, `'500ms'`, `'1m30s'`). Bare numbers are refused: they have no unit. */
function duration(description: string, options: DurationOptions = {}) {
  return z
    .preprocess((value, ctx) => {
      if (value === undefined) {
        ctx.addIssue({ code: 'invalid_type', expected: 'string', input: value });
        return value;
      }
      const parsed = parseDuration(value, options);
      if (!parsed.ok) {
        ctx.addIssue({
          code: 'custom',
          message: parsed.message,
          params: { expected: parsed.expected, found: parsed.found },
          input: value,
        });
      }
      return value;
    }, z.string())
    .meta({
      description: `${description} A duration: a number with a unit (ms, s, m, h), e.g. '500ms', '10s', '1.5m', '1m30s'.`,
      pattern: DURATION_PATTERN,
    });
}

/** Why a string is not usable as a base URL; undefined when it is. */
export function checkHttpUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `unsupported protocol '${url.protocol}'`;
  if (url.search !== '' || url.hash !== '') return 'a base URL cannot have a query or a fragment';
  return undefined;
}

export const URL_EXPECTED = "an http:// or https:// base URL such as 'http://127.0.0.1:3000'";

function httpUrl(description: string) {
  return z
    .string()
    .superRefine((text, ctx) => {
      const problem = checkHttpUrl(text);
      if (problem !== undefined) {
        ctx.addIssue({ code: 'custom', message: problem, params: { expected: URL_EXPECTED }, input: text });
      }
    })
    .meta({ description, format: 'uri', examples: ['http://127.0.0.1:3000'] });
}

const positiveInt = (min: number, max?: number) => {
  const base = z.int().min(min);
  return max === undefined ? base : base.max(max);
};

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const headers = (description: string) =>
  z
    .record(
      z.string().regex(HEADER_NAME, { error: 'not a valid header name' }).describe('Header name.'),
      z
        .string()
        .regex(/^[^\r\n]*$/, { error: 'a header value cannot contain a line break' })
        .describe('Header value (a string: quote numbers).'),
    )
    .describe(description);

export const runnerSchema = z
  .enum(RUNNERS)
  .describe("Load generator: 'autocannon' (built in, Node.js) or 'k6' (the k6 binary must be installed).");

export const trialsSchema = positiveInt(1, 100).describe(
  'Number of measured trials per scenario (and per side, base and head); with adaptive trials (defaults.sequential) the budget: the gate stops earlier when the verdict is clear. More trials give tighter confidence intervals.',
);

export const sequentialSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('false: every scenario runs all its trials, and the gate decides once.'),
    first: positiveInt(2, 100)
      .default(3)
      .describe(
        'Trials (pairs in paired mode) measured before the first look (2 to 100); a scenario whose trial budget is smaller runs its budget.',
      ),
    maxTime: duration(
      'Wall-time budget of the measured trials, all scenarios together: no look is started that would end beyond it.',
    ).prefault('10m'),
  })
  .describe(
    'Adaptive trials: start with `first` trials, add more only while the verdict is undecided (up to `trials`, the budget), and stop on a clear fail or a clear pass; each look spends its share of alpha, so looking again never raises false alarms (docs/statistics.md).',
  );

export const closedLoadSchema = z
  .strictObject({
    model: z
      .literal('closed')
      .describe(
        'Closed model: a fixed number of connections, each sending its next request when the previous answer arrives.',
      ),
    connections: positiveInt(1).describe('Number of concurrent connections.'),
    duration: duration('Length of each trial.'),
  })
  .describe('Closed load model: latency at a fixed concurrency; throughput is meaningful.');

export const rateLoadSchema = z
  .strictObject({
    model: z.literal('rate').describe('Open model: requests are sent at a constant arrival rate.'),
    rate: z.number().positive().describe('Intended arrival rate, in requests per second.'),
    duration: duration('Length of each trial.'),
    connections: positiveInt(1)
      .default(100)
      .describe('Maximum concurrency (connections) used to hold the rate.'),
  })
  .describe(
    'Open (rate) load model: constant arrival rate; latency is measured from the scheduled send time (coordinated omission corrected).',
  );

export const loadSchema = z
  .discriminatedUnion('model', [closedLoadSchema, rateLoadSchema])
  .describe("Load model, chosen by 'model': 'closed' or 'rate'.");

const STATUS_CLASS = /^[1-5][xX][xX]$/;
export const EXPECT_EXPECTED = "a status code (100-599), a status class such as '2xx', or a list of these";

const statusItem = z.union([
  positiveInt(100, 599).describe('An HTTP status code.'),
  z
    .string()
    .regex(STATUS_CLASS, { error: "not a status class such as '2xx'" })
    .describe("A status class: '1xx' to '5xx'."),
]);

export const expectSchema = z
  .union([statusItem, z.array(statusItem).min(1)], { error: `expected ${EXPECT_EXPECTED}` })
  .describe(
    "Statuses that count as success; anything else counts as an error. Default: every 2xx. Examples: 200, [200, 404], '3xx'.",
  );

// prefault, not default: the default goes through the transform, and (unlike a default) shows in the
// generated JSON schema.
const methodSchema = z
  .string()
  .transform((method) => method.toUpperCase())
  .pipe(z.enum(HTTP_METHODS))
  .prefault('GET')
  .meta({
    description: `HTTP method, case-insensitive: ${HTTP_METHODS.join(', ')}.`,
    enum: [...HTTP_METHODS, ...HTTP_METHODS.map((method) => method.toLowerCase())],
  });

export const requestSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(100)
      .describe('Name of the request, unique in the scenario: results are reported per request name.'),
    method: methodSchema,
    path: z
      .string()
      .startsWith('/')
      .describe("Path and query, starting with '/'; joined to the target's base URL."),
    headers: headers(
      'Headers of this request, merged over the scenario headers (this request wins).',
    ).optional(),
    body: z.string().describe('Raw request body (a string). Not together with json.').optional(),
    json: z
      .unknown()
      .describe(
        "A JSON body: any YAML value, serialised to JSON; sets 'content-type: application/json' unless a content-type header is given. Not together with body.",
      )
      .optional(),
    expect: expectSchema.optional(),
    weight: positiveInt(1)
      .default(1)
      .describe('Relative share of this request in the mix (an integer >= 1).'),
  })
  .superRefine(
    (request, ctx) => {
      // Runs even when other fields of the request are invalid (all problems are reported at once), so the
      // value is not trusted to be well-formed here.
      const value: unknown = request;
      if (!isRecord(value) || value.body === undefined || value.json === undefined) return;
      ctx.addIssue({
        code: 'custom',
        path: ['json'],
        message: "'body' and 'json' cannot be used together",
        params: { expected: 'either body (a raw string) or json (a value serialised to JSON)' },
        input: value.json,
      });
    },
    { when: () => true },
  )
  .describe('One named request of the scenario.');

// A Kubernetes name (RFC 1123 label), for the namespace of a distributed k6 run.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const k6DistributedSchema = z
  .strictObject({
    parallelism: positiveInt(1, 1000).describe(
      'Number of k6 runner pods; the load (connections, rate) is split between them by k6 execution segments.',
    ),
    namespace: z
      .string()
      .max(63)
      .regex(DNS_LABEL, { error: 'not a Kubernetes namespace name' })
      .describe("Namespace of the TestRun and its ConfigMap. Default: kubectl's current namespace.")
      .optional(),
    kubectl: z
      .string()
      .min(1)
      .describe(
        "kubectl executable: a command on PATH, or a path relative to the scenario file. Default: 'kubectl'.",
      )
      .optional(),
    image: z
      .string()
      .min(1)
      .describe("k6 runner image, e.g. 'grafana/k6:1.0.0'. Default: the k6-operator's default image.")
      .optional(),
    startTimeout: duration(
      "How long the cluster may take to schedule and start the runners, on top of the trial. Default: '5m'.",
    ).optional(),
  })
  .describe('Run each trial on Kubernetes through the k6-operator (a TestRun with this many runners).');

export const k6Schema = z
  .strictObject({
    binary: z
      .string()
      .min(1)
      .describe("k6 executable: a command on PATH, or a path relative to the scenario file. Default: 'k6'.")
      .optional(),
    script: z
      .string()
      .min(1)
      .describe(
        "Your own k6 script (relative to the scenario file) instead of generated requests: its requests' `name` tags become the request names. Not together with 'requests'.",
      )
      .optional(),
    distributed: k6DistributedSchema.optional(),
  })
  .describe('Options of the k6 runner (only with runner: k6). See docs/k6.md.');

/** A byte size such as '512MiB', '2GiB', '200MB'. */
const BYTE_SIZE = /^\s*\d+(?:\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/;

/** A Node inspector: its WebSocket URL (`ws://127.0.0.1:9229/<id>`) or its HTTP address. */
function inspectorUrl(description: string) {
  return z
    .string()
    .superRefine((text, ctx) => {
      let url: URL | undefined;
      try {
        url = new URL(text);
      } catch {
        url = undefined;
      }
      const problem =
        url === undefined
          ? 'not a valid URL'
          : url.protocol !== 'ws:' && url.protocol !== 'http:'
            ? `unsupported protocol '${url.protocol}'`
            : undefined;
      if (problem !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: problem,
          params: {
            expected: "a Node inspector URL such as 'ws://127.0.0.1:9229/<id>' or 'http://127.0.0.1:9229'",
          },
          input: text,
        });
      }
    })
    .meta({ description, examples: ['http://127.0.0.1:9229', 'ws://127.0.0.1:9229/0f2c…'] });
}

export const profileSchema = z
  .strictObject({
    pprof: httpUrl(
      "A pprof CPU-profile endpoint, e.g. http://127.0.0.1:6060/debug/pprof/profile: each trial's profile is fetched with ?seconds=<trial length> and stored with the run.",
    ).optional(),
    inspector: inspectorUrl(
      'The inspector of a running Node process perf-gate does not start (node --inspect=127.0.0.1:9229): each trial is profiled with Profiler.start/stop over it. For a service perf-gate starts, use service.cpuProfile instead.',
    ).optional(),
    baselinePprof: httpUrl(
      "Paired mode: the baseline deployment's pprof endpoint, so both sides are profiled.",
    ).optional(),
    baselineInspector: inspectorUrl(
      "Paired mode: the baseline deployment's Node inspector, so both sides are profiled.",
    ).optional(),
    keepInlining: z
      .boolean()
      .default(false)
      .describe(
        "A service perf-gate starts with cpuProfile runs with node's --no-turbo-inlining unless this is true: Node's profiler charges an inlined function's time to whichever caller it was inlined into, so the function a PR slowed can vanish from the profile (docs/attribution.md).",
      ),
    samplingInterval: duration(
      "How often V8 samples the stack when profiling over the inspector (service.cpuProfile, inspector, baselineInspector). Default '1ms' (V8's); smaller sees shorter functions and costs more CPU (docs/attribution.md, overhead).",
    ).optional(),
  })
  .superRefine((value, ctx) => {
    for (const [a, b] of [
      ['pprof', 'inspector'],
      ['baselinePprof', 'baselineInspector'],
    ] as const) {
      if (value[a] !== undefined && value[b] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `'${a}' and '${b}' profile the same side: set one of them`,
          path: [b],
          input: value[b],
        });
      }
    }
  })
  .describe(
    'Per-trial CPU profiles of a target perf-gate does not start: a Node inspector or any runtime serving pprof over HTTP (docs/attribution.md).',
  );

export const serviceSchema = z
  .strictObject({
    command: z
      .array(z.string().min(1))
      .min(1)
      .describe("The command that starts the target, as a list: ['node', 'dist/server.js']. No shell."),
    cwd: z
      .string()
      .min(1)
      .describe("Working directory, relative to this file. Default: this file's directory.")
      .optional(),
    env: z
      .record(z.string(), z.string())
      .describe(
        'Extra environment variables for the service (the rest of the environment is passed on, without the GitHub token and INPUT_*).',
      )
      .optional(),
    readyTimeout: duration('How long the service may take until the target URL answers HTTP.').prefault(
      '30s',
    ),
    cpuProfile: z
      .boolean()
      .default(false)
      .describe(
        'A Node service: start it with --inspect=127.0.0.1:0 and profile each trial over the inspector (Profiler.start/stop; no clean exit needed), storing the profiles with the run so regressions can be attributed to functions (docs/attribution.md). Sampling interval: profile.samplingInterval.',
      ),
  })
  .describe(
    'A target perf-gate starts itself before measuring and stops afterwards; it is ready when the target URL answers. Its process (and children) is the default resource probe.',
  );

export const resourcesSchema = z
  .strictObject({
    pid: positiveInt(1)
      .describe('Probe a local process and its descendants by pid (read from /proc).')
      .optional(),
    cgroup: z
      .string()
      .min(1)
      .describe('Probe a cgroup v2 directory, e.g. /sys/fs/cgroup/system.slice/app.service.')
      .optional(),
    metrics: httpUrl(
      'Probe a Prometheus /metrics URL (process_cpu_seconds_total, process_resident_memory_bytes).',
    ).optional(),
    interval: duration(
      "Sampling interval of the probe. Default '250ms'; '1s' for metrics, whose every scrape costs the target CPU (prom-client collects its metrics per scrape).",
    ).optional(),
  })
  .superRefine((value, ctx) => {
    const set = ['pid', 'cgroup', 'metrics'].filter((k) => value[k as keyof typeof value] !== undefined);
    if (set.length > 1) {
      ctx.addIssue({ code: 'custom', message: `choose one probe, not ${set.join(' and ')}`, input: value });
    }
  })
  .describe(
    "What the target consumes under load (CPU, memory), sampled during each trial. One of pid, cgroup or metrics; default: the process of 'service', if any.",
  );

export const rightsizingSchema = z
  .strictObject({
    targetRps: z
      .number()
      .positive()
      .describe('Expected production peak per replica, req/s. Default: the tested rate.')
      .optional(),
    runtime: z.enum(['node', 'other']).describe("'node' enables the single-main-thread checks.").optional(),
    provider: z
      .enum(['aws', 'gcp', 'azure'])
      .describe('Which shipped price table to use. Default: aws.')
      .optional(),
    prices: z
      .string()
      .min(1)
      .describe('Your own price table (JSON, see docs/rightsizing.md), relative to this file.')
      .optional(),
    families: z.array(z.string().min(1)).describe('Instance families to choose from.').optional(),
    current: z
      .union([
        z.strictObject({
          instance: z.string().min(1).describe('Instance type it runs on today, e.g. m7i.4xlarge.'),
        }),
        z.strictObject({
          cpu: z.number().positive().describe('Cores it has today.'),
          memory: z
            .string()
            .regex(BYTE_SIZE, { error: "expected a size such as '4GiB'" })
            .describe('Memory it has today.'),
          hourlyUsd: z.number().positive().describe('What it costs per hour, if known.').optional(),
        }),
      ])
      .describe('What the target runs on today, for the current-versus-recommended comparison.')
      .optional(),
    cpuHeadroom: z.number().min(0).max(5).describe('Headroom on top of the p95 CPU (0.2 = 20 %).').optional(),
    memoryHeadroom: z
      .number()
      .min(0)
      .max(5)
      .describe('Headroom on top of the memory peak (0.15 = 15 %).')
      .optional(),
  })
  .describe('Advisory rightsizing from measured resource use (docs/rightsizing.md).');

export const configSchema = z
  .strictObject({
    target: httpUrl(
      'Base URL of the system under test, e.g. http://127.0.0.1:3000 (may carry a path prefix). Required unless every scenario sets one or the CLI gets --target.',
    ).optional(),
    scenarios: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
        error: 'expected a file path or glob, or a list of them',
      })
      .default(DEFAULT_SCENARIOS_GLOB)
      .describe(
        'Scenario files: a path or glob, or a list of them, relative to this file. Each pattern must match at least one file.',
      ),
    defaults: z
      .strictObject({
        trials: trialsSchema.default(10),
        // Durations use prefault (a default that is parsed, and shown in the JSON schema).
        warmup: duration("Length of the discarded warm-up trial before measuring; '0s' skips it.", {
          allowZero: true,
        }).prefault('5s'),
        pause: duration("Pause between trials; '0s' for none.", { allowZero: true }).prefault('1s'),
        timeout: duration('Per-request timeout.').prefault('10s'),
        load: loadSchema.prefault({ model: 'closed', connections: 10, duration: '10s' }),
        runner: runnerSchema.default('autocannon'),
        sequential: sequentialSchema.prefault({}),
      })
      .prefault({})
      .describe('Settings every scenario inherits unless it overrides them.'),
    generator: z
      .strictObject({
        maxCpu: z
          .number()
          .positive()
          .default(0.9)
          .describe(
            'CPU of the load generator, in cores (1 = one full core), averaged over a trial, above which the trial is invalid (the generator, not the target, was the bottleneck).',
          ),
        maxEventLoopDelay: duration(
          'p99 event-loop delay of the load generator above which a trial is invalid.',
        ).prefault('20ms'),
        minRateAchieved: z
          .number()
          .min(0)
          .max(1)
          .default(0.95)
          .describe(
            'Rate model: achieved/intended arrival rate below this fraction means the load was not held (trial invalid).',
          ),
      })
      .prefault({})
      .describe('Limits beyond which the load generator itself is saturated and a trial is discarded.'),
    invalidTrials: z
      .strictObject({
        tolerated: z
          .number()
          .int()
          .min(0)
          .default(1)
          .describe(
            "Invalid trials (saturated generator, load not held) the candidate may have beyond the baseline's, per scenario, before the gate fails. A target that fails (refused, reset, timeouts, only unexpected statuses) always stops the run.",
          ),
      })
      .prefault({})
      .describe('How many lost trials the gate tolerates.'),
    output: z
      .string()
      .min(1)
      .default(DEFAULT_OUTPUT_DIR)
      .describe('Directory for results and reports, relative to this file.'),
    baseline: z
      .strictObject({
        dir: z
          .string()
          .min(1)
          .default(DEFAULT_BASELINE_DIR)
          .describe('Directory of stored baselines, relative to this file.'),
      })
      .prefault({})
      .describe('Where baselines are stored.'),
    // Null (a `thresholds:` whose entries are all commented out) means the defaults, like absence.
    thresholds: thresholdsSchema.nullish().describe(thresholdsSchema.description ?? ''),
    service: serviceSchema.optional(),
    profile: profileSchema.optional(),
    resources: resourcesSchema.optional(),
    rightsizing: rightsizingSchema.optional(),
  })
  .meta({
    title: 'perf-gate configuration (perf-gate.yml)',
    description: 'Project configuration of perf-gate: target, scenario files, defaults and limits.',
  });

export const scenarioSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(100)
      .describe(
        'Name of the scenario, unique across all scenario files; results and baselines are keyed by it.',
      ),
    runner: runnerSchema.optional(),
    trials: trialsSchema.optional(),
    warmup: duration("Overrides defaults.warmup; '0s' skips the warm-up.", { allowZero: true }).optional(),
    pause: duration('Overrides defaults.pause.', { allowZero: true }).optional(),
    timeout: duration('Overrides defaults.timeout.').optional(),
    load: loadSchema.optional(),
    target: httpUrl('Overrides the target of perf-gate.yml for this scenario.').optional(),
    headers: headers('Headers sent with every request of the scenario.').optional(),
    k6: k6Schema.optional(),
    requests: z
      .array(requestSchema)
      .min(1)
      .superRefine(
        (requests, ctx) => {
          // Runs even when some requests are invalid (see requestSchema), so only trusts string names.
          const value: unknown = requests;
          if (!Array.isArray(value)) return;
          const first = new Map<string, number>();
          value.forEach((request: unknown, index) => {
            if (!isRecord(request) || typeof request.name !== 'string') return;
            const seen = first.get(request.name);
            if (seen === undefined) first.set(request.name, index);
            else {
              ctx.addIssue({
                code: 'custom',
                path: [index, 'name'],
                message: `duplicate request name (first used by requests[${seen}])`,
                params: { expected: 'a name unique in the scenario' },
                input: request.name,
              });
            }
          });
        },
        { when: () => true },
      )
      .describe(
        "The requests of the scenario (at least one), sent in proportion to their weight. Required unless 'k6.script' is set.",
      )
      .optional(),
  })
  .superRefine(
    (scenario, ctx) => {
      // Runs even when fields are invalid (all problems are reported at once): only trusts what it checks.
      const value: unknown = scenario;
      if (!isRecord(value)) return;
      const hasScript = isRecord(value.k6) && value.k6.script !== undefined;
      if (value.requests === undefined && !hasScript) {
        ctx.addIssue({
          code: 'custom',
          path: ['requests'],
          message: 'missing required field',
          params: { expected: "a list of requests (or 'k6.script' with runner: k6)" },
          input: undefined,
        });
      }
      if (value.requests !== undefined && hasScript) {
        ctx.addIssue({
          code: 'custom',
          path: ['k6', 'script'],
          message: "'requests' and 'k6.script' cannot be used together",
          params: { expected: "either 'requests' or a k6 script whose `name` tags are the requests" },
          input: isRecord(value.k6) ? value.k6.script : undefined,
        });
      }
    },
    { when: () => true },
  )
  .meta({
    title: 'perf-gate scenario',
    description: 'One perf-gate scenario: the requests to send and how to load the target with them.',
  });

export type RawConfig = z.output<typeof configSchema>;
export type RawScenario = z.output<typeof scenarioSchema>;
export type RawRequest = z.output<typeof requestSchema>;
export type RawLoad = z.output<typeof loadSchema>;
export type RawExpect = z.output<typeof expectSchema>;
export type RawK6 = z.output<typeof k6Schema>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
