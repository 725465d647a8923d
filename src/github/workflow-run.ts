// What a workflow_run event says about the run it follows: the trusted source of the pull request a
// fork-safe `perf-gate publish` comments on. The artifact it publishes is written by the fork and is
// never asked where to post. Pure: the payload comes in parsed.

export interface WorkflowRunHead {
  /** Pull requests GitHub linked to the run (same-repository heads only; empty for forks). */
  pullRequests: number[];
  headSha: string;
  headBranch: string;
  /** Owner login of the head repository (the fork's owner for a fork). */
  headOwner: string;
  /** The event that triggered the run being followed ("pull_request", "push", ...). */
  event: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The followed run's head, or undefined when the payload is not a workflow_run event's. */
export function workflowRunHead(payload: unknown, repository: string): WorkflowRunHead | undefined {
  const run = obj(obj(payload)?.workflow_run);
  if (!run) return undefined;
  const headSha = str(run.head_sha);
  const pulls = Array.isArray(run.pull_requests) ? run.pull_requests : [];
  const pullRequests = pulls
    .map(obj)
    .filter((p): p is Obj => !!p)
    // Only pull requests into this repository at this head: the list can name PRs of other repositories.
    .filter((p) => [repository, ''].includes(repoName(obj(obj(p.base)?.repo))))
    .filter((p) => str(obj(p.head)?.sha) === '' || str(obj(p.head)?.sha) === headSha)
    .map((p) => p.number)
    .filter((n): n is number => Number.isSafeInteger(n) && (n as number) > 0);
  return {
    pullRequests: [...new Set(pullRequests)],
    headSha,
    headBranch: str(run.head_branch),
    headOwner: str(obj(obj(run.head_repository)?.owner)?.login),
    event: str(run.event),
  };
}

function repoName(repo: Obj | undefined): string {
  const full = str(repo?.full_name);
  if (full) return full;
  // The workflow_run payload's pull_requests carry repo { id, url, name } without full_name.
  const url = str(repo?.url);
  const m = /\/repos\/([^/]+\/[^/]+)$/.exec(url);
  return m ? m[1]! : '';
}
