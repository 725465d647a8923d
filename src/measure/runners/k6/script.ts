// k6 scripts for one trial. perf-gate owns the load shape (load model, duration, concurrency), so both
// the script generated from a scenario's requests and the wrapper around a user's own script set k6's
// `scenarios` option from the trial; only what an iteration does differs.
import { weightedCycle } from '../request-mix.ts';
import { requestUrl } from '../types.ts';
import type { Scenario } from '../../../scenario/model.ts';
import type { LoadModel } from '../../../contracts/run-result.ts';

/** The single k6 scenario of every perf-gate script (its name shows in k6's `scenario` tag). */
export const K6_SCENARIO_NAME = 'perfgate';

/** Environment variable carrying the request table when it must not be in the script (distributed). */
export const REQUESTS_ENV = 'PERF_GATE_REQUESTS';

/** Tags the parser reads from a generated script's samples. */
export const GENERATED_SYSTEM_TAGS = ['name', 'status', 'expected_response', 'error_code'] as const;

/** Tags the parser needs from a user's script (`group` tells setup/teardown apart); kept if it narrows them. */
export const REQUIRED_SYSTEM_TAGS = [...GENERATED_SYSTEM_TAGS, 'group'] as const;

/** A status, or an inclusive range, as `http.expectedStatuses()` takes them. */
export type ExpectedStatus = number | { min: number; max: number };

/** One request as the generated script sends it. */
export interface K6RequestRow {
  name: string;
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
  expect: ExpectedStatus[];
}

export interface K6Executor {
  executor: 'constant-vus' | 'constant-arrival-rate';
  duration: string;
  gracefulStop: string;
  vus?: number;
  rate?: number;
  timeUnit?: string;
  preAllocatedVUs?: number;
  maxVUs?: number;
}

/** k6 executor for a load model: closed -> constant-vus, rate -> constant-arrival-rate. */
export function k6Executor(load: LoadModel, durationMs: number, timeoutMs: number): K6Executor {
  const common = {
    duration: msText(durationMs),
    // Requests in flight when the window closes may finish (or time out) rather than be cut off unseen.
    gracefulStop: msText(timeoutMs),
  };
  if (load.model === 'closed') return { executor: 'constant-vus', vus: load.connections, ...common };
  const { rate, timeUnit } = integerRate(load.ratePerSec);
  return {
    executor: 'constant-arrival-rate',
    rate,
    timeUnit,
    // One VU holds one connection: `connections` caps the concurrency, as in the built-in rate model.
    preAllocatedVUs: load.connections,
    maxVUs: load.connections,
    ...common,
  };
}

/** k6 wants an integer `rate` per `timeUnit`: 2.5/s becomes 25 per 10 s (same even spacing). */
export function integerRate(ratePerSec: number): { rate: number; timeUnit: string } {
  for (const seconds of [1, 10, 100, 1000]) {
    const scaled = ratePerSec * seconds;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) {
      return { rate: Math.round(scaled), timeUnit: `${seconds}s` };
    }
  }
  return { rate: Math.max(1, Math.round(ratePerSec * 1000)), timeUnit: '1000s' };
}

/** A value as JavaScript source: JSON, with the two line separators JSON allows raw but JS sources may not. */
function js(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function msText(ms: number): string {
  return `${Math.max(1, Math.round(ms))}ms`;
}

/** Contiguous statuses as ranges: every 2xx is one `{min: 200, max: 299}`, not 100 numbers. */
export function compressStatuses(statuses: readonly number[]): ExpectedStatus[] {
  const sorted = [...new Set(statuses)].sort((a, b) => a - b);
  const out: ExpectedStatus[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(j - i >= 2 ? { min: sorted[i]!, max: sorted[j]! } : sorted[i]!);
    if (j - i === 1) out.push(sorted[j]!);
    i = j + 1;
  }
  return out;
}

/** The scenario's requests as the generated script's table (URLs absolute, bodies raw). */
export function k6RequestTable(scenario: Scenario): K6RequestRow[] {
  return scenario.requests.map((r) => ({
    name: r.name,
    method: r.method,
    url: requestUrl(scenario.target, r.path).href,
    body: r.body ?? null,
    headers: r.headers,
    expect: compressStatuses(r.expectStatus),
  }));
}

export interface GeneratedScriptOptions {
  /**
   * 'inline': the request table is written into the script (a local temp file, removed after the trial).
   * 'env': read from the REQUESTS_ENV variable, so header values (secrets) stay out of a ConfigMap.
   */
  requestTable: 'inline' | 'env';
}

/** The k6 script that sends a scenario's requests under its load model for one trial. */
export function generateK6Script(
  scenario: Scenario,
  durationMs: number,
  options: GeneratedScriptOptions = { requestTable: 'inline' },
): string {
  if (scenario.requests.length === 0) throw new Error('a generated k6 script needs at least one request');
  const cycle = weightedCycle(scenario.requests.map((r) => r.weight));
  const k6Options = {
    scenarios: { [K6_SCENARIO_NAME]: k6Executor(scenario.load, durationMs, scenario.timeoutMs) },
    // perf-gate never reads bodies; k6 still counts their bytes in data_received.
    discardResponseBodies: true,
    // One request, one response, as with the built-in runners: a redirect is the response.
    maxRedirects: 0,
    // Only the tags the parser reads: smaller NDJSON, faster parsing.
    systemTags: [...GENERATED_SYSTEM_TAGS],
  };
  const table =
    options.requestTable === 'inline'
      ? js(k6RequestTable(scenario))
      : `__ENV.${REQUESTS_ENV} ? JSON.parse(__ENV.${REQUESTS_ENV}) : []`;
  return `// Generated by perf-gate for scenario ${js(scenario.name)}, for one trial. Do not edit.
import http from 'k6/http';
import exec from 'k6/execution';

const REQUESTS = ${table};
// Weighted round-robin over the requests, indexed by the test-wide iteration number.
const CYCLE = ${js(cycle)};
const TIMEOUT = ${js(msText(scenario.timeoutMs))};

const PARAMS = REQUESTS.map((request) => ({
  headers: request.headers,
  tags: { name: request.name },
  timeout: TIMEOUT,
  responseCallback: http.expectedStatuses(...request.expect),
}));

export const options = ${js(k6Options, 2)};

export default function () {
  if (REQUESTS.length === 0) exec.test.abort('perf-gate: the request table (${REQUESTS_ENV}) is missing');
  const index = CYCLE[exec.scenario.iterationInTest % CYCLE.length];
  const request = REQUESTS[index];
  // Tags every sample of this iteration, data_received included, with the request's name
  // (exec.vu.metrics.tags since k6 v0.45, exec.vu.tags before).
  (exec.vu.metrics ? exec.vu.metrics.tags : exec.vu.tags).name = request.name;
  http.request(request.method, request.url, request.body, PARAMS[index]);
}
`;
}

/**
 * The entry script that runs a user's own k6 script under the trial's load: the user's default function,
 * setup and teardown, with their options minus anything that shapes the load.
 * `importSpecifier` is how the wrapper imports it: a file:// URL locally, './script.js' in a ConfigMap.
 */
export function wrapUserScript(scenario: Scenario, durationMs: number, importSpecifier: string): string {
  const executor = k6Executor(scenario.load, durationMs, scenario.timeoutMs);
  return `// Generated by perf-gate for scenario ${js(scenario.name)}, for one trial. Do not edit.
// It runs your script's default function under perf-gate's load model.
import * as user from ${js(importSpecifier)};

if (typeof user.default !== 'function') {
  throw new Error('perf-gate: the k6 script must export a default function (it is what each iteration runs)');
}

const userOptions = Object.assign({}, user.options);
// perf-gate owns the load shape; these would conflict with its scenario.
for (const key of ['scenarios', 'vus', 'duration', 'iterations', 'stages', 'executionSegment', 'executionSegmentSequence']) {
  delete userOptions[key];
}
if (Array.isArray(userOptions.systemTags)) {
  for (const tag of ${js(REQUIRED_SYSTEM_TAGS)}) {
    if (!userOptions.systemTags.includes(tag)) userOptions.systemTags.push(tag);
  }
}

export const options = Object.assign(userOptions, {
  scenarios: { ${K6_SCENARIO_NAME}: Object.assign(${js(executor)}, { exec: 'default' }) },
});

export function setup() {
  return typeof user.setup === 'function' ? user.setup() : undefined;
}

export function teardown(data) {
  if (typeof user.teardown === 'function') user.teardown(data);
}

export default function (data) {
  return user.default(data);
}
`;
}
