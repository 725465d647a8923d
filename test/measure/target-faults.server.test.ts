// A broken target never yields a usable run: on real loopback sockets, a target killed mid-run, refusing,
// answering only 500 or 404, stalling, or resetting mid-response ends the trial early with a named
// reason, stops the run (RunFailure: exit 3), and the partial result keeps the trials measured before.
// Trials here are several seconds long, so "ended early" is asserted as "well before the trial's end".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measure } from '../../src/measure/measure.ts';
import { runGate } from '../../src/usecases/measure-and-decide.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { RunFailure } from '../../src/contracts/errors.ts';
import { silentLogger } from '../../src/contracts/ports.ts';
import type { RunResult } from '../../src/contracts/run-result.ts';
import type { GeneratorLimits, Scenario } from '../../src/scenario/model.ts';
import type { LoadModel } from '../../src/contracts/run-result.ts';
import { Redactor } from '../../src/util/redact.ts';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { testScenario } from '../helpers/scenario.ts';

const LIMITS: GeneratorLimits = { maxCpuCores: 2, maxEventLoopDelayP99Ms: 500, minRateAchieved: 0.5 };
const meta = {
  tool: { perfGate: 'test', autocannon: '9.0.0', node: process.version },
  host: { cpuModel: 'test', cores: 2, platform: 'linux', arch: 'x64', memoryGb: 1 },
};
// Long trials: a fault must end them early; a hang would run the whole 20 s and fail the test.
const TRIAL_MS = 20_000;
const closed: LoadModel = { model: 'closed', connections: 2, durationMs: TRIAL_MS };
const rate: LoadModel = { model: 'rate', ratePerSec: 50, connections: 4, durationMs: TRIAL_MS };

let server: ChildServer;
beforeAll(async () => {
  server = await startChildServer([DELAY_SERVER]);
});
afterAll(async () => {
  await server?.stop();
});

/** Runs the scenario expecting a run failure; returns it with its partial result and how long it took. */
async function failingRun(scenario: Scenario) {
  const t0 = performance.now();
  const err = await measure({
    scenarios: [scenario],
    limits: LIMITS,
    logger: silentLogger,
    redactor: new Redactor(),
    meta,
    skipPreflight: true,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const ms = performance.now() - t0;
  expect(err).toBeInstanceOf(RunFailure);
  const failure = err as RunFailure;
  expect(failure.partial?.failure).toBeDefined();
  return { error: failure, partial: failure.partial as RunResult, ms };
}

const one = (target: string, path: string, load: LoadModel, over: Partial<Scenario> = {}) =>
  testScenario(target, [{ name: 'r', path }], { trials: 3, load, timeoutMs: 1000, ...over });

describe.each([
  ['closed', closed],
  ['rate', rate],
])('a failing target, %s model', (_name, load) => {
  it('all-500: the trial ends early, named by its status, and the run stops', async () => {
    const { error, partial, ms } = await failingRun(one(server.url, '/status/500', load));
    expect(error.message).toMatch(/trial 1\/3: target failing: .*HTTP 500 ×\d+/);
    expect(error.message).not.toMatch(/saturated/);
    expect(partial.failure).toMatchObject({ scenario: 'test', trial: 0 });
    expect(partial.scenarios[0]!.trials).toHaveLength(1);
    expect(partial.scenarios[0]!.trials[0]!.valid).toBe(false);
    expect(partial.scenarios[0]!.trials[0]!.requests[0]!.statusCodes['500']).toBeGreaterThan(0);
    expect(ms).toBeLessThan(TRIAL_MS);
  });

  it('all-404: named as HTTP 404', async () => {
    const { error, ms } = await failingRun(one(server.url, '/status/404', load));
    expect(error.message).toMatch(/HTTP 404 ×\d+/);
    expect(ms).toBeLessThan(TRIAL_MS);
  });

  it('a stall (accepts, never answers): ends within the request timeout plus the fault window', async () => {
    const { error, partial, ms } = await failingRun(one(server.url, '/hang', load));
    expect(error.message).toMatch(/timed out without a response|no request completed/);
    expect(partial.scenarios[0]!.trials[0]!.fault).toBeDefined();
    expect(ms).toBeLessThan(TRIAL_MS);
  });

  it('a reset mid-response: named as a connection error', async () => {
    const { error, ms } = await failingRun(one(server.url, '/reset', load));
    expect(error.message).toMatch(/connection (reset|error|closed)|response cut off|invalid HTTP/);
    expect(error.message).not.toMatch(/undefined|HTTP 0/);
    expect(ms).toBeLessThan(TRIAL_MS);
  });

  it('refusing from the start: connection refused', async () => {
    const gone = await startChildServer([DELAY_SERVER]);
    await gone.stop();
    const { error, ms } = await failingRun(one(gone.url, '/fast', load));
    expect(error.message).toMatch(/connection refused ×\d+/);
    expect(ms).toBeLessThan(TRIAL_MS);
  });
});

describe('a target killed mid-run', () => {
  it('keeps the trials measured before the fault and names the refusal', async () => {
    // Trials of 600 ms with pauses of 50 ms: the server exits 2.5 s after its first request, in trial 4
    // (later on a busy machine, but always after one whole trial and long before the tenth).
    const dying = await startChildServer([DELAY_SERVER, '--die-after=2500']);
    try {
      const scenario = testScenario(dying.url, [{ name: 'r', path: '/delay/2' }], {
        trials: 10,
        pauseMs: 50,
        timeoutMs: 1000,
        load: { model: 'closed', connections: 2, durationMs: 600 },
      });
      const { error, partial } = await failingRun(scenario);
      expect(error.message).toMatch(/trial \d+\/10: target failing: .*connection (refused|reset)/);
      const trials = partial.scenarios[0]!.trials;
      expect(trials.length).toBeGreaterThanOrEqual(2);
      expect(trials.length).toBeLessThan(10);
      expect(trials[0]!.fault).toBeUndefined();
      expect(trials[0]!.requests[0]!.ok).toBeGreaterThan(0);
      expect(trials.at(-1)!.fault).toBeDefined();
      expect(partial.failure!.trial).toBe(trials.length - 1);
    } finally {
      await dying.stop();
    }
  });
});

describe('paired mode: a candidate killed mid-run', () => {
  it('stops with the candidate named, keeping the candidate trials measured before', async () => {
    const dying = await startChildServer([DELAY_SERVER, '--die-after=1500']);
    try {
      const scenario = testScenario(dying.url, [{ name: 'r', path: '/delay/2' }], {
        trials: 10,
        pauseMs: 50,
        timeoutMs: 1000,
        load: { model: 'closed', connections: 2, durationMs: 300 },
      });
      const err = await runGate({
        scenarios: [scenario],
        baselineUrl: server.url,
        seed: 1,
        limits: LIMITS,
        thresholds: DEFAULT_THRESHOLDS,
        logger: silentLogger,
        redactor: new Redactor(),
        meta,
        baselineBranch: 'main',
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(RunFailure);
      const failure = err as RunFailure;
      expect(failure.message).toMatch(/candidate test trial \d+\/10: target failing/);
      expect(failure.partial?.failure?.reason).toMatch(/^candidate: target failing/);
      const trials = failure.partial!.scenarios[0]!.trials;
      expect(trials[0]!.fault).toBeUndefined();
      expect(trials.at(-1)!.fault).toBeDefined();
    } finally {
      await dying.stop();
    }
  });
});
