// The stored-mode baseline pools the newest runs of the current level only, never across a step, skips runs
// marked bad, and falls back to the latest run when the history cannot be used.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../src/contracts/ports.ts';
import { poolRuns } from '../../src/history/pool.ts';
import type { RunResult } from '../../src/contracts/run-result.ts';
import { FileBaselineStore } from '../../src/store/file-store.ts';
import { RegimeBaselineStore } from '../../src/store/regime-baseline.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

const sha = (n: number) => `${String(n).padStart(4, '0')}abcdef`.padEnd(40, '0');
function runAt(n: number, ms: number): RunResult {
  const wobble = [0, 0.3, -0.2, 0.1, -0.1, 0.2][n % 6]!;
  const run = syntheticRun([
    syntheticScenario('checkout', [
      { name: 'get', trialsMs: [[ms + wobble], [ms + wobble + 0.1], [ms + wobble - 0.1]] },
    ]),
  ]);
  run.meta.finishedAt = new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
  run.meta.git = { sha: sha(n), ref: 'main', dirty: false };
  return run;
}

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'pg-regime-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const logger = (): Logger & { lines: string[] } => {
  const lines: string[] = [];
  return {
    ...silentLogger,
    lines,
    info: (m: string) => void lines.push(m),
    warn: (m: string) => void lines.push(m),
  };
};

describe('regime baseline', () => {
  it('pools only the runs after the last change point, newest first, up to the limit', async () => {
    const files = new FileBaselineStore(tmp);
    for (let n = 1; n <= 6; n++) await files.save('main', runAt(n, 10));
    for (let n = 7; n <= 12; n++) await files.save('main', runAt(n, 20));
    const log = logger();
    const store = new RegimeBaselineStore(files, { logger: log, poolRuns: 4 });
    const baseline = (await store.load('main'))!;
    expect(baseline.meta.git?.sha).toBe(sha(12));
    expect(baseline.scenarios[0]!.trials).toHaveLength(12); // 4 runs x 3 trials, all from the new level
    expect(baseline.scenarios[0]!.trials.map((t) => t.index)).toEqual([...Array(12).keys()]);
    expect(store.analysis?.regimeStartId).toContain(sha(7).slice(0, 12));
    expect(log.lines.join('\n')).toMatch(/pooled 4 run\(s\) of main since the last change point/);

    const all = new RegimeBaselineStore(files, { logger: log, poolRuns: 20 });
    // Six runs on the new level, none from before the step.
    expect((await all.load('main'))!.scenarios[0]!.trials).toHaveLength(18);
  });

  it('leaves out runs marked bad, and uses the latest run alone when the history is unreadable', async () => {
    const files = new FileBaselineStore(tmp);
    for (let n = 1; n <= 3; n++) await files.save('main', runAt(n, 10));
    await files.markBad('main', { run: sha(2), reason: 'noisy', by: 't', at: '2026-01-02T00:00:00Z' });
    const store = new RegimeBaselineStore(files, { logger: silentLogger });
    expect((await store.load('main'))!.scenarios[0]!.trials).toHaveLength(6);

    writeFileSync(path.join(tmp, 'main', 'exclusions.json'), '{ broken');
    const log = logger();
    const broken = new RegimeBaselineStore(
      {
        ...files,
        load: async () => runAt(3, 10),
        readHistory: (b) => files.readHistory(b),
        fullRuns: (b) => files.fullRuns(b),
        save: (b, r) => files.save(b, r),
      },
      { logger: log },
    );
    expect((await broken.load('main'))!.scenarios[0]!.trials).toHaveLength(3);
    expect(log.lines.join('\n')).toMatch(/could not be used .*exclusions\.json.*latest baseline only/);
  });

  it('pools trials per scenario fingerprint and keeps profiles aligned with their trials', () => {
    const a = runAt(2, 10);
    const b = runAt(1, 10);
    b.scenarios[0]!.fingerprint = 'other';
    expect(poolRuns([a, b]).scenarios[0]!.trials).toHaveLength(3);
    const c = runAt(1, 10);
    a.scenarios[0]!.profiles = [null, null, null];
    const pooled = poolRuns([a, c]).scenarios[0]!;
    expect(pooled.trials).toHaveLength(6);
    expect(pooled.profiles).toHaveLength(6);
  });
});
