// The Action's gate mode: the gate use case with the GitHub ports, then the report published (sticky
// comment, job summary) and the outputs set. A comment or API failure never changes the verdict.
import path from 'node:path';
import * as core from '@actions/core';
import { repositoryRoot } from '../src/measure/meta.ts';
import { configuredService } from '../src/measure/service.ts';
import { failingCount } from '../src/verdict/decide.ts';
import { pooledBaselineStore } from '../src/usecases/baseline-stores.ts';
import { gate } from '../src/usecases/gate.ts';
import { publishReport } from '../src/usecases/publish.ts';
import type { ActionContext } from './context.ts';
import { githubPorts, runUrl } from './github.ts';

export async function gateMode(ctx: ActionContext): Promise<number> {
  const { env, inputs, event, config, logger, redactor, cwd } = ctx;
  const pr = event.pullRequest;
  const github = githubPorts(ctx);
  const link = runUrl(env);
  const branch = pr?.headRef || env.GITHUB_REF_NAME;
  const sha = ctx.meta.git?.sha;
  const outcome = await gate(
    {
      scenarios: config.scenarios,
      limits: config.generator,
      thresholds: config.thresholds,
      invalidTrials: config.invalidTrials,
      ...(config.adaptive ? { adaptive: config.adaptive } : {}),
      redactor,
      meta: ctx.meta,
      baselineBranch: pr?.baseRef || env.GITHUB_BASE_REF || event.defaultBranch || 'main',
      ...(inputs.baselineUrl ? { baselineUrl: inputs.baselineUrl } : {}),
      ...(inputs.seed !== undefined ? { seed: inputs.seed } : {}),
      failOn: inputs.failOn,
      outDir: config.outputDir,
      // The profiled code lives where the service ran (its checkout), else in the workspace.
      repoRoot: repositoryRoot(config.service?.cwd ?? cwd),
      context: {
        ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
        ...(pr
          ? { pullRequest: { number: pr.number, title: pr.title, headRef: pr.headRef, baseRef: pr.baseRef } }
          : {}),
        ...(branch ? { branch } : {}),
        ...(pr?.baseRef ? { baseBranch: pr.baseRef } : {}),
        ...(sha ? { sha } : {}),
        ...(link ? { runUrl: link } : {}),
        approveLabel: inputs.approveLabel,
      },
      ...(config.rightsizing ? { rightsizing: config.rightsizing } : {}),
      ...(inputs.templateDir ? { templateDir: path.resolve(cwd, inputs.templateDir) } : {}),
      ...(inputs.reportArtifact ? { reportArtifact: inputs.reportArtifact } : {}),
    },
    {
      logger,
      // The baseline is pooled from the base branch's current level (runs after its last change point).
      store: pooledBaselineStore(ctx.store, logger),
      processes: configuredService(config, { env: ctx.childEnvironment, logger, redactor }),
      changes: github.changes,
      approvals: github.approvals,
    },
  );
  const { files, result } = outcome;
  const published = await publishReport(
    {
      ...(inputs.comment && pr
        ? {
            comment: {
              body: outcome.rendered.comment,
              marker: 'default',
              file: path.relative(cwd, files.comment),
              where: `pull request #${pr.number}`,
            },
          }
        : {}),
      summary: outcome.rendered.summary,
      policy: 'best-effort',
    },
    { publisher: github.publisher, logger },
  );
  // Counted as the CLI counts: regressions, exceeded budgets and lost trials.
  core.setOutput('verdict', result.verdict.outcome);
  core.setOutput('regressions', String(failingCount(result.verdict)));
  core.setOutput('report-json', files.report);
  core.setOutput('report-html', files.html);
  core.setOutput('comment-url', published.commentUrl);
  if (outcome.exitCode !== 0) core.setFailed(redactor.redact(result.verdict.headline));
  else logger.info(result.verdict.headline);
  return outcome.exitCode;
}
