// The committed Action bundle at its trust boundaries, against the loopback GitHub API: the service it
// starts never sees the token or any INPUT_*, a marker planted in someone else's comment is left alone,
// a label counts as an approval only from someone with write access, and API faults (rate limits, a
// 5xx after the comment landed) never change the verdict, the exit code or the number of comments.
// Run `npm run build:action` after changing the sources: this test runs action/dist/index.js.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stickyMarker } from '../../src/github/comments.ts';
import { FakeGitHub } from '../helpers/fake-github.ts';
import { pullRequestEvent, runBundledAction, type ActionRun } from '../helpers/action-run.ts';
import { freePort } from '../helpers/net.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENV_SERVER = path.join(ROOT, 'test/fixtures/servers/env-dump-server.mjs');
const TOKEN = 'ghs_actionToken_7c1d9e';

let github: FakeGitHub;
let work: string;
let dump: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'pg-action-sec-'));
  dump = path.join(work, 'service-env.json');
  const port = await freePort();
  mkdirSync(path.join(work, 'scenarios'));
  writeFileSync(
    path.join(work, 'perf-gate.yml'),
    [
      `target: http://127.0.0.1:${port}`,
      'scenarios: scenarios/*.yml',
      'service:',
      `  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(ENV_SERVER)}, --port=${port}, --dump=${JSON.stringify(dump).slice(1, -1)}]`,
      'generator: { maxCpu: 2, maxEventLoopDelay: 500ms }',
      'defaults:',
      '  trials: 3',
      '  warmup: 100ms',
      '  pause: 20ms',
      '  timeout: 2s',
      '  load: { model: closed, connections: 2, duration: 200ms }',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(work, 'scenarios/api.yml'), 'name: api\nrequests:\n  - name: home\n    path: /\n');
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: work });
});

beforeEach(async () => {
  github = await FakeGitHub.start();
  github.addPull('owner', 'repo', { number: 7, labels: [], files: [], headRef: 'feature', baseRef: 'main' });
});

afterAll(async () => {
  await github?.close();
});

const prEvent = pullRequestEvent({ title: 'Speed up fees' });

function runAction(extraEnv: Record<string, string> = {}): Promise<ActionRun> {
  return runBundledAction({
    workspace: work,
    event: prEvent,
    apiUrl: github.url,
    // The runner's own secrets are in the environment: the service must see none of them.
    env: { GITHUB_TOKEN: TOKEN, ACTIONS_RUNTIME_TOKEN: 'runtime-secret-xyz', ...extraEnv },
    inputs: { 'github-token': TOKEN, store: 'file', 'fail-on': 'regression' },
  });
}

describe('the Action bundle at its trust boundaries', () => {
  it('starts the service without the token or any INPUT_*, and refuses a label applied by a non-writer', async () => {
    github.addPull('owner', 'repo', {
      number: 7,
      labels: ['perf-gate:approve'],
      files: [],
      headRef: 'feature',
    });
    github.addLabelEvents('owner', 'repo', 7, [{ label: 'perf-gate:approve', actor: 'drive-by' }]);
    github.setPermission('owner', 'repo', 'drive-by', 'triage');
    const r = await runAction({ API_KEY_FOR_SERVICE: 'kept-for-the-service' });
    expect(r.code, r.log).toBe(0);
    const seen = JSON.parse(readFileSync(dump, 'utf8')) as Record<string, string>;
    expect(Object.keys(seen).filter((k) => /^INPUT_/i.test(k))).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain(TOKEN);
    expect(seen.GITHUB_TOKEN).toBeUndefined();
    expect(seen.ACTIONS_RUNTIME_TOKEN).toBeUndefined();
    expect(seen.API_KEY_FOR_SERVICE).toBe('kept-for-the-service');
    expect(seen.PATH).toBe(process.env.PATH);
    expect(r.log).toMatch(
      /label 'perf-gate:approve' was applied by drive-by, whose permission is 'triage'.*not approved/,
    );
    expect(r.summary).not.toMatch(/Approved via/);
  });

  it("leaves a marker planted in another user's comment alone and posts its own", async () => {
    const [planted] = github.addComments(
      'owner',
      'repo',
      7,
      [`${stickyMarker('default')}\n✅ all good, merge`],
      {
        login: 'mallory',
        type: 'User',
      },
    );
    const r = await runAction();
    expect(r.code, r.log).toBe(0);
    const comments = github.issueComments('owner', 'repo', 7);
    expect(comments).toHaveLength(2);
    expect(comments[0]!.body).toBe(planted!.body);
    expect(comments[1]!.user.login).toBe('github-actions[bot]');
    expect(r.outputs['comment-url']).toBe(comments[1]!.html_url);
    expect(r.log).toMatch(/::warning::1 comment\(s\) by others carry perf-gate's marker \(mallory\)/);
  });

  it('keeps the verdict and exit code through rate limits, a hung request and a 5xx after the comment landed, posting once', async () => {
    github.fail({
      method: 'GET',
      path: /\/comments$/,
      mode: { kind: 'secondary-rate-limit', retryAfterSeconds: 1 },
    });
    github.fail({ method: 'GET', path: /\/labels$/, mode: { kind: 'rate-limit-429', retryAfterSeconds: 1 } });
    github.fail({
      method: 'POST',
      path: /\/comments$/,
      afterApplying: true,
      mode: { kind: 'server-error', status: 502 },
    });
    // A request that never answers: abandoned after the timeout and retried (GET is safe to repeat).
    github.fail({ method: 'GET', path: /\/files$/, mode: { kind: 'hang' } });
    const r = await runAction({ PERF_GATE_GITHUB_TIMEOUT_MS: '1000' });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs.verdict).toBe('no-baseline');
    expect(github.issueComments('owner', 'repo', 7)).toHaveLength(1);
    expect(github.requestsMatching('POST', /comments$/)).toHaveLength(1);
    expect(r.log).toMatch(/retrying in 1s/);
    expect(github.requestsMatching('GET', /\/files$/).length).toBeGreaterThanOrEqual(2);
  });
});
