// The generated k6 scripts are checked two ways, since k6 itself cannot run here: Node must parse them
// (`node --check`), and they are executed against stand-ins of the k6 modules they import (k6/http,
// k6/execution), bundled by esbuild, to see what they would ask of k6.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compressStatuses,
  generateK6Script,
  integerRate,
  k6Executor,
  k6RequestTable,
  REQUESTS_ENV,
  wrapUserScript,
} from '../../../../src/measure/runners/k6/script.ts';
import type { Scenario } from '../../../../src/scenario/model.ts';
import { testScenario } from '../../../helpers/scenario.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-gate-k6-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SentRequest {
  method: string;
  url: string;
  body: unknown;
  params: {
    headers: Record<string, string>;
    tags: Record<string, string>;
    timeout: string;
    responseCallback: unknown;
  };
  vuTagName: unknown;
}

interface K6Mock {
  sent: SentRequest[];
  aborted: string[];
  vuTags: Record<string, unknown>;
  iteration: number;
}

/** Runs a script's module against k6 stand-ins; returns its exports and what it asked of k6. */
async function load(script: string, env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const mock: K6Mock = { sent: [], aborted: [], vuTags: {}, iteration: 0 };
  const http = {
    expectedStatuses: (...statuses: unknown[]) => ({ expectedStatuses: statuses }),
    request(method: string, url: string, body: unknown, params: SentRequest['params']) {
      mock.sent.push({ method, url, body, params, vuTagName: mock.vuTags.name });
    },
  };
  const exec = {
    scenario: {
      get iterationInTest() {
        return mock.iteration;
      },
    },
    vu: { metrics: { tags: mock.vuTags } },
    test: {
      abort(message: string) {
        mock.aborted.push(message);
        throw new Error(`aborted: ${message}`);
      },
    },
  };
  const globals = globalThis as Record<string, unknown>;
  globals.__k6mock = { 'k6/http': http, 'k6/execution': exec };
  globals.__ENV = env;
  const workDir = mkdtempSync(path.join(dir, 'run-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(workDir, name), text);
  const bundled = await build({
    stdin: { contents: script, loader: 'js', resolveDir: workDir },
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'k6-stand-ins',
        setup(b) {
          b.onResolve({ filter: /^k6(\/|$)/ }, (args) => ({ path: args.path, namespace: 'k6' }));
          b.onLoad({ filter: /.*/, namespace: 'k6' }, (args) => ({
            contents: `export default globalThis.__k6mock[${JSON.stringify(args.path)}];`,
            loader: 'js',
          }));
        },
      },
    ],
  });
  const file = path.join(workDir, 'bundle.mjs');
  writeFileSync(file, bundled.outputFiles[0]!.text);
  const module = (await import(pathToFileURL(file).href)) as {
    options: Record<string, unknown>;
    default: (data?: unknown) => unknown;
    setup?: () => unknown;
    teardown?: (data: unknown) => void;
  };
  return { module, mock };
}

function syntaxCheck(script: string): void {
  const file = path.join(dir, `check-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  execFileSync(process.execPath, ['--check', file]);
}

const scenario: Scenario = testScenario(
  'http://127.0.0.1:3000/api',
  [
    {
      name: 'list',
      path: '/items?page=1',
      weight: 3,
      expectStatus: Array.from({ length: 100 }, (_, i) => 200 + i),
    },
    {
      name: 'create',
      method: 'POST',
      path: '/items',
      body: '{"sku":"A1"}',
      headers: { 'content-type': 'application/json', Authorization: 'Bearer s3cr3t' },
      expectStatus: [201, 409],
    },
  ],
  { load: { model: 'closed', connections: 8, durationMs: 15_000 }, timeoutMs: 3000 },
);

describe('generated k6 script', () => {
  it('is valid JavaScript', () => {
    syntaxCheck(generateK6Script(scenario, 15_000));
    syntaxCheck(generateK6Script(scenario, 15_000, { requestTable: 'env' }));
  });

  it('names and values cannot break out of the script (line separators are escaped)', async () => {
    const evil = {
      ...scenario,
      name: 'evil\u2028throw new Error("injected")',
      requests: scenario.requests.map((r) => ({ ...r, headers: { 'x-note': 'a\u2029b' } })),
    };
    const script = generateK6Script(evil, 1000);
    expect(script).not.toMatch(/[\u2028\u2029]/);
    syntaxCheck(script);
    const { module, mock } = await load(script);
    module.default();
    expect(mock.sent[0]?.params.headers).toEqual({ 'x-note': 'a\u2029b' });
  });

  it('closed model: constant-vus with `connections` VUs for the trial, in-flight requests may finish', async () => {
    const { module } = await load(generateK6Script(scenario, 2500));
    expect(module.options).toEqual({
      scenarios: {
        perfgate: { executor: 'constant-vus', vus: 8, duration: '2500ms', gracefulStop: '3000ms' },
      },
      discardResponseBodies: true,
      maxRedirects: 0,
      systemTags: ['name', 'status', 'expected_response', 'error_code'],
    });
  });

  it('rate model: constant-arrival-rate with preAllocatedVUs and maxVUs from connections', async () => {
    const rate = {
      ...scenario,
      load: { model: 'rate' as const, ratePerSec: 2.5, connections: 20, durationMs: 10_000 },
    };
    const { module } = await load(generateK6Script(rate, 10_000));
    expect((module.options.scenarios as Record<string, unknown>).perfgate).toEqual({
      executor: 'constant-arrival-rate',
      rate: 25,
      timeUnit: '10s',
      preAllocatedVUs: 20,
      maxVUs: 20,
      duration: '10000ms',
      gracefulStop: '3000ms',
    });
  });

  it('sends every request with its method, URL, body, headers, name tag, timeout and expected statuses', async () => {
    const { module, mock } = await load(generateK6Script(scenario, 1000));
    for (mock.iteration = 0; mock.iteration < 4; mock.iteration++) module.default();
    const create = mock.sent.find((s) => s.params.tags.name === 'create')!;
    expect(create).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:3000/api/items',
      body: '{"sku":"A1"}',
      params: {
        headers: { 'content-type': 'application/json', Authorization: 'Bearer s3cr3t' },
        tags: { name: 'create' },
        timeout: '3000ms',
        responseCallback: { expectedStatuses: [201, 409] },
      },
      vuTagName: 'create',
    });
    const list = mock.sent.find((s) => s.params.tags.name === 'list')!;
    expect(list).toMatchObject({
      method: 'GET',
      url: 'http://127.0.0.1:3000/api/items?page=1',
      body: null,
      params: { responseCallback: { expectedStatuses: [{ min: 200, max: 299 }] } },
      vuTagName: 'list',
    });
  });

  it('honours the weights over the test-wide iteration number', async () => {
    const { module, mock } = await load(generateK6Script(scenario, 1000));
    for (mock.iteration = 0; mock.iteration < 400; mock.iteration++) module.default();
    const names = mock.sent.map((s) => s.params.tags.name);
    expect(names.filter((n) => n === 'list')).toHaveLength(300);
    expect(names.filter((n) => n === 'create')).toHaveLength(100);
    // Interleaved, not in clumps: never more than 3 'list' in a row.
    expect(names.join(',')).not.toMatch(/(list,){4}/);
  });

  it("'env' request table: read from the environment, so header values stay out of the script", async () => {
    const script = generateK6Script(scenario, 1000, { requestTable: 'env' });
    expect(script).not.toContain('s3cr3t');
    const table = JSON.stringify(k6RequestTable(scenario));
    const { module, mock } = await load(script, { [REQUESTS_ENV]: table });
    module.default();
    expect(mock.sent[0]?.params.tags.name).toBe('list');
    // Without it (e.g. a misconfigured runner) the test aborts instead of sending nothing silently.
    const missing = await load(script);
    expect(() => missing.module.default()).toThrow(/aborted/);
    expect(missing.mock.aborted).toEqual([`perf-gate: the request table (${REQUESTS_ENV}) is missing`]);
  });
});

describe("wrapper around a user's script", () => {
  const user = `import http from 'k6/http';
export const options = {
  vus: 50, duration: '5m', stages: [{ duration: '1m', target: 10 }],
  scenarios: { mine: { executor: 'shared-iterations', iterations: 3 } },
  thresholds: { http_req_duration: ['p(95)<200'] },
  systemTags: ['status', 'url'],
};
export function setup() { return { token: 'abc' }; }
export function teardown(data) { globalThis.__tornDown = data; }
export default function (data) { http.request('GET', 'http://x/items/1', null, { tags: { name: 'GET /items/:id' }, token: data.token }); }
`;

  it('runs the default function under the trial load; the script keeps its other options, setup and teardown', async () => {
    const wrapper = wrapUserScript(scenario, 4000, './script.js');
    syntaxCheck(wrapper);
    const { module, mock } = await load(wrapper, {}, { 'script.js': user });
    expect(module.options).toEqual({
      thresholds: { http_req_duration: ['p(95)<200'] },
      // widened to keep the tags perf-gate reads
      systemTags: ['status', 'url', 'name', 'expected_response', 'error_code', 'group'],
      scenarios: {
        perfgate: {
          executor: 'constant-vus',
          vus: 8,
          duration: '4000ms',
          gracefulStop: '3000ms',
          exec: 'default',
        },
      },
    });
    const data = module.setup!();
    module.default(data);
    module.teardown!(data);
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]?.params).toMatchObject({ tags: { name: 'GET /items/:id' }, token: 'abc' });
    expect((globalThis as Record<string, unknown>).__tornDown).toEqual({ token: 'abc' });
  });

  it('a script without setup and teardown works; one without a default function is refused at init', async () => {
    const minimal = `export default function () {}`;
    const { module } = await load(
      wrapUserScript(scenario, 1000, './script.js'),
      {},
      { 'script.js': minimal },
    );
    expect(module.setup!()).toBeUndefined();
    expect(() => module.teardown!(undefined)).not.toThrow();
    await expect(
      load(wrapUserScript(scenario, 1000, './script.js'), {}, { 'script.js': 'export function run() {}' }),
    ).rejects.toThrow(/must export a default function/);
  });
});

describe('executor helpers', () => {
  it('integer rates per time unit keep the exact rate', () => {
    expect(integerRate(200)).toEqual({ rate: 200, timeUnit: '1s' });
    expect(integerRate(2.5)).toEqual({ rate: 25, timeUnit: '10s' });
    expect(integerRate(0.01)).toEqual({ rate: 1, timeUnit: '100s' });
    expect(integerRate(33.333)).toEqual({ rate: 33333, timeUnit: '1000s' });
  });

  it('statuses compress to ranges and singles', () => {
    expect(compressStatuses([204])).toEqual([204]);
    expect(compressStatuses([201, 200])).toEqual([200, 201]);
    expect(compressStatuses([200, 201, 202, 404, 500, 501])).toEqual([{ min: 200, max: 202 }, 404, 500, 501]);
  });

  it('the warm-up duration is the trial duration handed in', () => {
    expect(k6Executor(scenario.load, 5000, 1000)).toMatchObject({
      duration: '5000ms',
      gracefulStop: '1000ms',
    });
  });
});
