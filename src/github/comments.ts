// One sticky PR comment per marker: found by a hidden HTML marker AND the token's own login across every
// page of the issue's comments, updated in place, created only when none exists. A marker in anyone
// else's comment is ignored (and reported), never edited. A 403 (fork PR, read-only token) is a result,
// not an exception, so the caller can fall back to a file and the job summary.
import type { GitHubClient } from './client.ts';
import { backoffDelayMs, classifyError } from './retry.ts';

/** GitHub rejects issue comments longer than this many characters. */
export const GITHUB_COMMENT_MAX_CHARS = 65_536;

const MARKER_KEY = /^[A-Za-z0-9._:/-]{1,100}$/;

/** The hidden marker for a key; the key may not contain "--", which would end the HTML comment early. */
export function stickyMarker(marker: string): string {
  if (!MARKER_KEY.test(marker) || marker.includes('--')) {
    throw new RangeError(
      `sticky comment marker ${JSON.stringify(marker)} must be 1-100 characters of A-Z a-z 0-9 . _ : / - ` +
        'without "--"',
    );
  }
  return `<!-- perf-gate:${marker} -->`;
}

/** The body with the marker as its first line (unchanged when it already carries it). */
export function withStickyMarker(body: string, marker: string): string {
  const tag = stickyMarker(marker);
  return body.includes(tag) ? body : `${tag}\n${body}`;
}

export interface StickyCommentRef {
  id: number;
  url: string;
  createdAt: string;
  author?: string;
}

export interface IssueRef {
  owner: string;
  repo: string;
  issueNumber: number;
}

export interface UpsertStickyCommentInput extends IssueRef {
  body: string;
  marker: string;
  /** The token's own login (see identity.ts): only its comments are perf-gate's. */
  author: string;
}

export type UpsertStickyCommentResult =
  | {
      action: 'created' | 'updated';
      id: number;
      url: string;
      /** Older comments that carry the same marker (left in place; deleting them was not asked for). */
      duplicates: StickyCommentRef[];
      /** Comments by other authors that carry the marker: not perf-gate's, left alone. */
      ignored: StickyCommentRef[];
    }
  | { action: 'forbidden'; status: number; message: string };

interface ApiComment {
  id: number;
  body?: string | null;
  html_url: string;
  created_at: string;
  user?: { login?: string } | null;
}

function toRef(c: ApiComment): StickyCommentRef {
  return {
    id: c.id,
    url: c.html_url,
    createdAt: c.created_at,
    ...(c.user?.login ? { author: c.user.login } : {}),
  };
}

const newestFirst = (a: ApiComment, b: ApiComment) =>
  a.created_at === b.created_at ? b.id - a.id : a.created_at < b.created_at ? 1 : -1;

/** Comments on the issue carrying the marker, newest first: the author's, and everyone else's. */
export async function findStickyComments(
  client: GitHubClient,
  ref: IssueRef & { marker: string; author: string },
): Promise<{ own: StickyCommentRef[]; others: StickyCommentRef[] }> {
  const tag = stickyMarker(ref.marker);
  const comments = (await client.octokit.paginate(client.octokit.rest.issues.listComments, {
    owner: ref.owner,
    repo: ref.repo,
    issue_number: ref.issueNumber,
    per_page: 100,
  })) as ApiComment[];
  const marked = comments.filter((c) => (c.body ?? '').includes(tag)).sort(newestFirst);
  // Logins compare case-insensitively, as GitHub's do.
  const mine = (c: ApiComment) => c.user?.login?.toLowerCase() === ref.author.toLowerCase();
  return { own: marked.filter(mine).map(toRef), others: marked.filter((c) => !mine(c)).map(toRef) };
}

function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
}

function forbidden(err: unknown, nowMs: number): UpsertStickyCommentResult | undefined {
  // A rate-limited 403 was retried already; when retries ran out it is rethrown, not called "forbidden".
  if (statusOf(err) !== 403 || classifyError(err, 'GET', nowMs).retryable) return undefined;
  return { action: 'forbidden', status: 403, message: (err as Error).message };
}

export async function upsertStickyComment(
  client: GitHubClient,
  input: UpsertStickyCommentInput,
): Promise<UpsertStickyCommentResult> {
  const body = withStickyMarker(input.body, input.marker);
  if (body.length > GITHUB_COMMENT_MAX_CHARS) {
    throw new RangeError(
      `comment body is ${body.length} characters; GitHub accepts at most ${GITHUB_COMMENT_MAX_CHARS}`,
    );
  }
  const { octokit } = client;
  const repo = { owner: input.owner, repo: input.repo };
  try {
    for (let attempt = 1; ; attempt++) {
      const { own, others: ignored } = await findStickyComments(client, { ...input });
      const [newest, ...duplicates] = own;
      if (newest) {
        const res = await octokit.rest.issues.updateComment({ ...repo, comment_id: newest.id, body });
        return { action: 'updated', id: res.data.id, url: res.data.html_url, duplicates, ignored };
      }
      try {
        const res = await octokit.rest.issues.createComment({
          ...repo,
          issue_number: input.issueNumber,
          body,
        });
        return { action: 'created', id: res.data.id, url: res.data.html_url, duplicates: [], ignored };
      } catch (err) {
        // The create may have landed even though the answer was a 5xx or a dropped connection: look
        // again before repeating it, so a retry never duplicates the comment.
        const status = statusOf(err) ?? 0;
        if (status < 500 || attempt >= client.retry.maxAttempts) throw err;
        const waitMs = backoffDelayMs(client.retry, attempt);
        client.retry.onRetry?.({
          attempt,
          waitMs,
          status,
          reason: `server error (${status}) creating the comment; checking whether it landed`,
          request: `POST /repos/${input.owner}/${input.repo}/issues/${input.issueNumber}/comments`,
        });
        await client.retry.sleep(waitMs);
      }
    }
  } catch (err) {
    const result = forbidden(err, client.retry.now());
    if (result) return result;
    throw err;
  }
}
