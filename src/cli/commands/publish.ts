// `perf-gate publish`: posts a saved report as the sticky PR comment: the second half of the fork-safe
// two-workflow pattern (docs/workflows.md), run where the token can write. The report comes from the
// fork: it is validated whole, rendered escaped, and never chooses the repository or pull request. The
// comment goes through the publish use case, as the Action's does; here publishing is the job (required).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataError, EXIT, UsageError } from '../../contracts/errors.ts';
import { createGitHubClient, githubTimeoutFromEnv, type GitHubClient } from '../../github/client.ts';
import { pullRequestPublisher } from '../../github/publisher.ts';
import { findPullRequestByHead } from '../../github/pulls.ts';
import { workflowRunHead, type WorkflowRunHead } from '../../github/workflow-run.ts';
import { renderReport } from '../../report/report.ts';
import { loadTemplates } from '../../report/templates.ts';
import type { ReportJson } from '../../report/model/report-json.ts';
import { publishReport } from '../../usecases/publish.ts';
import { Redactor } from '../../util/redact.ts';
import { createStderrLogger } from '../logger.ts';
import { loadSettings, writeJson } from '../shared.ts';
import type { CliIo } from '../context.ts';
import { DEFAULT_REPORT_FILE, readReport } from './report.ts';

export interface PublishFlags {
  from?: string;
  config?: string;
  repo?: string;
  pr?: number;
  marker?: string;
  templateDir?: string;
  /** The login an installation token writes as, when it is not GITHUB_TOKEN's github-actions[bot]. */
  appLogin?: string;
  json?: boolean;
}

/** The workflow_run event this job runs for, when it is one (GITHUB_EVENT_NAME and GITHUB_EVENT_PATH). */
async function workflowRunEvent(io: CliIo, repository: string): Promise<WorkflowRunHead | undefined> {
  if (io.env.GITHUB_EVENT_NAME !== 'workflow_run' || !io.env.GITHUB_EVENT_PATH) return undefined;
  const file = path.resolve(io.cwd, io.env.GITHUB_EVENT_PATH);
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new DataError(`cannot read the workflow_run event ${file}: ${(err as Error).message}`, file);
  }
  return workflowRunHead(payload, repository);
}

/**
 * The pull request to comment on, from trusted sources only: --pr, or the workflow_run event (its linked
 * pull requests, else the open pull request at its head: forks are not linked). Never the report.
 */
async function trustedPullRequest(
  io: CliIo,
  client: GitHubClient,
  flags: PublishFlags,
  repo: { owner: string; repo: string },
): Promise<number> {
  if (flags.pr) return flags.pr;
  const run = await workflowRunEvent(io, `${repo.owner}/${repo.repo}`);
  if (!run) {
    throw new UsageError(
      'which pull request? pass --pr N, or run publish in a workflow_run workflow (the pull request is taken ' +
        'from the event, never from the report)',
    );
  }
  if (run.event !== '' && run.event !== 'pull_request') {
    throw new UsageError(
      `the workflow run followed a '${run.event}' event, not a pull request: nothing to comment on`,
    );
  }
  if (run.pullRequests.length === 1) return run.pullRequests[0]!;
  if (run.pullRequests.length > 1) {
    throw new UsageError(
      `the workflow run belongs to ${run.pullRequests.length} pull requests (#${run.pullRequests.join(', #')}): pass --pr N`,
    );
  }
  if (run.headSha && run.headBranch && run.headOwner) {
    const found = await findPullRequestByHead(client, { ...repo, ...run });
    if (found) return found;
  }
  throw new UsageError(
    `no open pull request has the workflow run's head (${run.headOwner}:${run.headBranch} at ${run.headSha.slice(0, 12)}): pass --pr N`,
  );
}

export async function publishCommand(io: CliIo, flags: PublishFlags): Promise<number> {
  const token = io.env.GITHUB_TOKEN || io.env.GH_TOKEN || '';
  if (!token) throw new UsageError('perf-gate publish needs a token in GITHUB_TOKEN (or GH_TOKEN)');
  const redactor = new Redactor();
  redactor.add(token, true);
  const logger = createStderrLogger({ stream: io.stderr, redactor });
  const settings = flags.from ? undefined : await loadSettings(io, flags.config, logger);
  const from = flags.from ?? (settings ? path.join(settings.outputDir, 'report.json') : DEFAULT_REPORT_FILE);
  const report = await readReport(io, from);
  // Where to post comes from the trusted side (flags, the workflow's own repository), never the artifact.
  const repository = flags.repo ?? io.env.GITHUB_REPOSITORY;
  if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    throw new UsageError('which repository? pass --repo owner/name (or set GITHUB_REPOSITORY)');
  }
  const [owner, repo] = repository.split('/') as [string, string];
  const claimedRepo = report.context.repository;
  if (claimedRepo !== undefined && claimedRepo.toLowerCase() !== repository.toLowerCase()) {
    throw new DataError(
      `${from}: the report is for ${JSON.stringify(claimedRepo)}, not ${repository}: refused`,
      from,
    );
  }
  const timeoutMs = githubTimeoutFromEnv(io.env);
  const client = createGitHubClient({
    token,
    baseUrl: io.env.GITHUB_API_URL,
    logger,
    redactor,
    ...(timeoutMs ? { timeoutMs } : {}),
  });
  const number = await trustedPullRequest(io, client, flags, { owner, repo });
  const claimed = report.context.pullRequest?.number;
  if (claimed !== undefined && claimed !== number) {
    throw new DataError(
      `${from}: the report says pull request #${claimed}, but this run is for #${number}: refused ` +
        '(a report never chooses where it is posted)',
      from,
    );
  }
  const marker = flags.marker ?? 'default';
  const trusted: ReportJson = {
    ...report,
    context: { ...report.context, repository, pullRequest: { ...report.context.pullRequest, number } },
  };
  const rendered = renderReport(
    trusted,
    loadTemplates(flags.templateDir ? path.resolve(io.cwd, flags.templateDir) : undefined),
    { markerId: marker },
    redactor,
  );
  const published = await publishReport(
    {
      comment: { body: rendered.comment, marker, file: from, where: `${repository}#${number}` },
      policy: 'required',
    },
    {
      publisher: pullRequestPublisher(client, {
        owner,
        repo,
        pullNumber: number,
        ...(flags.appLogin ? { appLogin: flags.appLogin } : {}),
      }),
      logger,
    },
  );
  if (published.comment?.action === 'forbidden') return EXIT.targetOrRun;
  if (flags.json) writeJson(io, published.comment);
  return 0;
}
