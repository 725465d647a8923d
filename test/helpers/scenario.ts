import type { RequestSpec, Scenario } from '../../src/scenario/model.ts';

/** A resolved scenario for tests, with short trials. */
export function testScenario(
  target: string,
  requests: Array<Partial<RequestSpec> & { name: string; path: string }>,
  over: Partial<Scenario> = {},
): Scenario {
  return {
    name: 'test',
    file: 'test.yml',
    runner: 'autocannon',
    target,
    requests: requests.map((r) => ({
      method: 'GET',
      headers: {},
      expectStatus: [200],
      weight: 1,
      ...r,
    })),
    load: { model: 'closed', connections: 4, durationMs: 1500 },
    warmupMs: 0,
    trials: 1,
    pauseMs: 0,
    timeoutMs: 2000,
    ...over,
  };
}
