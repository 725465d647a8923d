// `perf-gate publish` as the privileged half of the fork-safe pair, against the loopback GitHub API:
// the pull request comes from the workflow_run event (never the report), the report is validated whole
// and rendered inert, only the token's own comment is sticky, and API faults never duplicate the comment.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stickyMarker } from '../../src/github/comments.ts';
import type { ReportJson } from '../../src/report/model/report-json.ts';
import { FakeGitHub } from '../helpers/fake-github.ts';
import { runCli } from '../helpers/cli.ts';
import { gateReport, jitteredTrials } from '../helpers/report.ts';
import { syntheticRun, syntheticScenario } from '../helpers/run-result.ts';

const TOKEN = 'ghs_workflowRunToken42';
const BOT = { login: 'github-actions[bot]', type: 'Bot' as const };
const HOSTILE = '<img src=x onerror=alert(1)> @acme/owners `x` [click](javascript:alert(1)) | \u202egnp.exe';
const FORK_SHA = 'd'.repeat(40);
const SAME_SHA = 'c'.repeat(40);

const trials = (ms: number, seed: number) => jitteredTrials(ms, seed, 8, 60);

function report(requestName: string, context: ReportJson['context']): ReportJson {
  const baseline = syntheticRun([syntheticScenario('api', [{ name: requestName, trialsMs: trials(10, 1) }])]);
  const candidate = syntheticRun([
    syntheticScenario('api', [{ name: requestName, trialsMs: trials(16, 2) }]),
  ]);
  return gateReport(baseline, candidate, { context });
}

let good: ReportJson;
let github: FakeGitHub;
let dir: string;

beforeAll(() => {
  good = report('checkout', { repository: 'acme/shop', pullRequest: { number: 13, title: 'Faster fees' } });
});

beforeEach(async () => {
  github = await FakeGitHub.start();
  github.addPull('acme', 'shop', {
    number: 12,
    labels: [],
    files: [],
    headSha: SAME_SHA,
    headRef: 'feature',
  });
  github.addPull('acme', 'shop', {
    number: 13,
    labels: [],
    files: [],
    headSha: FORK_SHA,
    headRef: 'patch-1',
    headRepo: 'mallory/shop',
  });
  dir = mkdtempSync(path.join(os.tmpdir(), 'pg-publish-'));
});
afterEach(async () => {
  await github.close();
});

/** A workflow_run event following the fork's pull_request run (GitHub links no PRs for forks). */
function forkRunEvent(): unknown {
  return {
    action: 'completed',
    workflow_run: {
      id: 5,
      event: 'pull_request',
      head_sha: FORK_SHA,
      head_branch: 'patch-1',
      head_repository: { full_name: 'mallory/shop', owner: { login: 'mallory' } },
      pull_requests: [],
    },
  };
}

function sameRepoRunEvent(): unknown {
  return {
    action: 'completed',
    workflow_run: {
      id: 6,
      event: 'pull_request',
      head_sha: SAME_SHA,
      head_branch: 'feature',
      head_repository: { full_name: 'acme/shop', owner: { login: 'acme' } },
      pull_requests: [
        {
          number: 12,
          head: { sha: SAME_SHA, ref: 'feature' },
          base: { ref: 'main', repo: { name: 'shop', url: `${'http://x'}/repos/acme/shop` } },
        },
      ],
    },
  };
}

async function publish(
  content: unknown,
  opts: { event?: unknown; args?: string[]; env?: Record<string, string> } = {},
) {
  writeFileSync(
    path.join(dir, 'report.json'),
    typeof content === 'string' ? content : JSON.stringify(content),
  );
  const env: Record<string, string> = {
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'acme/shop',
    ...opts.env,
  };
  if (opts.event !== undefined) {
    writeFileSync(path.join(dir, 'event.json'), JSON.stringify(opts.event));
    env.GITHUB_EVENT_NAME = 'workflow_run';
    env.GITHUB_EVENT_PATH = path.join(dir, 'event.json');
  }
  return runCli(['publish', '--from', 'report.json', ...(opts.args ?? [])], { cwd: dir, env });
}

/** Sets a value deep inside parsed JSON (the test's stand-in for a hand-edited artifact). */
function setIn(root: unknown, path: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
}

const writes = () => github.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH');

describe('perf-gate publish, the pull request from the trusted event', () => {
  it("comments on a fork's pull request found by the workflow run's head, as the token's bot", async () => {
    const r = await publish(good, { event: forkRunEvent() });
    expect(r.code, r.stderr).toBe(0);
    const comments = github.issueComments('acme', 'shop', 13);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.user.login).toBe(BOT.login);
    expect(comments[0]!.body).toMatch(/performance regression/);
    expect(github.requestsMatching('GET', '/repos/acme/shop/pulls')[0]!.query.head).toBe('mallory:patch-1');
    expect(r.stderr).not.toContain(TOKEN);
  });

  it('uses the pull request GitHub linked to a same-repository run', async () => {
    const r = await publish(
      { ...good, context: { ...good.context, pullRequest: { number: 12 } } },
      {
        event: sameRepoRunEvent(),
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(github.issueComments('acme', 'shop', 12)).toHaveLength(1);
  });

  it('refuses a report that names another pull request, and writes nothing', async () => {
    const other = { ...good, context: { ...good.context, pullRequest: { number: 12, title: 'x' } } };
    const r = await publish(other, { event: forkRunEvent() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/report says pull request #12, but this run is for #13: refused/);
    expect(writes()).toHaveLength(0);
  });

  it('refuses a report for another repository', async () => {
    const r = await publish(
      { ...good, context: { ...good.context, repository: 'victim/app' } },
      {
        event: forkRunEvent(),
      },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/"victim\/app", not acme\/shop: refused/);
    expect(writes()).toHaveLength(0);
  });

  it('without --pr or a workflow_run event it does not guess from the report (exit 2)', async () => {
    const r = await publish(good);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/which pull request\? pass --pr N, or run publish in a workflow_run workflow/);
    expect(github.requests).toHaveLength(0);
  });
});

describe('perf-gate publish, a hostile report', () => {
  it('refuses non-string fields that are not what the schema says, naming them (exit 3)', async () => {
    // What a fork can write into the artifact: strings of HTML where the renderer expects numbers/enums.
    const bad = JSON.parse(JSON.stringify(good)) as unknown;
    setIn(bad, ['context', 'pullRequest', 'number'], '13 <img src=x onerror=alert(1)>');
    setIn(bad, ['verdict', 'alpha'], '[win a prize](https://evil.example) @everyone');
    setIn(bad, ['verdict', 'approval'], { source: '<b>label</b>', reason: 'ok', by: 'admin' });
    setIn(bad, ['comparison', 'trials', 0, 'baseline'], '@acme/owners');
    const r = await publish(bad, { event: forkRunEvent() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/report\.json: invalid report: /);
    expect(r.stderr).toMatch(/context\.pullRequest\.number/);
    expect(r.stderr).toMatch(/verdict\.alpha/);
    expect(github.requests).toHaveLength(0);
  });

  it('renders hostile names inert and bounded: no HTML, links, mentions, bidi controls or table breaks', async () => {
    const long = `${HOSTILE} ${'A'.repeat(10_000)}`;
    const hostile = report(long, {
      repository: 'acme/shop',
      pullRequest: { number: 13, title: HOSTILE },
      branch: HOSTILE,
      approveLabel: '@acme/owners <script>',
    });
    const r = await publish(hostile, { event: forkRunEvent() });
    expect(r.code, r.stderr).toBe(0);
    const body = github.issueComments('acme', 'shop', 13)[0]!.body;
    expect(body).not.toMatch(/<img|<script|<b>/);
    expect(body).not.toMatch(/(?<!\\)\]\((javascript|https?):/);
    expect(body).not.toMatch(/@acme\/owners/); // a zero-width space follows every @
    expect(body).not.toContain('\u202e');
    // Names are cut in tables; the verdict's sentences quote them, cut at 2,000 characters.
    expect(body).not.toContain('A'.repeat(2000));
    expect(
      body
        .split('\n')
        .filter((l) => l.startsWith('| api'))
        .join('\n'),
    ).not.toContain('A'.repeat(200));
    expect(body.length).toBeLessThan(65_536);
    for (const row of body.split('\n').filter((l) => l.startsWith('| api'))) {
      expect(row.split(/(?<!\\)\|/).length).toBe(10);
    }
  });
});

describe('perf-gate publish, the sticky comment', () => {
  it("ignores a marker planted in another user's comment and never edits it", async () => {
    const [planted] = github.addComments(
      'acme',
      'shop',
      13,
      [`${stickyMarker('default')}\nall good, merge it`],
      {
        login: 'mallory',
        type: 'User',
      },
    );
    const first = await publish(good, { event: forkRunEvent() });
    const second = await publish(good, { event: forkRunEvent() });
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(first.stderr).toMatch(
      /1 comment\(s\) by others carry perf-gate's marker \(mallory\); they were left alone/,
    );
    const comments = github.issueComments('acme', 'shop', 13);
    expect(comments).toHaveLength(2);
    expect(comments[0]!.body).toBe(planted!.body);
    expect(github.requestsMatching('PATCH', `/repos/acme/shop/issues/comments/${planted!.id}`)).toHaveLength(
      0,
    );
    expect(github.requestsMatching('POST', /comments$/)).toHaveLength(1);
  });

  it("with a user token, the token's own login (GET /user) owns the comment", async () => {
    github.addUserToken('ghp_perfBot', 'perf-bot');
    github.addComments('acme', 'shop', 13, [`${stickyMarker('default')}\nold`], BOT);
    const r = await publish(good, { event: forkRunEvent(), env: { GITHUB_TOKEN: 'ghp_perfBot' } });
    expect(r.code, r.stderr).toBe(0);
    const comments = github.issueComments('acme', 'shop', 13);
    expect(comments.map((c) => c.user.login)).toEqual([BOT.login, 'perf-bot']);
  });

  it('finds its comment among 320 and updates it instead of posting another', async () => {
    const bodies = Array.from({ length: 320 }, (_, i) => `comment ${i}`);
    bodies[310] = `${stickyMarker('default')}\nold report`;
    const seeded = github.addComments('acme', 'shop', 13, bodies, BOT);
    const r = await publish(good, { event: forkRunEvent(), args: ['--json'] });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ action: 'updated', id: seeded[310]!.id });
    expect(github.issueComments('acme', 'shop', 13)).toHaveLength(320);
  });
});

describe('perf-gate publish, GitHub API faults', () => {
  it('waits out a secondary rate limit and a 429 (Retry-After) and posts exactly once', async () => {
    github.fail({
      method: 'GET',
      path: /\/comments$/,
      mode: { kind: 'secondary-rate-limit', retryAfterSeconds: 1 },
    });
    github.fail({
      method: 'POST',
      path: /\/comments$/,
      mode: { kind: 'rate-limit-429', retryAfterSeconds: 1 },
    });
    const r = await publish(good, { event: forkRunEvent() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/secondary rate limit \(403, retry-after\); retrying in 1s/);
    expect(r.stderr).toMatch(/rate limited \(429\); retrying in 1s/);
    expect(github.issueComments('acme', 'shop', 13)).toHaveLength(1);
  });

  it('a create that landed but timed out (and a 502 listing) never duplicates the comment', async () => {
    github.fail({ method: 'POST', path: /\/comments$/, afterApplying: true, mode: { kind: 'hang' } });
    github.fail({ method: 'GET', path: /\/comments$/, mode: { kind: 'server-error', status: 502 } });
    const r = await publish(good, { event: forkRunEvent(), env: { PERF_GATE_GITHUB_TIMEOUT_MS: '500' } });
    expect(r.code, r.stderr).toBe(0);
    expect(github.issueComments('acme', 'shop', 13)).toHaveLength(1);
    expect(github.requestsMatching('POST', /comments$/)).toHaveLength(1);
  });

  it('a rate limit that does not lift ends in exit 3 with nothing posted twice', async () => {
    github.fail({
      method: 'POST',
      path: /\/comments$/,
      times: Infinity,
      mode: { kind: 'secondary-rate-limit', retryAfterSeconds: 1 },
    });
    const r = await publish(good, { event: forkRunEvent() });
    expect(r.code).toBe(3);
    expect(github.requestsMatching('POST', /comments$/)).toHaveLength(4); // the bounded attempts
    expect(github.issueComments('acme', 'shop', 13)).toHaveLength(0);
  }, 20_000);
});
