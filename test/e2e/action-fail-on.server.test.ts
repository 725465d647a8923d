// The Action input `fail-on` decides what an inconclusive verdict does to the job, end to end through the
// committed bundle (INPUT_* variables, GITHUB_OUTPUT, the loopback fake GitHub API). The inconclusive verdict
// is made deterministic, not left to timing: one trial per side cannot be tested (a t-test needs two), so
// every gating series is inconclusive whatever the server's speed.
// Run `npm run build:action` after changing the sources: this test runs action/dist/index.js.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../helpers/fake-github.ts';
import {
  pullRequestEvent,
  pushEvent,
  runBundledAction,
  type ActionEvent,
  type ActionRun,
} from '../helpers/action-run.ts';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';

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

function runAction(event: ActionEvent, failOn?: string): Promise<ActionRun> {
  return runBundledAction({
    workspace: work,
    event,
    apiUrl: github.url,
    inputs: {
      'github-token': 'ghs_fake_token_123',
      'target-url': server.url,
      store: 'file',
      ...(failOn ? { 'fail-on': failOn } : {}),
    },
  });
}

const prEvent = pullRequestEvent();
const pushed = pushEvent();

describe('the bundled Action: fail-on and an inconclusive verdict', () => {
  it('passes the job by default, fails it with fail-on: warning, and never with fail-on: never', async () => {
    const stored = await runAction(pushed);
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
