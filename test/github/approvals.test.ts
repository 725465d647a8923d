// Who applied the approve label, and whether they may approve, read through the real Octokit from the
// loopback GitHub API (label events across pages, collaborator permission with role_name).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../src/github/client.ts';
import { labelApplication, repositoryPermission } from '../../src/github/approvals.ts';
import { tokenIdentity } from '../../src/github/identity.ts';
import { FakeGitHub } from '../helpers/fake-github.ts';

let fake: FakeGitHub;
let client: GitHubClient;
const ref = { owner: 'acme', repo: 'shop', pullNumber: 9, label: 'perf-gate:approve' };

beforeEach(async () => {
  fake = await FakeGitHub.start();
  client = createGitHubClient({
    token: 'ghs_approvals1',
    baseUrl: fake.url,
    retry: { sleep: async () => {} },
  });
});
afterEach(async () => {
  await fake.close();
});

describe('label approval audit', () => {
  it('names the latest person who applied the label, across pages of events', async () => {
    const noise = Array.from({ length: 150 }, (_, i) => ({ label: `other-${i}`, actor: 'bot' }));
    fake.addLabelEvents('acme', 'shop', 9, [
      { label: 'perf-gate:approve', actor: 'alice' },
      { label: 'perf-gate:approve', actor: 'alice', event: 'unlabeled' },
      ...noise,
      { label: 'perf-gate:approve', actor: 'bob', at: '2026-12-06T10:00:00Z' },
    ]);
    expect(await labelApplication(client, ref)).toEqual({ login: 'bob', at: '2026-12-06T10:00:00Z' });
  });

  it('a label removed after it was applied is no approval', async () => {
    fake.addLabelEvents('acme', 'shop', 9, [
      { label: 'perf-gate:approve', actor: 'alice' },
      { label: 'perf-gate:approve', actor: 'carol', event: 'unlabeled' },
    ]);
    expect(await labelApplication(client, ref)).toBeUndefined();
  });

  it('reads the exact role (maintain, triage), and read for a stranger', async () => {
    fake.setPermission('acme', 'shop', 'bob', 'maintain');
    fake.setPermission('acme', 'shop', 'dave', 'triage');
    expect(await repositoryPermission(client, { owner: 'acme', repo: 'shop', login: 'bob' })).toBe(
      'maintain',
    );
    expect(await repositoryPermission(client, { owner: 'acme', repo: 'shop', login: 'dave' })).toBe('triage');
    expect(await repositoryPermission(client, { owner: 'acme', repo: 'shop', login: 'eve' })).toBe('read');
  });
});

describe('token identity', () => {
  it('an installation token (403 on GET /user) is github-actions[bot]; a user token is its login', async () => {
    expect(await tokenIdentity(client)).toEqual({ login: 'github-actions[bot]', kind: 'app' });
    expect(await tokenIdentity(client, 'my-app[bot]')).toEqual({ login: 'my-app[bot]', kind: 'app' });
    fake.addUserToken('ghp_user1', 'perf-bot');
    const user = createGitHubClient({ token: 'ghp_user1', baseUrl: fake.url });
    expect(await tokenIdentity(user)).toEqual({ login: 'perf-bot', kind: 'user' });
  });
});
