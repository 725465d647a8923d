// The CLI on the Action's git-branch store (`--store git` against a real bare repository): save, show,
// history and gate read and write the same data branch; `--approve` records who approved an intended
// regression; --template-dir renders the comment with the user's template. Real loopback servers; only
// effects noise cannot flip are asserted (a 10x slower route fails).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { runCli } from '../helpers/cli.ts';

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@t',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@t',
  GITHUB_ACTOR: 'octo',
  GITHUB_TOKEN: undefined,
  GITHUB_REPOSITORY: undefined,
};

describe('perf-gate on the git-branch store', () => {
  let fast: ChildServer;
  let slow: ChildServer;
  let dir: string;
  beforeAll(async () => {
    [fast, slow] = await Promise.all([
      startChildServer([DELAY_SERVER]),
      startChildServer([DELAY_SERVER, '--extra=/delay:20']),
    ]);
    dir = mkdtempSync(path.join(os.tmpdir(), 'pg-store-git-'));
    mkdirSync(path.join(dir, 'scenarios'));
    writeFileSync(
      path.join(dir, 'perf-gate.yml'),
      `target: ${fast.url}\noutput: out\n` +
        'defaults:\n  trials: 5\n  warmup: 0s\n  pause: 20ms\n  timeout: 2s\n' +
        '  load: { model: closed, connections: 2, duration: 300ms }\n' +
        'generator:\n  maxCpu: 4\n  maxEventLoopDelay: 1s\n',
    );
    writeFileSync(
      path.join(dir, 'scenarios/api.yml'),
      'name: api\nrequests:\n  - name: r\n    path: /delay/2\n',
    );
    execFileSync('git', ['init', '--quiet', '--bare', path.join(dir, 'data.git')]);
    mkdirSync(path.join(dir, 'tpl'));
    writeFileSync(path.join(dir, 'tpl/comment.md.hbs'), 'our own comment template\n');
  });
  afterAll(async () => {
    await Promise.all([fast?.stop(), slow?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });
  const git = ['--store', 'git', '--remote', 'data.git', '--branch', 'main'];
  const cli = (args: string[]) => runCli(args, { cwd: dir, env });

  it('saves, shows and gates on the data branch; --approve passes an intended regression', async () => {
    const run = await cli(['run']);
    expect(run.code, run.stderr).toBe(0);
    const save = await cli(['baseline', 'save', ...git, '--allow-invalid']);
    expect(save.code, save.stderr).toBe(0);
    // The baseline is on the data branch of the bare repository, not in a directory.
    const files = execFileSync('git', ['ls-tree', '-r', '--name-only', 'perf-gate-data'], {
      cwd: path.join(dir, 'data.git'),
      encoding: 'utf8',
    });
    expect(files).toMatch(/^baselines\/main\//m);
    const show = await cli(['baseline', 'show', ...git, '--json']);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout).baseline.scenarios[0].name).toBe('api');
    const history = await cli(['history', ...git]);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/1 run\(s\) in the history/);

    const regressed = await cli(['gate', ...git, '-t', slow.url]);
    expect(regressed.stderr).toMatch(/baseline: branch main, measured/);
    expect(regressed.code, regressed.stderr).toBe(1);

    const approved = await cli([
      'gate',
      ...git,
      '-t',
      slow.url,
      '--approve',
      'intended: new fraud check',
      '--template-dir',
      'tpl',
    ]);
    expect(approved.code, approved.stderr).toBe(0);
    const verdict = JSON.parse(readFileSync(path.join(dir, 'out/verdict.json'), 'utf8'));
    expect(verdict.approval).toEqual({ source: 'flag', reason: 'intended: new fraud check', by: 'octo' });
    expect(readFileSync(path.join(dir, 'out/comment.md'), 'utf8')).toMatch(/our own comment template/);
  });

  it('names what is missing: a git store without a remote, a --remote with --store file (exit 2)', async () => {
    const noRemote = await cli(['baseline', 'show', '--store', 'git', '--branch', 'main']);
    expect(noRemote.code).toBe(2);
    expect(noRemote.stderr).toMatch(/--store git needs --remote/);
    const mixed = await cli([
      'baseline',
      'show',
      '--store',
      'file',
      '--remote',
      'data.git',
      '--branch',
      'main',
    ]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--remote is the git store's/);
  });
});
