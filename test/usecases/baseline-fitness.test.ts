import { describe, expect, it } from 'vitest';
import { baselineProblems } from '../../src/usecases/baseline-fitness.ts';
import type { RunResult } from '../../src/contracts/run-result.ts';
import { DEFAULT_GENERATOR_LIMITS } from '../../src/scenario/model.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

const healthy = () =>
  syntheticRun([
    syntheticScenario('api', [
      {
        name: 'a',
        trialsMs: [
          [1, 2, 3],
          [1, 2, 3],
        ],
      },
      {
        name: 'b',
        trialsMs: [
          [1, 2],
          [1, 2],
        ],
      },
    ]),
  ]);

describe('baselineProblems', () => {
  it('accepts a healthy run', () => {
    expect(baselineProblems(healthy())).toEqual([]);
  });

  it('names a request that never succeeded, with its statuses', () => {
    const run = healthy();
    for (const t of run.scenarios[0]!.trials) {
      const b = t.requests[1]!;
      t.requests[1] = {
        ...b,
        ok: 0,
        attempts: 40,
        errors: { unexpectedStatus: 40, timeouts: 0, connection: 0 },
        statusCodes: { '404': 40 },
      };
    }
    expect(baselineProblems(run).map((p) => p.message)).toEqual([
      'api / b: every request failed (HTTP 404 ×80); check its path and expectStatus',
    ]);
  });

  it('suggests a load the generator can hold when trials were saturated', () => {
    const run = healthy();
    const s = run.scenarios[0]!;
    s.load = { model: 'closed', connections: 8, durationMs: 1000 };
    s.trials[0] = {
      ...s.trials[0]!,
      valid: false,
      invalidReasons: ['load generator saturated'],
      generator: { ...s.trials[0]!.generator, cpuCores: 1.8 },
    };
    const [p] = baselineProblems(run, DEFAULT_GENERATOR_LIMITS);
    // 0.9 / 1.8 of the CPU, with a 20 % margin: 8 x 0.5 x 0.8 = 3 connections.
    expect(p!.message).toMatch(
      /1 of 2 trials invalid \(load generator saturated\); .*connections: 3 \(was 8\)/,
    );
  });

  it('refuses a run that stopped part-way, first', () => {
    const run: RunResult = {
      ...healthy(),
      failure: { scenario: 'api', trial: 1, reason: 'target failing: x' },
    };
    expect(baselineProblems(run)[0]!.message).toMatch(
      /the run stopped part-way \(api, trial 2\): target failing/,
    );
  });
});
