// Pull-request reads: the changed files (for mapping regressions to code) and the labels (for approving an
// intended regression). Lists are read across all pages.
import type { GitHubClient } from './client.ts';

export interface PullRef {
  owner: string;
  repo: string;
  pullNumber: number;
}

export type PullRequestFileStatus =
  'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

/** Field names follow GitHub's API. */
export interface PullRequestFile {
  filename: string;
  /** Set for renamed (and copied) files: the path before the change. */
  previous_filename?: string;
  status: PullRequestFileStatus;
  additions: number;
  deletions: number;
  /** The unified diff; GitHub leaves it out for binary files and very large diffs. */
  patch?: string;
}

/** GitHub lists at most this many files of a pull request. */
export const GITHUB_PR_FILES_LIMIT = 3000;

export async function listPullRequestFiles(client: GitHubClient, ref: PullRef): Promise<PullRequestFile[]> {
  const files = await client.octokit.paginate(client.octokit.rest.pulls.listFiles, {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
    per_page: 100,
  });
  return files.map((f) => ({
    filename: f.filename,
    ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    ...(typeof f.patch === 'string' ? { patch: f.patch } : {}),
  }));
}

/** The PR's current labels (read now, not from the event payload, so a label added before a re-run counts). */
export async function getPullRequestLabels(client: GitHubClient, ref: PullRef): Promise<string[]> {
  const labels = await client.octokit.paginate(client.octokit.rest.issues.listLabelsOnIssue, {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.pullNumber,
    per_page: 100,
  });
  return labels.map((l) => l.name);
}

export interface PullRequestInfo {
  number: number;
  state: string;
  draft: boolean;
  url: string;
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
  labels: string[];
  /** The head lives in another repository: the workflow token is read-only there, comments will 403. */
  fromFork: boolean;
}

export async function getPullRequest(client: GitHubClient, ref: PullRef): Promise<PullRequestInfo> {
  const { data } = await client.octokit.rest.pulls.get({
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
  });
  const headRepo = data.head.repo?.full_name;
  return {
    number: data.number,
    state: data.state,
    draft: data.draft === true,
    url: data.html_url,
    headSha: data.head.sha,
    headRef: data.head.ref,
    baseSha: data.base.sha,
    baseRef: data.base.ref,
    labels: data.labels.map((l) => l.name),
    // A deleted fork has no head repo; it is still not this repository.
    fromFork: headRepo !== data.base.repo.full_name,
  };
}

/**
 * The open pull request whose head is `headOwner:headBranch` at `headSha` (a workflow_run's head), or
 * undefined. Works for forks, where the workflow_run event lists no pull requests.
 */
export async function findPullRequestByHead(
  client: GitHubClient,
  ref: { owner: string; repo: string; headOwner: string; headBranch: string; headSha: string },
): Promise<number | undefined> {
  const pulls = await client.octokit.paginate(client.octokit.rest.pulls.list, {
    owner: ref.owner,
    repo: ref.repo,
    head: `${ref.headOwner}:${ref.headBranch}`,
    state: 'open',
    per_page: 100,
  });
  return pulls.find((p) => p.head.sha === ref.headSha)?.number;
}
