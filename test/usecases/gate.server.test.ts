// The gate use case with in-memory ports: a fake baseline store (a Map), a process starter that hands out
// a real loopback server's URL, a pinned clock, and known changes and approvals. Measurement is real
// (short trials); only outcomes noise cannot flip are asserted.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFailure } from '../../src/contracts/errors.ts';
import { hostInfo, toolVersions } from '../../src/measure/meta.ts';
import type { RunResult } from '../../src/contracts/run-result.ts';
import type { GeneratorLimits } from '../../src/scenario/model.ts';
import { decodeRunResult } from '../../src/store/codec/run-result-codec.ts';
import { gate, type GateInput } from '../../src/usecases/gate.ts';
import { silentLogger } from '../../src/contracts/ports.ts';
import { type BaselineStore } from '../../src/store/types.ts';
import { type ProcessStarter } from '../../src/measure/process-starter.ts';
import { knownChanges, approvalByFlag } from '../../src/usecases/sources.ts';
import { DEFAULT_THRESHOLDS } from '../../src/compare/rules.ts';
import { Redactor } from '../../src/util/redact.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';
import { testScenario } from '../helpers/scenario.ts';

const LIMITS: GeneratorLimits = { maxCpuCores: 2, maxEventLoopDelayP99Ms: 500, minRateAchieved: 0.5 };
const NOW = new Date('2026-03-04T05:06:07.000Z');

/** The fake store: runs in a Map, every call recorded. */
function memoryStore(): BaselineStore & { runs: Map<string, RunResult>; loads: string[] } {
  const runs = new Map<string, RunResult>();
  const loads: string[] = [];
  return {
    runs,
    loads,
    async load(branch) {
      loads.push(branch);
      return runs.get(branch);
    },
    async save(branch, run) {
      runs.set(branch, run);
      return `memory:${branch}`;
    },
  };
}

/** A starter that "starts" the target by handing out the server's URL (the scenarios aim at a dead port). */
function handsOut(url: string): ProcessStarter & { starts: number } {
  const starter = {
    starts: 0,
    around<T>(work: (setup: { url: string }) => Promise<T>): Promise<T> {
      starter.starts++;
      return work({ url });
    },
  };
  return starter;
}

describe('the gate use case', () => {
  let servers: http.Server[];
  let url: string;
  let slowUrl: string;
  beforeAll(async () => {
    servers = [
      http.createServer((_req, res) => res.end('ok')),
      http.createServer((_req, res) => setTimeout(() => res.end('ok'), 20)),
    ];
    [url, slowUrl] = (await Promise.all(
      servers.map(async (server) => {
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      }),
    )) as [string, string];
  });
  afterAll(() => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))));

  const input = (outDir: string): GateInput => ({
    // Aimed at a port nothing listens on: only the started target's URL can make this run.
    scenarios: [
      testScenario('http://127.0.0.1:9', [{ name: 'r', path: '/' }], {
        trials: 4,
        load: { model: 'closed', connections: 2, durationMs: 150 },
      }),
    ],
    limits: LIMITS,
    thresholds: DEFAULT_THRESHOLDS,
    redactor: new Redactor(),
    meta: { tool: toolVersions(), host: hostInfo() },
    baselineBranch: 'main',
    failOn: 'regression',
    outDir,
    repoRoot: outDir,
    context: { baseBranch: 'main' },
  });

  it('measures the started target, says "no baseline yet", writes every file, and stores nothing', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'pg-uc-gate-'));
    const store = memoryStore();
    const processes = handsOut(url);
    const outcome = await gate(input(outDir), {
      logger: silentLogger,
      clock: { now: () => NOW },
      store,
      processes,
      changes: knownChanges({ unavailable: 'not asked' }),
      approvals: approvalByFlag(undefined, undefined),
    });
    expect(processes.starts).toBe(1);
    expect(store.loads).toEqual(['main']);
    expect(store.runs.size).toBe(0);
    expect(outcome.result.verdict.outcome).toBe('no-baseline');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.report.generatedAt).toBe(NOW.toISOString());
    for (const file of [
      outcome.files.run,
      outcome.files.verdict,
      outcome.files.report,
      outcome.files.comment,
    ])
      expect(existsSync(file), file).toBe(true);
    expect(outcome.files.comparison).toBeUndefined();
    const run = decodeRunResult(readFileSync(outcome.files.run, 'utf8'), 'run.json');
    expect(run.scenarios[0]!.trials.length).toBe(4);
    expect(run.scenarios[0]!.target).toBe(url);
  });

  it('compares with the stored baseline; the approval it was given passes a regression', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'pg-uc-gate-'));
    const store = memoryStore();
    const ports = (target: string, approve?: string) => ({
      logger: silentLogger,
      store,
      processes: handsOut(target),
      changes: knownChanges({ files: [] }),
      approvals: approvalByFlag(approve, 'octo'),
    });
    const first = await gate(input(outDir), ports(url));
    await store.save('main', first.result.candidate);
    // 20 ms per answer against well under a millisecond: a regression no noise can hide.
    const failed = await gate(input(outDir), ports(slowUrl));
    expect(failed.files.comparison && existsSync(failed.files.comparison)).toBe(true);
    expect(failed.result.verdict.outcome).toBe('fail');
    expect(failed.exitCode).toBe(1);
    const approved = await gate(input(outDir), ports(slowUrl, 'intended'));
    expect(approved.exitCode).toBe(0);
    expect(approved.result.verdict.approval).toEqual({ source: 'flag', reason: 'intended', by: 'octo' });
  });

  it('keeps what a failed run measured in run.json and ends in the RunFailure (exit 3)', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'pg-uc-gate-'));
    const partial = syntheticRun([syntheticScenario('test', [{ name: 'r', trialsMs: [[1, 2]] }])]);
    const dies: ProcessStarter = {
      around: async () => {
        throw new RunFailure('the service died', partial);
      },
    };
    await expect(
      gate(input(outDir), {
        logger: silentLogger,
        processes: dies,
        changes: knownChanges({ unavailable: 'n/a' }),
        approvals: approvalByFlag(undefined, undefined),
      }),
    ).rejects.toThrow(/the service died/);
    const kept = decodeRunResult(readFileSync(path.join(outDir, 'run.json'), 'utf8'), 'run.json');
    expect(kept.scenarios[0]!.trials.length).toBe(1);
  });
});
