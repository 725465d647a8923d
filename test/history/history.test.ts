// The pure history core: series from entries (bad input handled with notes), change points with their commit
// range and size, creep, the entry codec (migration, skipped corrupt lines) and the compaction plan.
import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../src/history/analyze.ts';
import { detectChangePoints } from '../../src/history/change-points.ts';
import { detectCreep } from '../../src/history/creep.ts';
import { summarizeRun } from '../../src/history/entry.ts';
import {
  HISTORY_ENTRY_KIND,
  HISTORY_ENTRY_SCHEMA_VERSION,
  type HistoryEntry,
} from '../../src/contracts/history-entry.ts';
import { historyText } from '../../src/history/format.ts';
import { buildSeries } from '../../src/history/series.ts';
import { createRng } from '../../src/stats/rng.ts';
import {
  decodeHistoryEntry,
  decodeHistoryPack,
  encodeHistoryPack,
} from '../../src/store/codec/history-codec.ts';
import { encodeRunResult } from '../../src/store/codec/run-result-codec.ts';
import { planCompaction } from '../../src/store/summary-layout.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

const sha = (n: number) => `${String(n).padStart(4, '0')}beef`.padEnd(40, '0');
const runner = { cpuModel: 'cpu', cores: 2, platform: 'linux', arch: 'x64', node: 'v20', perfGate: '1' };

/** Entry n with p50 trials around `us` (three trials, ±1 %). */
function entry(n: number, us: number, over: Partial<HistoryEntry> = {}): HistoryEntry {
  const stamp = new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
  const t = [us * 0.99, us, us * 1.01].map(Math.round);
  return {
    kind: HISTORY_ENTRY_KIND,
    schemaVersion: HISTORY_ENTRY_SCHEMA_VERSION,
    id: `${stamp.replace(/[:.]/g, '-')}-${sha(n).slice(0, 12)}`,
    commit: sha(n),
    finishedAt: stamp,
    runner,
    scenarios: [
      {
        name: 's',
        fingerprint: 'fp',
        throughput: [100, 100, 100],
        requests: [{ name: 'get', p50: t, p95: t, p99: t, errorRate: [0, 0, 0] }],
      },
    ],
    ...over,
  };
}
const wobble = (n: number) => [0, 0.004, -0.003, 0.002, -0.002, 0.003, -0.004][n % 7]!;
const p50 = (entries: HistoryEntry[]) => buildSeries(entries).series.find((s) => s.key === 's/get/p50@fp')!;

describe('series', () => {
  it('pools a commit measured twice, names runner and scenario changes, leaves excluded runs out', () => {
    const entries = [
      entry(1, 1000),
      entry(2, 1000),
      entry(3, 1100, { commit: sha(2) }),
      entry(4, 1000, { runner: { ...runner, cpuModel: 'other' } }),
      entry(5, 1000),
    ];
    entries[4]!.scenarios[0]!.fingerprint = 'fp2';
    const set = buildSeries(entries, [{ run: sha(5).slice(0, 8), reason: 'noisy', by: 'me', at: 'now' }]);
    const s = set.series.find((x) => x.key === 's/get/p50@fp')!;
    expect(s.points.map((p) => p.commit)).toEqual([sha(1), sha(2), sha(4)]);
    expect(s.points[1]!.trials).toHaveLength(6);
    expect(s.points[2]!.runnerChanged).toBe(true);
    expect(set.notes.join('\n')).toMatch(/measured 2 times/);
    expect(set.notes.join('\n')).toMatch(/runner changed at 0004beef/);
    expect(set.notes.join('\n')).toMatch(/excluded: noisy \(marked bad by me/);
    expect(set.series.some((x) => x.key.endsWith('@fp2'))).toBe(false);
  });

  it('says when the history is a single run, and a run with no valid trial is a gap', () => {
    expect(buildSeries([entry(1, 1000)]).notes.join()).toMatch(/single run/);
    const gap = entry(2, 1000);
    gap.scenarios[0]!.requests[0]!.p50 = [];
    expect(p50([entry(1, 1000), gap, entry(3, 1000)]).points).toHaveLength(2);
  });
});

describe('change points', () => {
  const stepped = [...Array(16).keys()].map((n) => entry(n + 1, (n < 8 ? 1000 : 1300) * (1 + wobble(n))));

  it('names the commit range and the size with an interval', () => {
    const [c, ...rest] = detectChangePoints(p50(stepped), { rng: createRng(1) });
    expect(rest).toEqual([]);
    expect(c!.before.commit).toBe(sha(8));
    expect(c!.after.commit).toBe(sha(9));
    expect(c!.direction).toBe('regression');
    expect(c!.estimate).toBeCloseTo(1.3, 1);
    expect(c!.lower).toBeLessThanOrEqual(c!.estimate);
    expect(c!.upper).toBeGreaterThanOrEqual(c!.estimate);
    expect(historyText(analyzeHistory(stepped, [], { rng: createRng(1) }))).toMatch(
      /REGRESSION {2}s\/get p50 \+30\.\d % \[.*\] between 0008beef0000 and 0009beef0000/,
    );
  });

  it('drops a significant step below the minimum magnitude, and needs enough runs', () => {
    const small = [...Array(16).keys()].map((n) => entry(n + 1, (n < 8 ? 1000 : 1030) * (1 + wobble(n) / 4)));
    expect(detectChangePoints(p50(small), { rng: createRng(1), minRatio: 0.001 })).toHaveLength(1);
    expect(detectChangePoints(p50(small), { rng: createRng(1) })).toEqual([]);
    expect(detectChangePoints(p50(stepped.slice(6, 13)), { rng: createRng(1) })).toEqual([]);
  });
});

describe('creep', () => {
  it('alerts on ten merges of +2 % each, with their commits; not on a flat or improving series', () => {
    const creeping = [...Array(10).keys()].map((n) => entry(n + 1, 1000 * 1.02 ** n));
    const c = detectCreep(p50(creeping), 0)!;
    expect(c.runs.map((r) => r.commit)).toEqual([...Array(10).keys()].map((n) => sha(n + 1)));
    expect(c.change).toBeGreaterThan(1.1);
    const a = analyzeHistory(creeping, [], { rng: createRng(1) });
    expect(a.creep.some((x) => x.series === 's/get/p50@fp')).toBe(true);
    expect(historyText(a)).toMatch(/s\/get p50 crept \+\d+\.\d % over 10 merges/);
    const flat = [...Array(10).keys()].map((n) => entry(n + 1, 1000 * (1 + wobble(n))));
    expect(detectCreep(p50(flat), 0)).toBeUndefined();
    const faster = [...Array(10).keys()].map((n) => entry(n + 1, 1000 * 0.98 ** n));
    expect(detectCreep(p50(faster), 0)).toBeUndefined();
    // A single step is a change point, not creep.
    const step = [...Array(16).keys()].map((n) => entry(n + 1, (n < 11 ? 1000 : 1300) * (1 + wobble(n))));
    const stepped = analyzeHistory(step, [], { rng: createRng(1) });
    expect(stepped.changePoints.filter((x) => x.series === 's/get/p50@fp')).toHaveLength(1);
    expect(stepped.creep).toEqual([]);
  });
});

describe('history entry codec', () => {
  it('migrates a full run result, refuses a newer version, and skips a corrupt pack line by number', () => {
    const run = syntheticRun([
      syntheticScenario('s', [
        {
          name: 'get',
          trialsMs: [
            [5, 6],
            [5, 7],
          ],
        },
      ]),
    ]);
    const migrated = decodeHistoryEntry(encodeRunResult(run), 'old.json');
    expect(migrated.ok && migrated.value).toEqual(summarizeRun(run));
    const newer = decodeHistoryEntry(JSON.stringify({ ...entry(1, 1000), schemaVersion: 99 }), 'x.json');
    expect(!newer.ok && newer.problem).toMatch(
      /x\.json: history entry schema version 99 is newer .* upgrade/,
    );
    const pack = `${encodeHistoryPack([entry(1, 1000)])}{"kind":\n${encodeHistoryPack([entry(2, 1000)])}`;
    const d = decodeHistoryPack(pack, 'pack.ndjson');
    expect(d.entries).toHaveLength(2);
    expect(d.problems).toEqual([expect.stringMatching(/^pack\.ndjson:2: not valid JSON/)]);
  });

  it('plans folding and dropping by counts in pack names', () => {
    const loose = [...Array(51).keys()].map((i) => `2026-${String(i).padStart(3, '0')}.json`);
    expect(planCompaction(loose).fold).toHaveLength(51);
    expect(planCompaction(loose.slice(0, 50)).fold).toEqual([]);
    const packs = ['pack-a-n100.ndjson', 'pack-b-n100.ndjson', 'pack-c-n100.ndjson'];
    expect(planCompaction([...packs, 'x.json'], 200).drop).toEqual(['pack-a-n100.ndjson']);
  });
});
