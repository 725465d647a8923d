// Histories recorded from real runs: a loopback server whose delay steps up from 10 ms to 20 ms at a known
// merge. Each run is tiny (one short trial); each is saved as the main branch's baseline, as a merge would.
// `perf-gate history` must name the step at the right commit, and find none on a flat history.
// Only outcomes noise cannot flip are asserted: a 100 % step against a 25 % minimum, and no step on median
// latency and error rate where nothing changed (throughput, in a closed model, moves with machine load).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measure } from '../../src/measure/measure.ts';
import { silentLogger } from '../../src/contracts/ports.ts';
import type { ChangePoint } from '../../src/history/change-points.ts';
import type { GeneratorLimits } from '../../src/scenario/model.ts';
import { FileBaselineStore } from '../../src/store/file-store.ts';
import { Redactor } from '../../src/util/redact.ts';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { runCli } from '../helpers/cli.ts';
import { testScenario } from '../helpers/scenario.ts';

const LIMITS: GeneratorLimits = { maxCpuCores: 2, maxEventLoopDelayP99Ms: 500, minRateAchieved: 0.5 };
const meta = {
  tool: { perfGate: 'test', autocannon: '9.0.0', node: process.version },
  host: { cpuModel: 'test', cores: 2, platform: 'linux', arch: 'x64', memoryGb: 1 },
};
const sha = (n: number) => `${String(n).padStart(4, '0')}abcdef`.padEnd(40, '0');

let before: ChildServer;
let after: ChildServer;
let tmp: string;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'pg-history-real-'));
  [before, after] = await Promise.all([
    startChildServer([DELAY_SERVER]),
    startChildServer([DELAY_SERVER, '--extra=/delay/10:10']),
  ]);
});
afterAll(async () => {
  await Promise.all([before?.stop(), after?.stop()]);
  rmSync(tmp, { recursive: true, force: true });
});

/** Measures `target` as merge number `n` of main and stores it as the baseline, as the Action does on push. */
async function merge(store: FileBaselineStore, target: string, n: number): Promise<void> {
  const run = await measure({
    scenarios: [
      testScenario(target, [{ name: 'ten', path: '/delay/10' }], {
        trials: 1,
        load: { model: 'closed', connections: 2, durationMs: 300 },
      }),
    ],
    limits: LIMITS,
    logger: silentLogger,
    redactor: new Redactor(),
    meta: { ...meta, git: { sha: sha(n), ref: 'main', dirty: false } },
  });
  run.meta.finishedAt = new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
  await store.save('main', run);
}

async function history(dir: string): Promise<{ changePoints: ChangePoint[]; runs: number }> {
  const r = await runCli(['history', '--dir', dir, '--branch', 'main', '--min-change', '0.25', '--json'], {
    cwd: tmp,
  });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { changePoints: ChangePoint[]; runs: number };
}

describe('history recorded from real runs', () => {
  it('finds the step at the merge that made the route slower, and none on a flat history', async () => {
    const stepDir = path.join(tmp, 'step');
    const flatDir = path.join(tmp, 'flat');
    const step = new FileBaselineStore(stepDir);
    const flat = new FileBaselineStore(flatDir);
    for (let n = 1; n <= 10; n++) await merge(step, n <= 5 ? before.url : after.url, n);
    for (let n = 1; n <= 8; n++) await merge(flat, before.url, n);

    const stepped = await history(stepDir);
    expect(stepped.runs).toBe(10);
    const p50 = stepped.changePoints.filter((c) => c.series.startsWith('test/ten/p50@'));
    expect(p50).toHaveLength(1);
    expect(p50[0]!.before.commit).toBe(sha(5));
    expect(p50[0]!.after.commit).toBe(sha(6));
    expect(p50[0]!.direction).toBe('regression');
    // Direction only: where the interval lies beyond that is a statistical property (seeded, in history.test.ts).
    expect(p50[0]!.lower).toBeGreaterThan(1);

    const flatHistory = await history(flatDir);
    expect(flatHistory.runs).toBe(8);
    const latencyOrErrors = flatHistory.changePoints.filter((c) => /\/ten\/(p50|errorRate)@/.test(c.series));
    expect(latencyOrErrors).toEqual([]);

    const text = await runCli(['history', '--dir', stepDir, '--branch', 'main', '--min-change', '0.25'], {
      cwd: tmp,
    });
    expect(text.stdout).toContain(`REGRESSION  test/ten p50`);
    expect(text.stdout).toContain(`between ${sha(5).slice(0, 12)} and ${sha(6).slice(0, 12)}`);
  }, 120_000);
});
