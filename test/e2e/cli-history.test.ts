// `perf-gate history` and `perf-gate baseline mark-bad` on a file store: usage errors (exit 2) name what is
// missing, a mark-bad leaves an audit line and drops the run from the history and the baseline.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitInfo } from '../../src/measure/meta.ts';
import { FileBaselineStore } from '../../src/store/file-store.ts';
import { GitBranchBaselineStore } from '../../src/store/git-branch-store.ts';
import { execFileSync } from 'node:child_process';
import { runCli } from '../helpers/cli.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

const sha = (n: number) => `${String(n).padStart(4, '0')}f00d`.padEnd(40, '0');
let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'pg-cli-history-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

async function store(runs: number): Promise<string> {
  const dir = path.join(tmp, 'baselines');
  const s = new FileBaselineStore(dir);
  for (let n = 1; n <= runs; n++) {
    const run = syntheticRun([
      syntheticScenario('api', [
        {
          name: 'get',
          trialsMs: [
            [10, 11],
            [10, 12],
          ],
        },
      ]),
    ]);
    run.meta.finishedAt = new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
    run.meta.git = { sha: sha(n), ref: 'main', dirty: false };
    await s.save('main', run);
  }
  return dir;
}

describe('perf-gate history / baseline mark-bad', () => {
  it("reads the config's baseline.dir when no --dir is given, like every command", async () => {
    const dir = await store(2);
    writeFileSync(
      path.join(tmp, 'perf-gate.yml'),
      ['target: http://127.0.0.1:9', 'baseline: { dir: baselines }', 'scenarios: api.yml', ''].join('\n'),
    );
    writeFileSync(
      path.join(tmp, 'api.yml'),
      ['name: api', 'requests:', '  - { name: get, path: /get }', ''].join('\n'),
    );
    const r = await runCli(['history', '--branch', 'main'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(dir).toBe(path.join(tmp, 'baselines'));
    expect(r.stdout).toMatch(/2 run\(s\) in the history/);
  });

  it('reports an empty history, then a single run with a note', async () => {
    const empty = await runCli(['history', '--branch', 'main', '--dir', path.join(tmp, 'none')], {
      cwd: tmp,
    });
    expect(empty.code).toBe(0);
    expect(empty.stderr).toMatch(/no history stored for branch main/);
    const dir = await store(1);
    const one = await runCli(['history', '--branch', 'main', '--dir', dir], { cwd: tmp });
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/1 run\(s\) in the history/);
    expect(one.stdout).toMatch(/single run/);
  });

  it('marks a run bad with an audit line; refuses a missing reason or an unknown run (exit 2)', async () => {
    const dir = await store(3);
    const noReason = await runCli(['baseline', 'mark-bad', sha(3), '--branch', 'main', '--dir', dir], {
      cwd: tmp,
    });
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/needs --reason/);
    const unknown = await runCli(
      ['baseline', 'mark-bad', 'deadbeef99', '--reason', 'x', '--branch', 'main', '--dir', dir],
      { cwd: tmp },
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /no run "deadbeef99" in the history of main; the newest are: .*0003f00d0000/,
    );
    const ok = await runCli(
      [
        'baseline',
        'mark-bad',
        sha(3).slice(0, 9),
        '--reason',
        'runner throttled',
        '--branch',
        'main',
        '--dir',
        dir,
        '--json',
      ],
      { cwd: tmp, env: { GITHUB_ACTOR: 'octocat' } },
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ branch: 'main', commit: sha(3), by: 'octocat' });
    expect(readFileSync(path.join(dir, 'main', 'audit.log'), 'utf8')).toMatch(
      /\tmark-bad\t2026-01-01T00-03-00-000Z-0003f00d0000\tby octocat\trunner throttled\n$/,
    );
    const history = await runCli(['history', '--branch', 'main', '--dir', dir], { cwd: tmp });
    expect(history.stdout).toMatch(/2 run\(s\) in the history/);
    expect(history.stdout).toMatch(/excluded: runner throttled \(marked bad by octocat/);
    const shown = await runCli(['baseline', 'show', '--branch', 'main', '--dir', dir, '--json'], {
      cwd: tmp,
    });
    expect(JSON.parse(shown.stdout).baseline.meta.git.sha).toBe(sha(2));
  });

  it('reads the data branch of a git remote with --remote', async () => {
    const remote = path.join(tmp, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', remote]);
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    };
    const s = new GitBranchBaselineStore({ remote, env, tmpDir: path.join(tmp, 'work') });
    for (let n = 1; n <= 2; n++) {
      const run = syntheticRun([syntheticScenario('api', [{ name: 'get', trialsMs: [[10, 11]] }])]);
      run.meta.finishedAt = new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
      run.meta.git = { sha: sha(n), ref: 'main', dirty: false };
      await s.save('main', run);
    }
    const r = await runCli(['history', '--branch', 'main', '--remote', remote, '--json'], { cwd: tmp, env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ branch: 'main', runs: 2, changePoints: [] });
  });

  it('takes the commit from the event when the workspace is not a git checkout', () => {
    expect(gitInfo(tmp, {})).toBeUndefined();
    expect(gitInfo(tmp, { GITHUB_SHA: sha(7), GITHUB_REF_NAME: 'main' })).toEqual({
      sha: sha(7),
      ref: 'main',
      dirty: false,
    });
    expect(gitInfo(tmp, { GITHUB_SHA: 'not a sha' })).toBeUndefined();
  });
});
