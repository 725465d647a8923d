// History figures (not pass/fail):
// 1. change-point detection over 1,000 runs x 200 series (the whole analysis: series building, E-Divisive with
//    its permutation test, sizes, creep), with steps planted at known runs in a quarter of the series;
// 2. the data branch after N merges (default 1,000; `PERF_GATE_BENCH_MERGES`, `PERF_GATE_BENCH_SQUASH`): tip size and the
//    bare remote's size after the host's garbage collection, with the squash and without it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeHistory } from '../../src/history/analyze.ts';
import {
  HISTORY_ENTRY_KIND,
  HISTORY_ENTRY_SCHEMA_VERSION,
  type HistoryEntry,
} from '../../src/contracts/history-entry.ts';
import { createRng, normalQuantile } from '../../src/stats/index.ts';
import { GitBranchBaselineStore } from '../../src/store/git-branch-store.ts';
import type { RunResult } from '../../src/contracts/run-result.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

const RUNS = 1000;
const REQUESTS = 66; // x (p50, p95, errorRate) + throughput = 199 series

function historyWithSteps(seed: number): { entries: HistoryEntry[]; planted: Map<string, number> } {
  const rng = createRng(seed);
  const g = () => normalQuantile(Math.min(Math.max(rng(), 1e-12), 1 - 1e-12));
  const planted = new Map<string, number>();
  // A quarter of the requests step up by 20 % at a known run.
  for (let r = 0; r < REQUESTS; r += 4) planted.set(`r${r}`, 200 + Math.floor(rng() * 600));
  const entries: HistoryEntry[] = [];
  for (let i = 0; i < RUNS; i++) {
    const stamp = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString();
    const commit = i.toString(16).padStart(40, '0');
    entries.push({
      kind: HISTORY_ENTRY_KIND,
      schemaVersion: HISTORY_ENTRY_SCHEMA_VERSION,
      id: `${stamp.replace(/[:.]/g, '-')}-${commit.slice(0, 12)}`,
      commit,
      finishedAt: stamp,
      runner: { cpuModel: 'bench', cores: 2, platform: 'linux', arch: 'x64', node: 'v20', perfGate: 'bench' },
      scenarios: [
        {
          name: 's',
          fingerprint: 'fp',
          throughput: [1000, 1000, 1000].map((v) => v * Math.exp(0.03 * g())),
          requests: Array.from({ length: REQUESTS }, (_, r) => {
            const step = planted.get(`r${r}`);
            const level = 5000 * (step !== undefined && i >= step ? 1.2 : 1);
            const lat = () => Math.round(level * Math.exp(0.03 * g()));
            return {
              name: `r${r}`,
              p50: [lat(), lat(), lat()],
              p95: [lat(), lat(), lat()],
              p99: [lat(), lat(), lat()],
              errorRate: [0, 0, 0],
            };
          }),
        },
      ],
    });
  }
  return { entries, planted };
}

function benchChangePoints(): void {
  const { entries, planted } = historyWithSteps(20261207);
  const t0 = performance.now();
  const analysis = analyzeHistory(entries, [], { rng: createRng(1) });
  const ms = performance.now() - t0;
  let exact = 0;
  let near = 0;
  let falseSteps = 0;
  for (const c of analysis.changePoints) {
    const request = c.series.split('/')[1]!;
    const at = planted.get(request);
    if (at === undefined || !/\/(p50|p95)@/.test(c.series)) {
      falseSteps++;
      continue;
    }
    const index = parseInt(c.after.commit!, 16);
    if (index === at) exact++;
    else if (Math.abs(index - at) <= 2) near++;
    else falseSteps++;
  }
  console.log(
    `change points: ${analysis.series.length} series x ${RUNS} runs analysed in ${(ms / 1000).toFixed(1)} s ` +
      `(${(ms / analysis.series.length).toFixed(0)} ms per series)`,
  );
  console.log(
    `  planted steps: ${planted.size * 2} (p50 and p95 of ${planted.size} requests, +20 %, noise sd 3 %); ` +
      `found at the exact run: ${exact}, within 2 runs: ${near}, other change points: ${falseSteps}; creep alerts: ${analysis.creep.length}`,
  );
}

function du(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) * 1024;
}

async function benchDataBranch(merges: number, squashAfter: number): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'pg-bench-branch-'));
  try {
    const remote = path.join(tmp, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', remote]);
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@b',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@b',
    };
    const store = new GitBranchBaselineStore({ remote, env, tmpDir: path.join(tmp, 'work'), squashAfter });
    const rng = createRng(3);
    const t0 = performance.now();
    let runBytes = 0;
    for (let i = 0; i < merges; i++) {
      const run: RunResult = syntheticRun([
        syntheticScenario(
          'api',
          ['list', 'get', 'create', 'search', 'login'].map((name) => ({
            name,
            trialsMs: Array.from({ length: 10 }, () => Array.from({ length: 200 }, () => 5 + 10 * rng())),
          })),
        ),
      ]);
      run.meta.finishedAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      run.meta.git = {
        sha: (i + 1).toString(16).padStart(12, '0').padEnd(40, 'a'),
        ref: 'main',
        dirty: false,
      };
      if (i === 0) runBytes = JSON.stringify(run).length;
      await store.save('main', run);
    }
    const seconds = (performance.now() - t0) / 1000;
    const before = du(remote);
    execFileSync('git', ['-C', remote, 'gc', '--quiet', '--prune=now'], { env });
    const after = du(remote);
    const commits = execFileSync('git', ['-C', remote, 'rev-list', '--count', 'perf-gate-data'], {
      encoding: 'utf8',
    }).trim();
    const tree = execFileSync('git', ['-C', remote, 'ls-tree', '-r', '-l', 'perf-gate-data'], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    const treeBytes = tree.reduce((sum, l) => sum + Number(l.split(/\s+/)[3]), 0);
    const summaries = tree.filter((l) => l.includes('/summaries/')).length;
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
    console.log(
      `data branch after ${merges} merges (squash every ${squashAfter === Number.MAX_SAFE_INTEGER ? 'never' : squashAfter}): ` +
        `${((seconds / merges) * 1000).toFixed(0)} ms per save; one full run ${(runBytes / 1024).toFixed(0)} KB; ` +
        `tip: ${tree.length} files (${summaries} summary files), ${mb(treeBytes)}; branch holds ${commits} commit(s); ` +
        `remote ${mb(before)} before gc, ${mb(after)} after gc --prune=now`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function benchHistory(): Promise<void> {
  benchChangePoints();
  const merges = Number(process.env.PERF_GATE_BENCH_MERGES ?? 1000);
  // PERF_GATE_BENCH_SQUASH=100 or =never runs one variant only (each takes minutes at 1,000 merges), =none
  // neither.
  const only = process.env.PERF_GATE_BENCH_SQUASH ?? 'both';
  if (only === 'both' || only === '100') await benchDataBranch(merges, 100);
  if (only === 'both' || only === 'never') await benchDataBranch(merges, Number.MAX_SAFE_INTEGER);
}
