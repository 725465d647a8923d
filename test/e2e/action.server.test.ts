// The committed Action bundle end to end: INPUT_* variables, realistic event payloads, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, the GitHub REST API served by a loopback fake (Octokit pointed at it through
// GITHUB_API_URL), baselines on a real bare repository's data branch, real load on loopback servers.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAction } from '../../scripts/build-action.ts';
import { FakeGitHub } from '../helpers/fake-github.ts';
import { git } from '../helpers/git.ts';
import {
  BUNDLE,
  pullRequestEvent,
  pushEvent,
  runBundledAction,
  type ActionEvent,
  type ActionRun,
} from '../helpers/action-run.ts';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';

const SECRET = 'sk_live_SECRET_9f8e7d';

let base: ChildServer;
let slower: ChildServer;
let github: FakeGitHub;
let work: string;
let remoteRoot: string;

beforeAll(async () => {
  [base, slower] = await Promise.all([
    startChildServer([DELAY_SERVER]),
    // +60 ms on an 8 ms route: an effect no load on a shared machine can hide (+6 ms once passed there).
    startChildServer([DELAY_SERVER, '--extra=/delay/8:60']),
  ]);
  github = await FakeGitHub.start();
  github.addPull('owner', 'repo', { number: 7, labels: [], files: [], headRef: 'feature', baseRef: 'main' });
  work = mkdtempSync(path.join(os.tmpdir(), 'pg-action-'));
  mkdirSync(path.join(work, 'app/scenarios'), { recursive: true });
  writeFileSync(
    path.join(work, 'app/perf-gate.yml'),
    // Generator limits are relaxed: this test is about the Action's plumbing, and a busy CI machine must
    // not turn its trials invalid (generator health has its own tests).
    'scenarios: scenarios/*.yml\ngenerator: { maxCpu: 2, maxEventLoopDelay: 500ms }\ndefaults:\n  trials: 5\n  warmup: 300ms\n  pause: 50ms\n  timeout: 2s\n  load: { model: closed, connections: 3, duration: 500ms }\n',
  );
  writeFileSync(
    path.join(work, 'app/scenarios/api.yml'),
    'name: api\nheaders:\n  authorization: Bearer ${API_TOKEN}\nrequests:\n  - name: slow-route\n    path: /delay/8\n',
  );
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '.');
  git(work, 'commit', '-qm', 'app');
  remoteRoot = mkdtempSync(path.join(os.tmpdir(), 'pg-remote-'));
  mkdirSync(path.join(remoteRoot, 'owner'));
  git(path.join(remoteRoot, 'owner'), 'init', '-q', '--bare', 'repo.git');
});

afterAll(async () => {
  await Promise.all([base?.stop(), slower?.stop(), github?.close()]);
});

function runAction(event: ActionEvent, inputs: Record<string, string>): Promise<ActionRun> {
  return runBundledAction({
    workspace: work,
    event,
    apiUrl: github.url,
    env: { GITHUB_SERVER_URL: `file://${remoteRoot}`, API_TOKEN: SECRET },
    inputs: { 'github-token': 'ghs_fake_token_123', 'working-directory': 'app', ...inputs },
  });
}

const pushed = pushEvent();
const prEvent = pullRequestEvent({ title: 'Speed up fees' });

describe('the committed Action bundle', () => {
  it('is what the sources build to (run `npm run build:action` after changing them)', async () => {
    const fresh = path.join(mkdtempSync(path.join(os.tmpdir(), 'pg-bundle-')), 'index.js');
    await buildAction(fresh);
    expect(
      readFileSync(BUNDLE, 'utf8') === readFileSync(fresh, 'utf8'),
      'action/dist/index.js is stale: run npm run build:action',
    ).toBe(true);
  });

  it('rejects an invalid input naming it', async () => {
    const r = await runAction(prEvent, { 'fail-on': 'sometimes', 'target-url': base.url });
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/::error::perf-gate: input 'fail-on' must be one of regression, warning, never/);
  });

  it('stores the baseline on a push to the default branch, then gates pull requests with one sticky comment', async () => {
    const stored = await runAction(pushed, { 'target-url': base.url });
    expect(stored.code, stored.log).toBe(0);
    expect(stored.outputs.verdict).toBe('baseline-stored');
    const files = execFileSync('git', ['ls-tree', '-r', '--name-only', 'perf-gate-data'], {
      cwd: path.join(remoteRoot, 'owner/repo.git'),
      encoding: 'utf8',
    });
    expect(files).toMatch(/^baselines\/main\/[0-9a-f]+\/latest\.json$/m);

    // Same server as the baseline: the verdict is normally a pass; whatever it is, the exit status follows it.
    const first = await runAction(prEvent, { 'target-url': base.url });
    expect(first.code, first.log).toBe(first.outputs.verdict === 'fail' ? 1 : 0);
    expect(['pass', 'warn', 'inconclusive', 'fail']).toContain(first.outputs.verdict);
    expect(first.outputs['comment-url']).toMatch(/^https?:\/\//);
    expect(first.outputs['report-json']).toMatch(/report\.json$/);
    expect(first.outputs['report-html']).toMatch(/report\.html$/);
    expect(first.summary).toMatch(/perf-gate/);
    // The Action writes report.html but does not upload it: without `report-artifact` nothing says it can.
    expect(first.summary).toContain('written to `app/.perf-gate/report.html`');
    expect(first.summary).not.toMatch(/in the artifact/);
    expect(github.issueComments('owner', 'repo', 7)).toHaveLength(1);

    const second = await runAction(prEvent, {
      'target-url': slower.url,
      'report-artifact': 'perf-gate-report',
    });
    expect(second.code, second.log).toBe(1);
    expect(second.outputs.verdict).toBe('fail');
    expect(Number(second.outputs.regressions)).toBeGreaterThanOrEqual(1);
    const comments = github.issueComments('owner', 'repo', 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/performance regression/);
    expect(comments[0]!.body).toContain('`app/.perf-gate/report.html` in the artifact `perf-gate-report`');
    expect(github.requestsMatching('PATCH', /\/issues\/comments\/\d+$/)).toHaveLength(1);

    // The secret header value is nowhere: comment, summary, outputs, logs, files, data branch.
    const dataBranch = execFileSync('git', ['log', '-p', 'perf-gate-data'], {
      cwd: path.join(remoteRoot, 'owner/repo.git'),
      encoding: 'utf8',
    });
    const outputsDir = path.join(work, 'app/.perf-gate');
    // `::add-mask::<value>` is the command that tells the runner to mask a value in every later log line;
    // the runner consumes it and never shows it, so it is the one place the value must appear.
    const logs = [stored.log, first.log, second.log].map((s) => s.replace(/^::add-mask::.*$/gm, ''));
    expect(first.log).toContain(`::add-mask::${SECRET}`);
    const everything = [
      ...github.requests.map((r) => JSON.stringify(r.body)),
      ...logs,
      first.summary,
      second.summary,
      JSON.stringify(first.outputs),
      JSON.stringify(second.outputs),
      readFileSync(path.join(outputsDir, 'report.json'), 'utf8'),
      readFileSync(path.join(outputsDir, 'run.json'), 'utf8'),
      readFileSync(path.join(outputsDir, 'comment.md'), 'utf8'),
      dataBranch,
    ].join('\n');
    const at = everything.indexOf(SECRET);
    expect(at, everything.slice(Math.max(0, at - 300), at + 100)).toBe(-1);
    expect(everything).not.toContain('ghs_fake_token_123');
  });

  it('approves an intended regression with the PR label, and keeps the verdict when commenting is forbidden', async () => {
    github.addPull('owner', 'repo', {
      number: 7,
      labels: ['perf-gate:approve'],
      files: [],
      headRef: 'feature',
      baseRef: 'main',
    });
    // The approval records who applied the label (the issue's label events) and their permission.
    github.addLabelEvents('owner', 'repo', 7, [{ label: 'perf-gate:approve', actor: 'maintainer' }]);
    github.setPermission('owner', 'repo', 'maintainer', 'maintain');
    github.fail({
      method: 'POST',
      path: /\/comments$/,
      mode: { kind: 'forbidden', message: 'Resource not accessible by integration' },
      times: Infinity,
    });
    github.fail({
      method: 'PATCH',
      path: /\/comments\/\d+$/,
      mode: { kind: 'forbidden', message: 'Resource not accessible by integration' },
      times: Infinity,
    });
    const r = await runAction(prEvent, { 'target-url': slower.url });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs.verdict).toBe('pass');
    expect(r.log).toMatch(/::warning::cannot comment on pull request #7 \(HTTP 403/);
    expect(r.summary).toMatch(/Approved via label by maintainer \(maintain\) at 2026-/);
    expect(r.summary).toMatch(/could not be posted/);
    expect(readFileSync(path.join(work, 'app/.perf-gate/comment.md'), 'utf8')).toMatch(/Approved via label/);
  });
});
