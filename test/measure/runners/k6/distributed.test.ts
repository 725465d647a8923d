// Distributed k6 trials through the k6-operator. There is no cluster on the build machines: these tests
// run test/fixtures/k6/fake-kubectl.mjs in place of kubectl, a STAND-IN that records what is applied and
// deleted and serves each runner pod's log as one shard of the real k6 NDJSON run (with k6's own text
// lines around it). What is tested is perf-gate's side: the manifests, the polling and log following, the
// exact merge of the shards, failure reporting and cleanup.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TrialRecorder } from '../../../../src/measure/collectors/request-recorder.ts';
import { createK6Engine } from '../../../../src/measure/runners/k6/engine.ts';
import { K6Tally } from '../../../../src/measure/runners/k6/ndjson.ts';
import { REQUESTS_ENV } from '../../../../src/measure/runners/k6/script.ts';
import type { Scenario } from '../../../../src/scenario/model.ts';
import { testScenario } from '../../../helpers/scenario.ts';
import { FAKE_KUBECTL, realRunText } from './fixture.ts';
import { synthNdjson } from './synth-ndjson.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-gate-k6-dist-'));
const userScript = path.join(dir, 'browse.js');
let state: string;

beforeAll(() => {
  chmodSync(FAKE_KUBECTL, 0o755);
  writeFileSync(
    userScript,
    "import http from 'k6/http';\nexport default function () { http.get('http://x/'); }\n",
  );
});
beforeEach(() => {
  state = mkdtempSync(path.join(dir, 'state-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenario(
  parallelism: number,
  over: Partial<Scenario> = {},
  requests: Parameters<typeof testScenario>[1] = [],
) {
  return testScenario('http://checkout.staging.svc:8080', requests, {
    name: 'Checkout Flow',
    runner: 'k6',
    load: { model: 'closed', connections: 10, durationMs: 20_000 },
    k6: {
      binary: 'k6',
      ...(requests.length === 0 ? { script: userScript } : {}),
      distributed: { parallelism, namespace: 'load', kubectl: FAKE_KUBECTL, startTimeoutMs: 60_000 },
    },
    ...over,
  });
}

const run = (s: Scenario, env: Record<string, string> = {}) =>
  createK6Engine(s, { env: { ...process.env, FAKE_KUBECTL_STATE: state, ...env }, pollMs: 10 }).runTrial({
    scenario: s,
    durationMs: 20_000,
  });

const calls = () =>
  readFileSync(path.join(state, 'calls.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as string[]);
const applied = () =>
  JSON.parse(readFileSync(path.join(state, 'applied.json'), 'utf8')) as {
    items: Array<{ kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown }>;
  };
const deleted = () => readFileSync(path.join(state, 'deleted.log'), 'utf8');

function unsplit() {
  const tally = new K6Tally(new TrialRecorder([]));
  for (const line of realRunText().split('\n')) tally.line(line);
  tally.finish();
  return tally;
}
const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => (a.name < b.name ? -1 : 1));

describe('k6 engine (distributed), with a stand-in kubectl', () => {
  it.each([2, 3, 7])('%i runners: the shards merge to exactly the single-runner result', async (n) => {
    const raw = await run(scenario(n));
    const whole = unsplit();
    expect(byName(raw.recorder.results(20_000))).toEqual(byName(whole.recorder.results(20_000)));
    expect(raw.problems).toEqual([]);
    expect(raw.generator?.engineVersion).toBe(
      `k6 (the operator's default image, ${n} runners via k6-operator)`,
    );

    // One log follower per runner pod, and everything was cleaned up.
    const logs = calls().filter((args) => args[0] === 'logs');
    expect(logs).toHaveLength(n);
    for (const args of logs)
      expect(args).toEqual([
        'logs',
        '-f',
        expect.stringMatching(/^perf-gate-checkout-flow-/),
        '-c',
        'k6',
        '-n',
        'load',
      ]);
    const testRun = applied().items.find((item) => item.kind === 'TestRun')!;
    expect(deleted()).toContain(`testrun/${testRun.metadata.name}`);
    expect(deleted()).toContain(`configmap/${testRun.metadata.name}-script`);
  });

  it("applies a TestRun whose ConfigMap holds the wrapper and the user's script", async () => {
    await run(scenario(3));
    const { items } = applied();
    expect(items.map((item) => item.kind)).toEqual(['ConfigMap', 'TestRun']);
    const [configMap, testRun] = items as unknown as [
      { data: Record<string, string>; metadata: { name: string; namespace: string } },
      { spec: { parallelism: number; arguments: string; script: unknown }; metadata: { name: string } },
    ];
    expect(configMap.metadata.namespace).toBe('load');
    expect(Object.keys(configMap.data)).toEqual(['perf-gate.js', 'script.js']);
    expect(configMap.data['script.js']).toBe(readFileSync(userScript, 'utf8'));
    expect(configMap.data['perf-gate.js']).toContain('import * as user from "./script.js";');
    expect(configMap.data['perf-gate.js']).toContain('"vus":10');
    expect(testRun.spec).toMatchObject({
      parallelism: 3,
      arguments: '--out json=- --no-color',
      script: { configMap: { name: configMap.metadata.name, file: 'perf-gate.js' } },
    });
    expect(calls()[0]).toEqual(['apply', '-f', '-', '-n', 'load']);
  });

  it('generated script: header values travel in a Secret, never in the ConfigMap', async () => {
    const ndjson = path.join(dir, 'pay.ndjson');
    writeFileSync(
      ndjson,
      synthNdjson(
        Array.from({ length: 40 }, (_, i) => ({
          name: i % 4 === 0 ? 'pay' : 'quote',
          status: 200,
          ms: 1 + i / 10,
        })),
      ),
    );
    const s = scenario(2, {}, [
      { name: 'quote', path: '/quote', weight: 3 },
      { name: 'pay', path: '/pay', headers: { Authorization: 'Bearer s3cr3t-token' } },
    ]);
    const raw = await run(s, { FAKE_KUBECTL_NDJSON: ndjson });
    expect(raw.recorder.results(20_000).map((r) => [r.name, r.attempts])).toEqual([
      ['quote', 30],
      ['pay', 10],
    ]);
    const { items } = applied();
    expect(items.map((item) => item.kind)).toEqual(['Secret', 'ConfigMap', 'TestRun']);
    const manifests = JSON.stringify(items);
    const secret = items[0] as unknown as { stringData: Record<string, string> };
    expect(secret.stringData['requests.json']).toContain('s3cr3t-token');
    expect(JSON.stringify(items.slice(1))).not.toContain('s3cr3t-token');
    expect(manifests).toContain(REQUESTS_ENV);
    expect(deleted()).toContain(`secret/${items[0]!.metadata.name}`);
  });

  it("a runner's script exception is an error naming the runner, the exit code and its output; cleanup still runs", async () => {
    const error = await run(scenario(3), { FAKE_KUBECTL_EXIT_CODES: '0,107,0' }).catch(
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /k6 runner perf-gate-checkout-flow-\w+-2-\w+ \(Error\) failed: exit code 107 \(the script threw an exception\); its last output:\n[\s\S]*TypeError: Cannot read property/,
    );
    expect(deleted()).toContain('testrun/perf-gate-checkout-flow-');
  });

  it("the operator's 'error' stage is reported with the initializer's output", async () => {
    const error = await run(scenario(2), {
      FAKE_KUBECTL_STAGE: 'error',
      FAKE_KUBECTL_INIT_LOG:
        'time="x" level=error msg="SyntaxError: Unexpected token" hint="script exception"\n',
    }).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/stage 'error'.*\n.*SyntaxError: Unexpected token/);
  });

  it('refuses more runners than connections, before touching the cluster', async () => {
    await expect(run(scenario(11))).rejects.toThrow(/parallelism \(11\) is more than the 10 connections/);
    expect(() => readFileSync(path.join(state, 'calls.log'))).toThrow();
  });

  it('a missing kubectl is an error with the install hint', async () => {
    const s = scenario(2);
    s.k6!.distributed!.kubectl = path.join(dir, 'no', 'kubectl');
    mkdirSync(path.join(dir, 'no'), { recursive: true });
    await expect(run(s)).rejects.toThrow(
      /kubectl not found: cannot run '.*no\/kubectl' \(ENOENT\)\. Install kubectl/,
    );
  });
});
