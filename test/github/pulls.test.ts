import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../src/github/client.ts';
import { getPullRequest, getPullRequestLabels, listPullRequestFiles } from '../../src/github/pulls.ts';
import { FakeGitHub, type FakeFile } from '../helpers/fake-github.ts';

let fake: FakeGitHub;
let client: GitHubClient;

beforeEach(async () => {
  fake = await FakeGitHub.start();
  client = createGitHubClient({ token: 'ghs_pulls789', baseUrl: fake.url, retry: { sleep: async () => {} } });
});
afterEach(async () => {
  await fake.close();
});

describe('pull request reads', () => {
  it('lists 3 pages of files, keeping renames and a missing patch', async () => {
    const files: FakeFile[] = Array.from({ length: 250 }, (_, i) => ({
      filename: `src/f${i}.ts`,
      status: 'modified',
      additions: i,
      deletions: 1,
      patch: `@@ -1 +1 @@\n-a${i}\n+b${i}`,
    }));
    files[120] = { filename: 'assets/logo.png', status: 'added', additions: 0, deletions: 0 };
    files[240] = { filename: 'src/new-name.ts', previous_filename: 'src/old-name.ts', status: 'renamed' };
    fake.addPull('acme', 'shop', { number: 5, labels: [], files });
    fake.fail({ path: '/files', mode: { kind: 'server-error' } });

    const listed = await listPullRequestFiles(client, { owner: 'acme', repo: 'shop', pullNumber: 5 });
    expect(listed).toHaveLength(250);
    expect(listed[0]).toEqual({
      filename: 'src/f0.ts',
      status: 'modified',
      additions: 0,
      deletions: 1,
      patch: '@@ -1 +1 @@\n-a0\n+b0',
    });
    expect(listed[120]).toEqual({ filename: 'assets/logo.png', status: 'added', additions: 0, deletions: 0 });
    expect('patch' in listed[120]!).toBe(false);
    expect(listed[240]).toMatchObject({ filename: 'src/new-name.ts', previous_filename: 'src/old-name.ts' });
    expect(listed[249]!.filename).toBe('src/f249.ts');
    const pages = fake.requestsMatching('GET', '/repos/acme/shop/pulls/5/files').map((r) => r.query.page);
    // The first request failed with a 500 and was retried.
    expect(pages).toEqual([undefined, undefined, '2', '3']);
  });

  it('reads all labels of a PR across pages, and the PR itself', async () => {
    const labels = Array.from({ length: 130 }, (_, i) => `label-${i}`);
    labels[125] = 'perf-approved';
    fake.addPull('acme', 'shop', { number: 6, labels, files: [], headRepo: 'someone/shop' });
    const got = await getPullRequestLabels(client, { owner: 'acme', repo: 'shop', pullNumber: 6 });
    expect(got).toHaveLength(130);
    expect(got).toContain('perf-approved');
    expect(fake.requestsMatching('GET', '/repos/acme/shop/issues/6/labels')).toHaveLength(2);

    const pr = await getPullRequest(client, { owner: 'acme', repo: 'shop', pullNumber: 6 });
    expect(pr).toMatchObject({ number: 6, fromFork: true, baseRef: 'main', headRef: 'feature' });
    fake.addPull('acme', 'shop', { number: 8, labels: ['x'], files: [] });
    expect((await getPullRequest(client, { owner: 'acme', repo: 'shop', pullNumber: 8 })).fromFork).toBe(
      false,
    );
  });
});
