// The Action's GitHub ports: the API client (only with a token on a pull request), the pull request's
// changed files, its approve label, and the publisher (sticky comment and job summary).
import * as core from '@actions/core';
import { parseRestFiles } from '../src/attribution/diff.ts';
import { labelApprovalSource } from '../src/github/approval-source.ts';
import { createGitHubClient, githubTimeoutFromEnv, type GitHubClient } from '../src/github/client.ts';
import { pullRequestPublisher } from '../src/github/publisher.ts';
import { listPullRequestFiles } from '../src/github/pulls.ts';
import type { Publisher } from '../src/contracts/ports.ts';
import type { ApprovalSource, ChangesSource } from '../src/usecases/ports.ts';
import { noApproval } from '../src/usecases/sources.ts';
import type { ActionContext } from './context.ts';

export interface GitHubPorts {
  client?: GitHubClient;
  approvals: ApprovalSource;
  changes: ChangesSource;
  publisher: Publisher;
}

export function githubPorts({ env, inputs, event, logger, redactor }: ActionContext): GitHubPorts {
  const pr = event.pullRequest;
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '/').split('/') as [string, string];
  let client: GitHubClient | undefined;
  if (inputs.githubToken && pr) {
    const timeoutMs = githubTimeoutFromEnv(env);
    client = createGitHubClient({
      token: inputs.githubToken,
      baseUrl: env.GITHUB_API_URL,
      logger,
      redactor,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  }
  const ref = pr ? { owner, repo, pullNumber: pr.number } : undefined;
  const approvals = ref
    ? labelApprovalSource(client, ref, { label: inputs.approveLabel, eventLabels: pr!.labels, logger })
    : noApproval;
  const changes: ChangesSource = {
    async changes() {
      if (!ref || !client) return { unavailable: 'not a pull request' };
      try {
        return { files: parseRestFiles(await listPullRequestFiles(client, ref)) };
      } catch (err) {
        return { unavailable: `cannot list the pull request's files: ${(err as Error).message}` };
      }
    },
  };
  const summary = async (markdown: string) => {
    await core.summary.addRaw(markdown).write();
  };
  const publisher: Publisher =
    client && ref ? { ...pullRequestPublisher(client, { ...ref }), summary } : { summary };
  return { ...(client ? { client } : {}), approvals, changes, publisher };
}

/** The link to this workflow run, when the environment says which it is. */
export function runUrl(env: Record<string, string | undefined>): string | undefined {
  if (!env.GITHUB_RUN_ID || !env.GITHUB_REPOSITORY) return undefined;
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}
