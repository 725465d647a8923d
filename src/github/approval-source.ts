// The approval source on GitHub (it fits the use cases' ApprovalSource port): the pull request's approve label, counted only when the person who
// applied it may approve (approvals.ts). The labels are read fresh (the event's may be stale).
import type { Logger } from '../contracts/ports.ts';
import type { ApprovalRecord } from '../verdict/types.ts';
import { labelApproval } from './approvals.ts';
import type { GitHubClient } from './client.ts';
import { getPullRequestLabels, type PullRef } from './pulls.ts';

export function labelApprovalSource(
  client: GitHubClient | undefined,
  ref: PullRef,
  opts: { label: string; eventLabels: string[]; logger: Logger },
): { approval(): Promise<ApprovalRecord | undefined> } {
  return {
    async approval() {
      let labels = opts.eventLabels;
      if (client) {
        try {
          labels = await getPullRequestLabels(client, ref);
        } catch (err) {
          opts.logger.warn(
            `cannot read the pull request's labels (${(err as Error).message}); using the event's`,
          );
        }
      }
      if (!labels.includes(opts.label)) return undefined;
      return labelApproval(client, ref, opts.label, opts.logger);
    },
  };
}
