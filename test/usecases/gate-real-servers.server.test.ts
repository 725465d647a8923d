// The comparison and verdict on real loopback servers: an identical candidate passes; a candidate with
// 250 ms added to a 50 ms route (a change no load on a shared runner can hide) fails, flagging that route
// in the right direction. Stored mode (separate runs), paired mode (interleaved pairs against two
// servers), and adaptive trials. Only outcomes noise cannot flip are asserted; statistical properties live
// in the seeded simulations.
// The load is a fixed arrival rate (50 requests a route a trial, so one stall is not the p95) on routes of
// 20 and 50 ms: a closed loop's throughput and the p95 of a 2 ms route move by more than the gate's +10 %
// with the machine's load alone, and a stored-mode run measured while a neighbouring test file was busy
// then "regressed" against one measured while it was idle (seen once in three suites beside a busy loop).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare.ts';
import { decide } from '../../src/verdict/decide.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { measure } from '../../src/measure/measure.ts';
import { runGate } from '../../src/usecases/measure-and-decide.ts';
import { silentLogger } from '../../src/contracts/ports.ts';
import type { GeneratorLimits, Scenario } from '../../src/scenario/model.ts';

// Relaxed generator limits: these tests are about the comparison; generator health has its own tests.
const LIMITS: GeneratorLimits = { maxCpuCores: 2, maxEventLoopDelayP99Ms: 500, minRateAchieved: 0.5 };
import { Redactor } from '../../src/util/redact.ts';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { testScenario } from '../helpers/scenario.ts';

const meta = {
  tool: { perfGate: 'test', autocannon: '9.0.0', node: process.version },
  host: { cpuModel: 'test', cores: 2, platform: 'linux', arch: 'x64', memoryGb: 1 },
};

let base: ChildServer;
let slower: ChildServer;
beforeAll(async () => {
  [base, slower] = await Promise.all([
    startChildServer([DELAY_SERVER]),
    // +250 ms: the open model charges the generator's own event-loop lag to latency (coordinated omission),
    // so beside four busy loops a 50 ms route's p95 held ~100 ms of lag and +60 ms was only a warning
    // (once in ten suites). (50 + 250 + lag) / (50 + lag) stays past +10 % for any lag a trial survives.
    startChildServer([DELAY_SERVER, '--extra=/delay/50:250']),
  ]);
});
afterAll(async () => {
  await Promise.all([base?.stop(), slower?.stop()]);
});

const scenario = (target: string, trials: number): Scenario =>
  testScenario(
    target,
    [
      { name: 'fifty', path: '/delay/50' },
      { name: 'twenty', path: '/delay/20' },
    ],
    {
      trials,
      warmupMs: 300,
      pauseMs: 50,
      load: { model: 'rate', ratePerSec: 200, connections: 64, durationMs: 500 },
    },
  );

const run = (target: string, trials = 8) =>
  measure({
    scenarios: [scenario(target, trials)],
    limits: LIMITS,
    logger: silentLogger,
    redactor: new Redactor(),
    meta,
  });

describe('gate on real servers, stored mode', () => {
  it('passes an identical candidate and fails +250 ms on one route, flagging that route', async () => {
    // The three runs side by side, so that they share the machine's conditions: run one after the other,
    // a busy neighbour during one run and not the other is a real difference between them, which stored
    // mode, by design, cannot tell from a regression (paired mode can).
    const [baseline, identical, regressed] = await Promise.all([
      run(base.url),
      run(base.url),
      run(slower.url),
    ]);

    const same = decide(compareRuns(baseline, identical, { mode: 'stored' }), {
      thresholds: DEFAULT_THRESHOLDS,
    });
    expect(same.counts.regressions).toBe(0);
    expect(same.outcome === 'pass' || same.outcome === 'warn').toBe(true);

    const comparison = compareRuns(baseline, regressed, { mode: 'stored' });
    const verdict = decide(comparison, { thresholds: DEFAULT_THRESHOLDS });
    expect(verdict.outcome).toBe('fail');
    const regressions = verdict.findings.filter((f) => f.status === 'regression');
    const p95 = regressions.find((f) => f.request === 'fifty' && f.metric === 'p95')!;
    expect(p95).toBeDefined();
    // Only the direction: whether an interval covers the true change is a statistical property,
    // checked by the seeded simulations (test/verdict/sequential-simulation.test.ts), never on a real server.
    expect(p95.change!.lower).toBeGreaterThan(0);
  });
});

describe('gate on real servers, paired mode', () => {
  it('re-measures the baseline deployment in interleaved pairs and finds the slower route', async () => {
    const result = await runGate({
      scenarios: [scenario(slower.url, 8)],
      limits: LIMITS,
      thresholds: DEFAULT_THRESHOLDS,
      logger: silentLogger,
      redactor: new Redactor(),
      meta,
      baselineUrl: base.url,
      baselineBranch: 'main',
      seed: 42,
    });
    expect(result.mode).toBe('paired');
    expect(result.pairing!.orders).toHaveLength(8);
    expect(new Set(result.pairing!.orders.map((o) => o.order)).size).toBe(2);
    expect(result.verdict.outcome).toBe('fail');
    const p95 = result.verdict.findings.find(
      (f) => f.status === 'regression' && f.request === 'fifty' && f.metric === 'p95',
    );
    expect(p95).toBeDefined();
    // Only the slowed route's flag is asserted: whether the 20 ms route moved is a timing (the seeded
    // simulations check sizes and coverage).
    expect(p95!.change!.lower).toBeGreaterThan(0);
  });
});

describe('gate on real servers, adaptive trials', () => {
  it('fails +250 ms on a 50 ms route and says how many pairs it used and why it stopped', async () => {
    const result = await runGate({
      scenarios: [scenario(slower.url, 8)],
      limits: LIMITS,
      thresholds: DEFAULT_THRESHOLDS,
      logger: silentLogger,
      redactor: new Redactor(),
      meta,
      baselineUrl: base.url,
      baselineBranch: 'main',
      seed: 7,
      adaptive: { first: 3, maxTimeMs: 120_000 },
    });
    expect(result.verdict.outcome).toBe('fail');
    const sequential = result.verdict.decision.sequential!;
    expect(sequential.trialsUsed).toBe(result.pairing!.orders.length);
    expect(sequential.maxTrials).toBe(8);
    expect(sequential.text).toMatch(/after \d+ of 8 pairs/);
  });
});
