// The long history in both stores, against a real directory and a real bare git remote: summaries of every
// run, compaction, a corrupt entry skipped with a warning, legacy full runs migrated, mark-bad with its audit
// line, and the data branch squashed without losing a concurrent writer's run.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/contracts/errors.ts';
import { silentLogger, type Logger } from '../../src/contracts/ports.ts';
import type { RunResult } from '../../src/contracts/run-result.ts';
import { FileBaselineStore } from '../../src/store/file-store.ts';
import { GitBranchBaselineStore, type GitBranchStoreOptions } from '../../src/store/git-branch-store.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';
import { git, gitEnv } from '../helpers/git.ts';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'pg-history-store-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warnings, warn: (m: string) => void warnings.push(m) };
}

/** Run number `n`: commit c0ffee<n>, finishing at minute n; p50 around `ms`. */
function runAt(n: number, ms = 10, scenarios = ['checkout']): RunResult {
  const run = syntheticRun(
    scenarios.map((name) => syntheticScenario(name, [{ name: 'get', trialsMs: [[ms, ms + 1, ms + 2]] }])),
  );
  run.meta.finishedAt = new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
  run.meta.git = { sha: `c0ffee${String(n).padStart(4, '0')}`.padEnd(40, '0'), dirty: false };
  return run;
}
const sha = (n: number) => `c0ffee${String(n).padStart(4, '0')}`.padEnd(40, '0');

describe('file store history', () => {
  it('keeps a summary of every run, folds them into packs and bounds them', async () => {
    const s = new FileBaselineStore(path.join(tmp, 'b'), 3, { looseLimit: 4, summaryLimit: 8 });
    for (let n = 1; n <= 14; n++) await s.save('main', runAt(n));
    const { entries, problems } = await s.readHistory('main');
    expect(problems).toEqual([]);
    const commits = entries.map((e) => e.commit).sort();
    // Packs of 5 (4 loose + the new one) are dropped oldest first while 8 or more stay.
    expect(commits).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14].map(sha));
    expect(await s.history('main')).toHaveLength(3);
    const files = readdirSync(path.join(tmp, 'b', 'main', 'summaries')).sort();
    expect(files.filter((f) => f.startsWith('pack-'))).toHaveLength(1);
  });

  it('skips a corrupt entry with a warning naming it, and migrates full runs stored by older releases', async () => {
    const logger = recordingLogger();
    const dir = path.join(tmp, 'b');
    const s = new FileBaselineStore(dir, 20, { logger });
    await s.save('main', runAt(1));
    await s.save('main', runAt(2));
    writeFileSync(
      path.join(dir, 'main', 'summaries', 'zz-broken.json'),
      '{"kind": "perf-gate/history-entry", ',
    );
    // An older release kept only full runs in history/.
    mkdirSync(path.join(dir, 'main', 'history'), { recursive: true });
    const legacy = runAt(0);
    writeFileSync(
      path.join(dir, 'main', 'history', '2026-01-01T00-00-00-000Z-c0ffee000000.json'),
      JSON.stringify(legacy),
    );
    const h = await s.readHistory('main');
    expect(h.entries.map((e) => e.commit).sort()).toEqual([sha(0), sha(1), sha(2)]);
    expect(h.problems).toHaveLength(1);
    expect(h.problems[0]).toMatch(/zz-broken\.json: not valid JSON/);
    expect(logger.warnings.some((w) => w.includes('zz-broken.json'))).toBe(true);
  });

  it('mark-bad excludes a run from the baseline and the history, with an audit line', async () => {
    const logger = recordingLogger();
    const dir = path.join(tmp, 'b');
    const s = new FileBaselineStore(dir, 20, { logger });
    await s.save('main', runAt(1));
    await s.save('main', runAt(2, 50));
    await expect(
      s.markBad('main', { run: 'deadbeef', reason: 'x', by: 'me', at: '2026-01-02T00:00:00Z' }),
    ).rejects.toThrow(UsageError);
    const { entry } = await s.markBad('main', {
      run: sha(2).slice(0, 10),
      reason: 'noisy neighbour',
      by: 'octocat',
      at: '2026-01-02T00:00:00Z',
    });
    expect(entry.commit).toBe(sha(2));
    expect((await s.load('main'))?.meta.git?.sha).toBe(sha(1));
    expect(logger.warnings.join('\n')).toMatch(/marked bad: using .*c0ffee000100/);
    expect(readFileSync(path.join(dir, 'main', 'audit.log'), 'utf8')).toBe(
      '2026-01-02T00:00:00Z\tmark-bad\t2026-01-01T00-02-00-000Z-c0ffee000200\tby octocat\tnoisy neighbour\n',
    );
    expect((await s.readHistory('main')).exclusions).toHaveLength(1);
  });
});

describe('git-branch store history', () => {
  let remote: string;
  beforeEach(() => {
    remote = path.join(tmp, 'remote.git');
    git(tmp, 'init', '--quiet', '--bare', remote);
    git(remote, 'config', 'uploadpack.allowFilter', 'true');
  });
  const store = (o: Partial<GitBranchStoreOptions> = {}) =>
    new GitBranchBaselineStore({ remote, env: gitEnv, tmpDir: path.join(tmp, 'work'), ...o });

  it('keeps summaries per fingerprint, merges them per run, compacts, and squashes the branch', async () => {
    const s = store({ looseLimit: 2, squashAfter: 3, historyLimit: 2 });
    for (let n = 1; n <= 7; n++) await s.save('main', runAt(n, 10, ['checkout', 'search']));
    const { entries, problems } = await s.readHistory('main');
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.commit).sort()).toEqual([1, 2, 3, 4, 5, 6, 7].map(sha));
    expect(
      entries.every(
        (e) =>
          e.scenarios
            .map((x) => x.name)
            .sort()
            .join() === 'checkout,search',
      ),
    ).toBe(true);
    const files = git(remote, 'ls-tree', '-r', '--name-only', 'perf-gate-data').split('\n');
    expect(files.filter((f) => f.includes('/summaries/pack-')).length).toBeGreaterThan(0);
    // 7 commits with a root every 3: the branch holds at most 3.
    expect(Number(git(remote, 'rev-list', '--count', 'perf-gate-data'))).toBeLessThanOrEqual(3);
    expect((await s.fullRuns('main')).map((r) => r.meta.git?.sha)).toEqual([sha(7), sha(6)]);
  });

  it('never loses a run when writers race across a squash', async () => {
    const writers = [1, 2, 3, 4].map(() => store({ squashAfter: 1, retryBaseDelayMs: 5 }));
    await Promise.all(writers.map((w, i) => w.save('main', runAt(i + 1))));
    const { entries } = await store().readHistory('main');
    expect(entries.map((e) => e.commit).sort()).toEqual([1, 2, 3, 4].map(sha));
  });

  it('mark-bad commits the exclusion and the audit line; load falls back to the previous run', async () => {
    const s = store();
    await s.save('main', runAt(1));
    await s.save('main', runAt(2, 50));
    const { auditFile } = await s.markBad('main', {
      run: sha(2),
      reason: 'runner was throttled',
      by: 'octocat',
      at: '2026-01-02T00:00:00Z',
    });
    expect(auditFile).toBe('perf-gate-data:baselines/main/audit.log');
    expect(git(remote, 'show', 'perf-gate-data:baselines/main/audit.log')).toContain(
      'by octocat\trunner was throttled',
    );
    expect((await s.load('main'))?.meta.git?.sha).toBe(sha(1));
    expect((await s.readHistory('main')).exclusions.map((x) => x.run)).toEqual([sha(2)]);
  });
});
