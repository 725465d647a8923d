// The GitHub Action shell: translates inputs and the workflow event into options for the same engine
// the CLI uses, publishes the report (sticky comment, job summary, outputs) and maps the verdict to the
// exit status. A comment or API failure never changes the verdict or loses the report.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { loadConfig } from '../src/config/load.ts';
import { EXIT, exitCodeFor, exitForOutcome } from '../src/contracts/errors.ts';
import { gitInfo, hostInfo, repositoryRoot, toolVersions } from '../src/engine/meta.ts';
import { measure } from '../src/engine/measure.ts';
import type { Logger } from '../src/engine/ports.ts';
import { runGate } from '../src/engine/run-gate.ts';
import { withService } from '../src/engine/service.ts';
import { createGitHubClient, githubTimeoutFromEnv, type GitHubClient } from '../src/github/client.ts';
import { upsertStickyComment } from '../src/github/comments.ts';
import { getPullRequestLabels, listPullRequestFiles } from '../src/github/pulls.ts';
import { labelApproval } from '../src/github/approvals.ts';
import { tokenIdentity } from '../src/github/identity.ts';
import { childEnv } from '../src/util/child-env.ts';
import { parseRestFiles, type ChangedFile } from '../src/attribution/diff.ts';
import { writeGateReport } from '../src/engine/gate-report.ts';
import { FileBaselineStore, atomicWrite } from '../src/store/file-store.ts';
import { GitBranchBaselineStore } from '../src/store/git-branch-store.ts';
import { RegimeBaselineStore } from '../src/store/regime-baseline.ts';
import { branchHistorySummary } from '../src/engine/branch-history.ts';
import { markBadSummary } from '../src/history/markdown.ts';
import { encodeRunResult } from '../src/store/codec/run-result-codec.ts';
import { Redactor } from '../src/util/redact.ts';
import { terminalText } from '../src/report/model/markdown.ts';
import type { ApprovalRecord } from '../src/verdict/types.ts';
import { failingCount } from '../src/verdict/decide.ts';
import { keepPartialRun } from '../src/engine/partial-run.ts';
import { baselineProblems } from '../src/engine/baseline-fitness.ts';
import { eventInfo, parseInputs, resolveMode, type ActionInputs, type EventInfo } from './inputs.ts';

type Env = Record<string, string | undefined>;

function actionsLogger(redactor: Redactor): Logger {
  // One line per message, inert: a name with a newline and "::" must not become a workflow command.
  const clean = (s: string) => {
    const line = terminalText(redactor.redact(s), 20_000);
    return line.startsWith('::') ? ` ${line}` : line;
  };
  return {
    info: (m) => core.info(clean(m)),
    warn: (m) => core.warning(clean(m)),
    error: (m) => core.error(clean(m)),
    progress: () => {},
    progressDone: (m) => core.info(clean(m)),
  };
}

function readEvent(env: Env): EventInfo {
  const name = env.GITHUB_EVENT_NAME ?? '';
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      core.warning(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${(err as Error).message}`);
    }
  }
  return eventInfo(name, payload, env.GITHUB_REF);
}

function baselineStore(
  inputs: ActionInputs,
  env: Env,
  baselineDir: string,
  redactor: Redactor,
  logger: Logger,
): FileBaselineStore | GitBranchBaselineStore {
  if (inputs.store === 'file') return new FileBaselineStore(baselineDir, undefined, { logger });
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repo = env.GITHUB_REPOSITORY;
  if (!repo) throw new Error('GITHUB_REPOSITORY is not set: the git-branch store needs the repository');
  let remote = `${server}/${repo}.git`;
  if (remote.startsWith('https://') && inputs.githubToken) {
    remote = remote.replace('https://', `https://x-access-token:${encodeURIComponent(inputs.githubToken)}@`);
  }
  return new GitBranchBaselineStore({
    remote,
    dataBranch: inputs.storeBranch,
    ...(inputs.githubToken ? { token: inputs.githubToken } : {}),
    redactor,
    logger,
  });
}

export async function runAction(env: Env): Promise<number> {
  const redactor = new Redactor();
  let logger = actionsLogger(redactor);
  try {
    const inputs = parseInputs(env);
    if (inputs.githubToken) {
      redactor.add(inputs.githubToken, true);
      core.setSecret(inputs.githubToken);
    }
    // Everything perf-gate starts (the service, k6, kubectl) runs without the token or any INPUT_*.
    const childEnvironment = childEnv(env, { secrets: [inputs.githubToken] });
    const cwd = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), inputs.workingDirectory);
    const event = readEvent(env);
    const mode = resolveMode(inputs.mode, event);
    const config = await loadConfig({
      configPath: path.resolve(cwd, inputs.config),
      env,
      cwd,
      ...(inputs.targetUrl ? { targetOverride: inputs.targetUrl } : {}),
    });
    // `::add-mask::` for every value perf-gate masks itself (numbers and short values are not secrets).
    for (const s of config.secrets) redactor.add(s);
    for (const s of redactor.values()) core.setSecret(s);
    logger = actionsLogger(redactor);
    const git = gitInfo(cwd, env);
    const meta = { ...(git ? { git } : {}), tool: toolVersions(), host: hostInfo() };
    const store = baselineStore(inputs, env, config.baselineDir, redactor, logger);
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? '/').split('/') as [string, string];

    if (inputs.markBad) {
      const branch = event.pushBranch ?? env.GITHUB_REF_NAME ?? event.defaultBranch ?? 'main';
      const by = env.GITHUB_ACTOR || 'github-actions';
      const { entry, auditFile } = await store.markBad(branch, {
        ...inputs.markBad,
        by,
        at: new Date().toISOString(),
      });
      logger.info(`run ${entry.id} of ${branch} marked bad by ${by}; audit line in ${auditFile}`);
      core.setOutput('verdict', 'run-marked-bad');
      await core.summary.addRaw(markBadSummary(branch, entry.id, by, inputs.markBad.reason)).write();
      return EXIT.pass;
    }

    if (mode === 'baseline') {
      const branch = event.pushBranch ?? env.GITHUB_REF_NAME ?? 'main';
      const runFile = path.join(config.outputDir, 'run.json');
      const run = await keepPartialRun(runFile, logger, () =>
        withService(config, { env: childEnvironment, logger, redactor }, (probe, profilers) =>
          measure({
            scenarios: config.scenarios,
            limits: config.generator,
            logger,
            redactor,
            meta,
            label: 'baseline',
            ...(probe ? { probe } : {}),
            ...profilers,
          }),
        ),
      );
      await atomicWrite(runFile, encodeRunResult(run));
      // Stored with a loud warning (every gate against it repeats it): a merge is not the place to fail.
      for (const p of baselineProblems(run, config.generator)) logger.warn(`weak baseline: ${p.message}`);
      const where = await store.save(branch, run);
      logger.info(`baseline for ${branch} stored: ${where}`);
      const history = await branchHistorySummary(store, branch, logger);
      core.setOutput('verdict', 'baseline-stored');
      core.setOutput('regressions', '0');
      core.setOutput('report-json', '');
      core.setOutput('report-html', '');
      core.setOutput('comment-url', '');
      await core.summary
        .addRaw(
          `## perf-gate: baseline for ${branch} stored\n\n${run.scenarios.length} scenario(s) measured.\n` +
            (history ? `\n${history}` : ''),
        )
        .write();
      return EXIT.pass;
    }

    let client: GitHubClient | undefined;
    if (inputs.githubToken && event.pullRequest) {
      const timeoutMs = githubTimeoutFromEnv(env);
      client = createGitHubClient({
        token: inputs.githubToken,
        baseUrl: env.GITHUB_API_URL,
        logger,
        redactor,
        ...(timeoutMs ? { timeoutMs } : {}),
      });
    }
    const pr = event.pullRequest;
    let approval: ApprovalRecord | undefined;
    if (pr) {
      let labels = pr.labels;
      if (client) {
        try {
          labels = await getPullRequestLabels(client, { owner, repo, pullNumber: pr.number });
        } catch (err) {
          logger.warn(`cannot read the pull request's labels (${(err as Error).message}); using the event's`);
        }
      }
      if (labels.includes(inputs.approveLabel)) {
        approval = await labelApproval(
          client,
          { owner, repo, pullNumber: pr.number },
          inputs.approveLabel,
          logger,
        );
      }
    }
    // The baseline is pooled from the base branch's current level (runs after its last change point).
    const regimeStore = new RegimeBaselineStore(store, { logger });
    const result = await keepPartialRun(path.join(config.outputDir, 'run.json'), logger, () =>
      withService(config, { env: childEnvironment, logger, redactor }, (probe, profilers) =>
        runGate({
          scenarios: config.scenarios,
          limits: config.generator,
          thresholds: config.thresholds,
          invalidTrials: config.invalidTrials,
          logger,
          redactor,
          meta,
          baselineBranch: pr?.baseRef || env.GITHUB_BASE_REF || event.defaultBranch || 'main',
          store: regimeStore,
          ...(inputs.baselineUrl ? { baselineUrl: inputs.baselineUrl } : {}),
          ...(approval ? { approval } : {}),
          ...(probe ? { probe } : {}),
          ...profilers,
          ...(config.adaptive ? { adaptive: config.adaptive } : {}),
        }),
      ),
    );
    // Explain regressions: Server-Timing phases of both runs and the PR's changed files (REST, paginated).
    let changes: ChangedFile[] | undefined;
    let changesUnavailable = 'not a pull request';
    if (pr && client) {
      try {
        changes = parseRestFiles(await listPullRequestFiles(client, { owner, repo, pullNumber: pr.number }));
      } catch (err) {
        changesUnavailable = `cannot list the pull request's files: ${(err as Error).message}`;
      }
    }
    const runUrl =
      env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY
        ? `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    const { rendered, files } = await writeGateReport({
      result,
      outDir: config.outputDir,
      repoRoot: repositoryRoot(config.service?.cwd ?? cwd),
      redactor,
      context: {
        ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
        ...(pr
          ? { pullRequest: { number: pr.number, title: pr.title, headRef: pr.headRef, baseRef: pr.baseRef } }
          : {}),
        ...(pr?.headRef || env.GITHUB_REF_NAME ? { branch: pr?.headRef || env.GITHUB_REF_NAME } : {}),
        ...(pr?.baseRef ? { baseBranch: pr.baseRef } : {}),
        ...(git?.sha ? { sha: git.sha } : {}),
        ...(runUrl ? { runUrl } : {}),
        approveLabel: inputs.approveLabel,
      },
      ...(config.rightsizing ? { rightsizing: config.rightsizing } : {}),
      ...(changes ? { changes } : { changesUnavailable }),
      ...(inputs.templateDir ? { templateDir: path.resolve(cwd, inputs.templateDir) } : {}),
      ...(inputs.reportArtifact ? { reportArtifact: inputs.reportArtifact } : {}),
      ...(result.mode === 'stored' && regimeStore.analysis ? { history: regimeStore.analysis } : {}),
    });
    await atomicWrite(path.join(config.outputDir, 'run.json'), encodeRunResult(result.candidate));

    let summary = rendered.summary;
    let commentUrl = '';
    if (inputs.comment && pr) {
      if (!client) {
        logger.warn(`no github-token: the comment was not posted; it is in ${files.comment}`);
      } else {
        try {
          const identity = await tokenIdentity(client);
          const posted = await upsertStickyComment(client, {
            owner,
            repo,
            issueNumber: pr.number,
            body: rendered.comment,
            marker: 'default',
            author: identity.login,
          });
          if (posted.action !== 'forbidden' && posted.ignored.length) {
            logger.warn(
              `${posted.ignored.length} comment(s) by others carry perf-gate's marker ` +
                `(${posted.ignored.map((c) => c.author ?? 'unknown').join(', ')}); they were left alone`,
            );
          }
          if (posted.action === 'forbidden') {
            logger.warn(
              `cannot comment on pull request #${pr.number} (HTTP ${posted.status}: ${posted.message}). ` +
                `This is expected for pull requests from forks, whose token is read-only. The comment is in ${files.comment} ` +
                'and in this job summary; post it from a workflow_run workflow with `perf-gate publish` (docs/workflows.md).',
            );
            summary += `\n\n> [!NOTE]\n> The PR comment could not be posted (HTTP ${posted.status}); it was written to \`${path.relative(cwd, files.comment)}\`.\n`;
          } else {
            commentUrl = posted.url;
            logger.info(`comment ${posted.action}: ${posted.url}`);
          }
        } catch (err) {
          logger.warn(
            `posting the comment failed (${(err as Error).message}); the verdict stands and the comment is in ${files.comment}`,
          );
        }
      }
    }
    try {
      await core.summary.addRaw(summary).write();
    } catch (err) {
      logger.warn(`cannot write the job summary: ${(err as Error).message}`);
    }
    // Counted as the CLI counts: regressions, exceeded budgets and lost trials.
    const regressions = failingCount(result.verdict);
    core.setOutput('verdict', result.verdict.outcome);
    core.setOutput('regressions', String(regressions));
    core.setOutput('report-json', files.report);
    core.setOutput('report-html', files.html);
    core.setOutput('comment-url', commentUrl);
    const code = exitForOutcome(result.verdict.outcome, inputs.failOn);
    if (code !== 0) core.setFailed(redactor.redact(result.verdict.headline));
    else logger.info(result.verdict.headline);
    return code;
  } catch (err) {
    const message = redactor.redact(err instanceof Error ? err.message : String(err));
    core.setFailed(`perf-gate: ${message}`);
    return exitCodeFor(err);
  }
}
