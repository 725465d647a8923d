// Who approved an intended regression with the PR label, and whether they may: the latest "labeled"
// event of that label (not undone by a later "unlabeled") names the person and the time, and their
// repository permission says whether the approval counts. Anyone who can label (triage) is not enough.
import type { Logger } from '../contracts/ports.ts';
import type { ApprovalRecord } from '../verdict/types.ts';
import type { GitHubClient } from './client.ts';
import type { PullRef } from './pulls.ts';

export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/** Permissions whose holders may approve a regression (they could merge the change anyway). */
export const APPROVING_PERMISSIONS: readonly RepoPermission[] = ['admin', 'maintain', 'write'];

export interface LabelApplication {
  login: string;
  /** ISO time the label was applied. */
  at: string;
}

interface ApiIssueEvent {
  event: string;
  created_at: string;
  actor?: { login?: string } | null;
  label?: { name?: string } | null;
}

/** Who applied `label` (still applied) most recently, or undefined when the events do not say. */
export async function labelApplication(
  client: GitHubClient,
  ref: PullRef & { label: string },
): Promise<LabelApplication | undefined> {
  const events = (await client.octokit.paginate(client.octokit.rest.issues.listEvents, {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.pullNumber,
    per_page: 100,
  })) as ApiIssueEvent[];
  let latest: LabelApplication | undefined;
  for (const e of events) {
    if (e.label?.name !== ref.label) continue;
    if (e.event === 'unlabeled') latest = undefined;
    else if (e.event === 'labeled' && e.actor?.login) latest = { login: e.actor.login, at: e.created_at };
  }
  return latest;
}

const KNOWN: ReadonlySet<string> = new Set(['admin', 'maintain', 'write', 'triage', 'read', 'none']);

/** The user's permission on the repository (role_name when GitHub gives it: it tells maintain and triage apart). */
export async function repositoryPermission(
  client: GitHubClient,
  ref: { owner: string; repo: string; login: string },
): Promise<RepoPermission> {
  const { data } = await client.octokit.rest.repos.getCollaboratorPermissionLevel({
    owner: ref.owner,
    repo: ref.repo,
    username: ref.login,
  });
  const role = (data as { role_name?: string }).role_name;
  const value = role && KNOWN.has(role) ? role : data.permission;
  return (KNOWN.has(value) ? value : 'none') as RepoPermission;
}

/**
 * The approval the PR label gives: who applied it and when (the issue's label events), counted only when
 * that person may approve (write, maintain or admin on the repository). Without a client, or when the
 * events cannot be read, the label alone does not approve: a label is not a person.
 */
export async function labelApproval(
  client: GitHubClient | undefined,
  ref: PullRef,
  label: string,
  logger: Logger,
): Promise<ApprovalRecord | undefined> {
  if (!client) {
    logger.warn(
      `label '${label}' is on the pull request, but without a github-token its author cannot be checked: not approved`,
    );
    return undefined;
  }
  try {
    const applied = await labelApplication(client, { ...ref, label });
    if (!applied) {
      logger.warn(
        `label '${label}' is on the pull request, but no label event says who applied it: not approved`,
      );
      return undefined;
    }
    const permission = await repositoryPermission(client, { ...ref, login: applied.login });
    if (!APPROVING_PERMISSIONS.includes(permission)) {
      logger.warn(
        `label '${label}' was applied by ${applied.login}, whose permission is '${permission}': ` +
          `only ${APPROVING_PERMISSIONS.join(', ')} may approve a regression; not approved`,
      );
      return undefined;
    }
    return {
      source: 'label',
      reason: `label '${label}' on the pull request`,
      by: applied.login,
      at: applied.at,
      permission,
    };
  } catch (err) {
    logger.warn(`cannot check who applied label '${label}' (${(err as Error).message}): not approved`);
    return undefined;
  }
}
