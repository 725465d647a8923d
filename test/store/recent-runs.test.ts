// recentRuns: the stored history stored mode reads for its drift, from both stores (real git for the
// git-branch store: a bare repository in a temp dir is the remote).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/contracts/run-result.ts';
import { FileBaselineStore } from '../../src/store/file-store.ts';
import { GitBranchBaselineStore } from '../../src/store/git-branch-store.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';
import { git, gitEnv } from '../helpers/git.ts';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'pg-recent-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function runAt(minute: number): RunResult {
  const run = syntheticRun([
    syntheticScenario('api', [{ name: 'get', trialsMs: [[minute], [minute]] }], 'fp'),
  ]);
  run.meta.finishedAt = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  run.meta.git = { sha: `${String(minute).padStart(4, '0')}`.padEnd(40, 'a'), dirty: false };
  return run;
}

const minutes = (runs: RunResult[]) => runs.map((r) => new Date(r.meta.finishedAt).getUTCMinutes());

describe('recentRuns', () => {
  it('file store: the newest runs of the branch, the latest baseline among them, oldest first', async () => {
    const store = new FileBaselineStore(path.join(tmp, 'baselines'));
    expect(await store.recentRuns('main', 3)).toEqual([]);
    for (const m of [1, 2, 3, 4]) await store.save('main', runAt(m));
    expect(minutes(await store.recentRuns('main', 3))).toEqual([2, 3, 4]);
  });

  it('git-branch store: the same, read from the data branch', async () => {
    const remote = path.join(tmp, 'remote.git');
    git(tmp, 'init', '--quiet', '--bare', remote);
    const seed = path.join(tmp, 'seed');
    git(tmp, 'init', '--quiet', seed);
    writeFileSync(path.join(seed, 'README.md'), '# x\n');
    git(seed, 'add', 'README.md');
    git(seed, 'commit', '--quiet', '-m', 'initial');
    git(seed, 'push', '--quiet', remote, 'main');
    const store = new GitBranchBaselineStore({ remote, env: gitEnv, tmpDir: path.join(tmp, 'work') });
    expect(await store.recentRuns('main', 3)).toEqual([]);
    for (const m of [1, 2, 3, 4]) await store.save('main', runAt(m));
    expect(minutes(await store.recentRuns('main', 3))).toEqual([2, 3, 4]);
  });
});
