import { describe, expect, it } from 'vitest';
import { workflowRunHead } from '../../src/github/workflow-run.ts';

const run = (over: Record<string, unknown>) => ({
  workflow_run: {
    event: 'pull_request',
    head_sha: 'c'.repeat(40),
    head_branch: 'feature',
    head_repository: { full_name: 'acme/shop', owner: { login: 'acme' } },
    pull_requests: [],
    ...over,
  },
});

describe('workflowRunHead', () => {
  it('keeps only pull requests into this repository at the run head', () => {
    const head = workflowRunHead(
      run({
        pull_requests: [
          {
            number: 4,
            head: { sha: 'c'.repeat(40) },
            base: { repo: { url: 'https://api.github.com/repos/acme/shop' } },
          },
          {
            number: 5,
            head: { sha: 'd'.repeat(40) },
            base: { repo: { url: 'https://api.github.com/repos/acme/shop' } },
          },
          {
            number: 6,
            head: { sha: 'c'.repeat(40) },
            base: { repo: { url: 'https://api.github.com/repos/other/x' } },
          },
          { number: '7', head: { sha: 'c'.repeat(40) } },
        ],
      }),
      'acme/shop',
    );
    expect(head).toEqual({
      pullRequests: [4],
      headSha: 'c'.repeat(40),
      headBranch: 'feature',
      headOwner: 'acme',
      event: 'pull_request',
    });
  });

  it('is undefined for other events and tolerates hostile shapes', () => {
    expect(workflowRunHead({ pull_request: { number: 1 } }, 'acme/shop')).toBeUndefined();
    expect(workflowRunHead(null, 'acme/shop')).toBeUndefined();
    expect(workflowRunHead(run({ pull_requests: 'x', head_repository: null }), 'acme/shop')).toMatchObject({
      pullRequests: [],
      headOwner: '',
    });
  });
});
