// The publish use case: the one way a report reaches the pull request (its sticky comment) and the job
// summary, for the Action after a gate and for `perf-gate publish` in a fork-safe workflow. Publishing
// after a gate is best effort: the verdict stands and the comment stays on disk. Publishing as the job
// itself (`perf-gate publish`) is required: a refusal or an API failure ends it (exit 3).
import type { CommentOutcome, Logger, Publisher } from '../contracts/ports.ts';

export interface PublishInput {
  /** The comment to post; absent when none is wanted (comment: false, or not a pull request). */
  comment?: {
    body: string;
    marker: string;
    /** Where the comment is written on disk (said when it could not be posted). */
    file: string;
    /** The pull request, for messages: "pull request #7", "acme/shop#7". */
    where: string;
  };
  summary?: string;
  policy: 'best-effort' | 'required';
  /** Why the publisher cannot comment, when it cannot (no token). */
  noCommentReason?: string;
}

export interface Published {
  comment?: CommentOutcome;
  /** The posted comment's URL, or '' when none was posted. */
  commentUrl: string;
}

export async function publishReport(
  input: PublishInput,
  ports: { publisher: Publisher; logger: Logger },
): Promise<Published> {
  const { logger, publisher } = ports;
  let summary = input.summary;
  let outcome: CommentOutcome | undefined;
  const wanted = input.comment;
  if (wanted && !publisher.comment) {
    logger.warn(
      `${input.noCommentReason ?? 'no github-token'}: the comment was not posted; it is in ${wanted.file}`,
    );
  } else if (wanted && publisher.comment) {
    try {
      outcome = await publisher.comment(wanted.body, wanted.marker);
    } catch (err) {
      if (input.policy === 'required') throw err;
      logger.warn(
        `posting the comment failed (${(err as Error).message}); the verdict stands and the comment is in ${wanted.file}`,
      );
    }
    if (outcome?.action === 'forbidden') {
      const refused = `(HTTP ${outcome.status}: ${outcome.message})`;
      if (input.policy === 'required') {
        logger.error(`GitHub refused the comment on ${wanted.where} ${refused}`);
      } else {
        logger.warn(
          `cannot comment on ${wanted.where} ${refused}. This is expected for pull requests from forks, whose ` +
            `token is read-only. The comment is in ${wanted.file} and in this job summary; post it from a ` +
            'workflow_run workflow with `perf-gate publish` (docs/workflows.md).',
        );
        summary =
          summary === undefined
            ? undefined
            : `${summary}\n\n> [!NOTE]\n> The PR comment could not be posted (HTTP ${outcome.status}); it was written to \`${wanted.file}\`.\n`;
      }
    } else if (outcome) {
      if (outcome.ignored.length) {
        logger.warn(
          `${outcome.ignored.length} comment(s) by others carry perf-gate's marker ` +
            `(${outcome.ignored.map((c) => c.author ?? 'unknown').join(', ')}); they were left alone`,
        );
      }
      logger.info(`comment ${outcome.action}: ${outcome.url}`);
    }
  }
  if (summary !== undefined && publisher.summary) {
    try {
      await publisher.summary(summary);
    } catch (err) {
      logger.warn(`cannot write the job summary: ${(err as Error).message}`);
    }
  }
  const commentUrl = outcome && outcome.action !== 'forbidden' ? outcome.url : '';
  return { ...(outcome ? { comment: outcome } : {}), commentUrl };
}
