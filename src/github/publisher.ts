// The publisher port on GitHub: the pull request's one sticky comment (found by its marker, written by the
// token's own login). The job summary is the Action's to add (@actions/core), so it is not here.
import type { Publisher } from '../contracts/ports.ts';
import type { GitHubClient } from './client.ts';
import { upsertStickyComment } from './comments.ts';
import { tokenIdentity } from './identity.ts';

export function pullRequestPublisher(
  client: GitHubClient,
  target: { owner: string; repo: string; pullNumber: number; appLogin?: string },
): Publisher {
  return {
    async comment(body, marker) {
      const identity = await tokenIdentity(client, target.appLogin);
      return upsertStickyComment(client, {
        owner: target.owner,
        repo: target.repo,
        issueNumber: target.pullNumber,
        body,
        marker,
        author: identity.login,
      });
    },
  };
}
