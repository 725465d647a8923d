import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRunResult, encodeRunResult } from '../../src/store/codec/run-result-codec.ts';
import { FileBaselineStore, branchDirName } from '../../src/store/file-store.ts';
import { DataError } from '../../src/contracts/errors.ts';
import { decodeHistogram, mergeHistograms } from '../../src/measure/collectors/latency-histogram.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

const run = () =>
  syntheticRun([
    syntheticScenario('s', [
      {
        name: 'a',
        trialsMs: [
          [1, 2, 3],
          [2, 3, 4],
        ],
      },
    ]),
  ]);

describe('RunResult codec', () => {
  it('round-trips, histograms included', () => {
    const r = run();
    const back = decodeRunResult(encodeRunResult(r), 'x.json');
    expect(back).toEqual(r);
    const h = decodeHistogram(back.scenarios[0]!.trials[0]!.requests[0]!.histogram);
    expect(h.totalCount).toBe(3);
    const merged = mergeHistograms(back.scenarios[0]!.trials.map((t) => t.requests[0]!.histogram));
    expect(merged.totalCount).toBe(6);
    expect(merged.maxValue).toBeGreaterThanOrEqual(4000);
  });

  it('names the file and the problem for corrupt JSON, a foreign file, another version, a broken field', () => {
    expect(() => decodeRunResult('{"kind": "perf-gate/run", ', 'base.json')).toThrow(
      /base\.json: not valid JSON/,
    );
    expect(() => decodeRunResult('{"hello": 1}', 'b.json')).toThrow(/b\.json: not a perf-gate run result/);
    const v9 = { ...run(), schemaVersion: 9 };
    expect(() => decodeRunResult(JSON.stringify(v9), 'c.json')).toThrow(
      /c\.json: run result schema version 9 is not supported/,
    );
    const broken = run() as unknown as { scenarios: Array<{ trials: Array<{ valid: unknown }> }> };
    broken.scenarios[0]!.trials[0]!.valid = 'yes';
    expect(() => decodeRunResult(JSON.stringify(broken), 'd.json')).toThrow(DataError);
  });
});

describe('file baseline store', () => {
  it('saves latest plus bounded history per branch, and loads it back', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-store-'));
    const store = new FileBaselineStore(dir, 3);
    expect(await store.load('main')).toBeUndefined();
    for (let i = 0; i < 5; i++) {
      const r = run();
      r.meta.finishedAt = `2026-01-01T00:0${i}:00.000Z`;
      await store.save('feature/x', r);
    }
    expect((await store.history('feature/x')).length).toBe(3);
    const latest = await store.load('feature/x');
    expect(latest?.meta.finishedAt).toBe('2026-01-01T00:04:00.000Z');
    expect(store.latestPath('feature/x')).toContain(branchDirName('feature/x'));
    expect(branchDirName('../etc')).not.toContain('/');
  });

  it('reports a corrupt baseline instead of starting fresh', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-store-'));
    const store = new FileBaselineStore(dir);
    await store.save('main', run());
    writeFileSync(store.latestPath('main'), readFileSync(store.latestPath('main'), 'utf8').slice(0, 50));
    await expect(store.load('main')).rejects.toThrow(/latest\.json: not valid JSON/);
  });
});
