// docs/workflows.md's fork-safe pair, exercised as written: the `with:` inputs of the measuring
// workflow drive the committed Action bundle on a fork's pull_request (baseline from the data branch of
// a real bare repository), and the publishing workflow's `perf-gate publish` command runs on the
// workflow_run event that follows, against the loopback GitHub API. Every workflow in the page is also
// checked for what keeps it safe: pinned Action, least permissions, no `npx --yes`.
// Run `npm run build:action` after changing the sources: this test runs action/dist/index.js.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELAY_SERVER, startChildServer, type ChildServer } from '../helpers/child-server.ts';
import { FakeGitHub } from '../helpers/fake-github.ts';
import { git } from '../helpers/git.ts';
import { runBundledAction, type ActionEvent, type ActionRun } from '../helpers/action-run.ts';
import { runCli } from '../helpers/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOC = readFileSync(path.join(ROOT, 'docs/workflows.md'), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, { steps: Step[] }>;
}

const workflows = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => parseYaml(m[1]!) as unknown)
  .filter((w): w is Workflow => typeof w === 'object' && w !== null && 'jobs' in w);
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const measuring = workflows.find(
  (w) => w.name === 'perf-gate' && steps(w).some((s) => s.with?.comment === false),
)!;
const publishing = workflows.find((w) => 'workflow_run' in w.on)!;

describe('docs/workflows.md', () => {
  it('has the fork-safe pair', () => {
    expect(measuring).toBeDefined();
    expect(publishing).toBeDefined();
  });

  it('pins every perf-gate Action to a commit SHA, declares least permissions, never runs npx --yes', () => {
    for (const w of workflows) {
      for (const s of steps(w)) expect(s.run ?? '', w.name).not.toMatch(/npx\s+(--yes|-y)\b/);
      expect(typeof w.permissions, w.name).toBe('object');
      for (const [scope, level] of Object.entries(w.permissions as Record<string, string>)) {
        // Write only where the workflow writes: comments, or baselines on a push.
        if (level === 'write') expect(['pull-requests', 'contents'], `${w.name}: ${scope}`).toContain(scope);
      }
      for (const s of steps(w).filter((x) => x.uses?.includes('/perf-gate@'))) {
        expect(s.uses, w.name).toMatch(/@[0-9a-f]{40}$/);
      }
    }
    expect(measuring.permissions).toEqual({ contents: 'read', 'pull-requests': 'read' });
    expect(publishing.permissions).toEqual({ 'pull-requests': 'write', actions: 'read' });
    // The privileged workflow checks out nothing and stores nothing: it only publishes.
    expect(steps(publishing).some((s) => s.uses?.startsWith('actions/checkout'))).toBe(false);
    const gate = steps(measuring).find((s) => s.uses?.includes('/perf-gate@'))!;
    expect(gate.with?.store ?? 'git-branch').toBe('git-branch');
  });
});

describe('the fork-safe pair, run as documented', () => {
  let base: ChildServer;
  let slower: ChildServer;
  let github: FakeGitHub;
  let work: string;
  let remoteRoot: string;

  beforeAll(async () => {
    [base, slower] = await Promise.all([
      startChildServer([DELAY_SERVER]),
      startChildServer([DELAY_SERVER, '--extra=/delay/8:6']),
    ]);
    github = await FakeGitHub.start();
    github.addPull('acme', 'shop', {
      number: 21,
      labels: [],
      files: [],
      headSha: 'f'.repeat(40),
      headRef: 'faster',
      headRepo: 'contributor/shop',
    });
    work = mkdtempSync(path.join(os.tmpdir(), 'pg-doc-'));
    mkdirSync(path.join(work, 'scenarios'));
    writeFileSync(
      path.join(work, 'perf-gate.yml'),
      'scenarios: scenarios/*.yml\ngenerator: { maxCpu: 2, maxEventLoopDelay: 500ms }\ndefaults:\n  trials: 5\n  warmup: 300ms\n  pause: 50ms\n  timeout: 2s\n  load: { model: closed, connections: 3, duration: 500ms }\n',
    );
    writeFileSync(
      path.join(work, 'scenarios/api.yml'),
      'name: api\nrequests:\n  - name: slow-route\n    path: /delay/8\n',
    );
    git(work, 'init', '-q', '-b', 'main');
    git(work, 'add', '.');
    git(work, 'commit', '-qm', 'app');
    remoteRoot = mkdtempSync(path.join(os.tmpdir(), 'pg-doc-remote-'));
    mkdirSync(path.join(remoteRoot, 'acme'));
    git(path.join(remoteRoot, 'acme'), 'init', '-q', '--bare', 'shop.git');
  });

  afterAll(async () => {
    await Promise.all([base?.stop(), slower?.stop(), github?.close()]);
  });

  function action(event: ActionEvent, inputs: Record<string, unknown>): Promise<ActionRun> {
    return runBundledAction({
      workspace: work,
      event,
      apiUrl: github.url,
      repository: 'acme/shop',
      env: { GITHUB_SERVER_URL: `file://${remoteRoot}` },
      inputs: { 'github-token': 'ghs_readOnlyForkToken1', ...inputs },
    });
  }

  it("gates a fork's pull request against the data branch's baseline, then publishes from workflow_run", async () => {
    // Workflow 3 stores the baseline on the data branch (a push to main).
    const stored = await action(
      {
        name: 'push',
        ref: 'refs/heads/main',
        payload: { ref: 'refs/heads/main', repository: { default_branch: 'main' } },
      },
      { 'target-url': base.url },
    );
    expect(stored.code, stored.log).toBe(0);

    // The measuring workflow, with the inputs the doc gives, on the fork's (slower) pull request.
    const gate = steps(measuring).find((s) => s.uses?.includes('/perf-gate@'))!;
    const inputs = { ...gate.with, 'target-url': slower.url };
    const fork = {
      name: 'pull_request',
      ref: 'refs/pull/21/merge',
      payload: {
        number: 21,
        repository: { default_branch: 'main', full_name: 'acme/shop' },
        pull_request: {
          number: 21,
          title: 'Faster fees',
          labels: [],
          head: { ref: 'faster', sha: 'f'.repeat(40), repo: { full_name: 'contributor/shop' } },
          base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'acme/shop' } },
        },
      },
    };
    const measured = await action(fork, inputs);
    // Gated against the stored baseline: not "no baseline", and the exit status follows the verdict.
    expect(measured.outputs.verdict, measured.log).not.toBe('no-baseline');
    expect(measured.code).toBe(measured.outputs.verdict === 'fail' ? 1 : 0);
    expect(github.requestsMatching('POST', /comments$/)).toHaveLength(0);

    // The publishing workflow's command, on the workflow_run event that follows.
    const publishStep = steps(publishing).find((s) => s.run?.includes('perf-gate publish'))!;
    const argv = publishStep
      .run!.trim()
      .split(/\s+/)
      .slice(publishStep.run!.trim().split(/\s+/).indexOf('publish'));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-doc-pub-'));
    writeFileSync(path.join(dir, 'report.json'), readFileSync(path.join(work, '.perf-gate/report.json')));
    writeFileSync(
      path.join(dir, 'event.json'),
      JSON.stringify({
        workflow_run: {
          event: 'pull_request',
          head_sha: 'f'.repeat(40),
          head_branch: 'faster',
          head_repository: { full_name: 'contributor/shop', owner: { login: 'contributor' } },
          pull_requests: [],
        },
      }),
    );
    const published = await runCli(argv, {
      cwd: dir,
      env: {
        GITHUB_TOKEN: 'ghs_writeTokenOfTheBaseRepo',
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_EVENT_NAME: 'workflow_run',
        GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
      },
    });
    expect(published.code, published.stderr).toBe(0);
    const comments = github.issueComments('acme', 'shop', 21);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.user.login).toBe('github-actions[bot]');
    expect(comments[0]!.body).toMatch(/perf-gate/);
  });
});
