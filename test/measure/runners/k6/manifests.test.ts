import { describe, expect, it } from 'vitest';
import {
  ENTRY_FILE,
  k6OperatorManifests,
  k6OperatorNames,
  manifestList,
  parseRunnerPods,
} from '../../../../src/measure/runners/k6/distributed.ts';
import { REQUESTS_ENV } from '../../../../src/measure/runners/k6/script.ts';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('k6-operator manifests', () => {
  it('names are valid Kubernetes names, short enough for the jobs the operator derives', () => {
    for (const scenario of [
      'checkout',
      'Checkout Flow (EU) — v2!!',
      '---',
      'a'.repeat(200),
      'x-'.repeat(30),
    ]) {
      const names = k6OperatorNames(scenario, 'a1b2c3');
      for (const name of Object.values(names)) expect(name).toMatch(DNS_LABEL);
      expect(`${names.testRun}-initializer`.length).toBeLessThanOrEqual(63);
      expect(`${names.testRun}-service-1000`.length).toBeLessThanOrEqual(63);
    }
    expect(k6OperatorNames('Checkout Flow', 'a1b2c3').testRun).toBe('perf-gate-checkout-flow-a1b2c3');
  });

  it('a TestRun with parallelism, the script from a ConfigMap, NDJSON on stdout, the request table in a Secret', () => {
    const names = k6OperatorNames('checkout', 'a1b2c3');
    const items = k6OperatorManifests({
      names,
      namespace: 'load',
      parallelism: 4,
      image: 'grafana/k6:1.0.0',
      files: { [ENTRY_FILE]: '// script' },
      requestsJson: '[{"name":"a"}]',
    });
    expect(items.map((item) => item.kind)).toEqual(['Secret', 'ConfigMap', 'TestRun']);
    const [secret, configMap, testRun] = items;
    expect(secret).toMatchObject({
      apiVersion: 'v1',
      metadata: { name: 'perf-gate-checkout-a1b2c3-requests', namespace: 'load' },
      stringData: { 'requests.json': '[{"name":"a"}]' },
    });
    expect(configMap).toMatchObject({
      apiVersion: 'v1',
      metadata: { name: 'perf-gate-checkout-a1b2c3-script', namespace: 'load' },
      data: { 'perf-gate.js': '// script' },
    });
    expect(testRun).toEqual({
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: {
        name: 'perf-gate-checkout-a1b2c3',
        namespace: 'load',
        labels: { 'app.kubernetes.io/managed-by': 'perf-gate' },
      },
      spec: {
        parallelism: 4,
        script: { configMap: { name: 'perf-gate-checkout-a1b2c3-script', file: 'perf-gate.js' } },
        arguments: '--out json=- --no-color',
        runner: {
          image: 'grafana/k6:1.0.0',
          env: [
            { name: 'K6_NO_USAGE_REPORT', value: 'true' },
            {
              name: REQUESTS_ENV,
              valueFrom: {
                secretKeyRef: { name: 'perf-gate-checkout-a1b2c3-requests', key: 'requests.json' },
              },
            },
          ],
        },
      },
    });
    const list = JSON.parse(manifestList(items)) as { kind: string; items: unknown[] };
    expect(list.kind).toBe('List');
    expect(list.items).toEqual(items);
  });

  it("a user's script: no Secret, no namespace means kubectl's current one", () => {
    const items = k6OperatorManifests({
      names: k6OperatorNames('s', 'x'),
      parallelism: 2,
      files: { [ENTRY_FILE]: 'wrapper', 'script.js': 'user' },
    });
    expect(items.map((item) => item.kind)).toEqual(['ConfigMap', 'TestRun']);
    expect(JSON.stringify(items)).not.toContain('namespace');
    expect(JSON.stringify(items)).not.toContain('"image"');
  });
});

describe('runner pods from kubectl', () => {
  it('reads phases and the k6 container exit', () => {
    const pods = parseRunnerPods(
      JSON.stringify({
        items: [
          { metadata: { name: 'r-1-abc' }, status: { phase: 'Pending' } },
          {
            metadata: { name: 'r-2-abc' },
            status: { phase: 'Running', containerStatuses: [{ name: 'k6', state: { running: {} } }] },
          },
          {
            metadata: { name: 'r-3-abc' },
            status: {
              phase: 'Failed',
              containerStatuses: [
                { name: 'istio-proxy', state: { terminated: { exitCode: 0 } } },
                { name: 'k6', state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } },
              ],
            },
          },
          { metadata: { name: 'r-4-abc' }, status: { phase: 'Failed', reason: 'Evicted' } },
        ],
      }),
    );
    expect(pods).toEqual([
      { name: 'r-1-abc', phase: 'Pending' },
      { name: 'r-2-abc', phase: 'Running' },
      { name: 'r-3-abc', phase: 'Failed', exit: { code: 137, signal: null, reason: 'OOMKilled' } },
      { name: 'r-4-abc', phase: 'Failed', exit: { code: null, signal: null, reason: 'pod failed' } },
    ]);
  });
});
