// The Action input `fail-on` decides what an inconclusive verdict does to the job, end to end through the
// committed bundle (INPUT_* variables, GITHUB_OUTPUT, the loopback fake GitHub API). The inconclusive verdict
// is made deterministic, not left to timing: one trial per side cannot be tested (a t-test needs two), so
// every gating series is inconclusive whatever the server's speed.
// Run `npm run build:action` after changing the sources: this test runs action/dist/index.js.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../helpers/fake-github.ts';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUNDLE = path.join(ROOT, 'action/dist/index.js');

let server: ChildServer;
let github: FakeGitHub;
let work: string;

beforeAll(async () => {
  server = await startChildServer([DELAY_SERVER]);
  github = await FakeGitHub.start();
  github.addPull('owner', 'repo', { number: 7, labels: [], files: [], headRef: 'feature', baseRef: 'main' });
  work = mkdtempSync(path.join(os.tmpdir(), 'pg-action-fail-on-'));
  mkdirSync(path.join(work, 'scenarios'));
  writeFileSync(
    path.join(work, 'perf-gate.yml'),
    [
      'scenarios: scenarios/*.yml',
      'baseline: { dir: baselines }',
      'generator: { maxCpu: 2, maxEventLoopDelay: 500ms }',
      'defaults:',
      '  trials: 1',
      '  warmup: 100ms',
      '  pause: 0s',
      '  timeout: 2s',
      '  load: { model: closed, connections: 2, duration: 200ms }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(work, 'scenarios/api.yml'),
    'name: api\nrequests:\n  - name: route\n    path: /delay/2\n',
  );
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: work });
});

afterAll(async () => {
  await Promise.all([server?.stop(), github?.close()]);
});

interface ActionRun {
  code: number;
  log: string;
  outputs: Record<string, string>;
}

async function runAction(event: { name: string; ref: string; payload: unknown }, failOn?: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-run-'));
  const eventPath = path.join(dir, 'event.json');
  const outputPath = path.join(dir, 'output');
  writeFileSync(eventPath, JSON.stringify(event.payload));
  writeFileSync(outputPath, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: work,
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: event.ref,
    GITHUB_REPOSITORY: 'owner/repo',
    GITHUB_API_URL: github.url,
    GITHUB_RUN_ID: '99',
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    'INPUT_GITHUB-TOKEN': 'ghs_fake_token_123',
    'INPUT_TARGET-URL': server.url,
    INPUT_STORE: 'file',
    ...(failOn ? { 'INPUT_FAIL-ON': failOn } : {}),
  };
  writeFileSync(env.GITHUB_STEP_SUMMARY!, '');
  const child = spawn(process.execPath, [BUNDLE], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
  const outputs: Record<string, string> = {};
  const raw = readFileSync(outputPath, 'utf8');
  for (const m of raw.matchAll(/^([\w-]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return { code, log, outputs } satisfies ActionRun;
}

const pushEvent = {
  name: 'push',
  ref: 'refs/heads/main',
  payload: { ref: 'refs/heads/main', repository: { default_branch: 'main', full_name: 'owner/repo' } },
};
const prEvent = {
  name: 'pull_request',
  ref: 'refs/pull/7/merge',
  payload: {
    action: 'synchronize',
    number: 7,
    repository: { default_branch: 'main', full_name: 'owner/repo' },
    pull_request: {
      number: 7,
      title: 'A change',
      labels: [],
      head: { ref: 'feature', sha: 'abc', repo: { full_name: 'owner/repo' } },
      base: { ref: 'main', sha: 'def', repo: { full_name: 'owner/repo' } },
    },
  },
};

describe('the bundled Action: fail-on and an inconclusive verdict', () => {
  it('passes the job by default, fails it with fail-on: warning, and never with fail-on: never', async () => {
    const stored = await runAction(pushEvent);
    expect(stored.code, stored.log).toBe(0);
    expect(stored.outputs.verdict).toBe('baseline-stored');

    // Default (regression): inconclusive is reported as such, never as a pass, and the job passes.
    const byDefault = await runAction(prEvent);
    expect(byDefault.code, byDefault.log).toBe(0);
    expect(byDefault.outputs.verdict).toBe('inconclusive');
    expect(byDefault.outputs.regressions).toBe('0');
    expect(byDefault.log).not.toMatch(/^::error::/m);
    // The headline (log and comment) says so and what would decide it.
    expect(byDefault.log).toMatch(/Inconclusive: .*To decide: .*too few valid trials/);
    const comment = github.issueComments('owner', 'repo', 7);
    expect(comment).toHaveLength(1);
    expect(comment[0]!.body).toMatch(/inconclusive/i);

    // warning: anything short of a clear pass fails the job, with the headline as the error.
    const strict = await runAction(prEvent, 'warning');
    expect(strict.code, strict.log).toBe(1);
    expect(strict.outputs.verdict).toBe('inconclusive');
    expect(strict.log).toMatch(/^::error::.*inconclusive/im);

    // never: report only.
    const never = await runAction(prEvent, 'never');
    expect(never.code, never.log).toBe(0);
    expect(never.outputs.verdict).toBe('inconclusive');
  });
});
