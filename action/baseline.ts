// The Action's baseline modes: store the run measured on a merge to the default branch, or exclude a
// poisoned run (mark-bad). Both write the job summary; neither fails a push job over a weak run.
import path from 'node:path';
import * as core from '@actions/core';
import { EXIT } from '../src/contracts/errors.ts';
import { configuredService } from '../src/measure/service.ts';
import { markBadSummary } from '../src/history/markdown.ts';
import { atomicWrite } from '../src/util/atomic-write.ts';
import { encodeRunResult } from '../src/store/codec/run-result-codec.ts';
import { measureTarget } from '../src/usecases/measure.ts';
import { storeBaseline } from '../src/usecases/store-baseline.ts';
import type { ActionContext } from './context.ts';

export async function markBadMode(
  ctx: ActionContext,
  markBad: { run: string; reason: string },
): Promise<number> {
  const { env, event, logger } = ctx;
  const branch = event.pushBranch ?? env.GITHUB_REF_NAME ?? event.defaultBranch ?? 'main';
  const by = env.GITHUB_ACTOR || 'github-actions';
  const { entry, auditFile } = await ctx.store.markBad(branch, {
    ...markBad,
    by,
    at: new Date().toISOString(),
  });
  logger.info(`run ${entry.id} of ${branch} marked bad by ${by}; audit line in ${auditFile}`);
  core.setOutput('verdict', 'run-marked-bad');
  await core.summary.addRaw(markBadSummary(branch, entry.id, by, markBad.reason)).write();
  return EXIT.pass;
}

export async function baselineMode(ctx: ActionContext): Promise<number> {
  const { env, event, config, logger, redactor } = ctx;
  const branch = event.pushBranch ?? env.GITHUB_REF_NAME ?? 'main';
  const runFile = path.join(config.outputDir, 'run.json');
  const processes = configuredService(config, { env: ctx.childEnvironment, logger, redactor });
  const run = await measureTarget(
    {
      scenarios: config.scenarios,
      limits: config.generator,
      redactor,
      meta: ctx.meta,
      label: 'baseline',
      partialRunFile: runFile,
    },
    { logger, processes },
  );
  await atomicWrite(runFile, encodeRunResult(run));
  // Stored with a loud warning (every gate against it repeats it): a merge is not the place to fail.
  const stored = await storeBaseline(
    { run, branch, source: runFile, limits: config.generator, invalid: 'merge', summarizeHistory: true },
    { store: ctx.store, logger },
  );
  logger.info(`baseline for ${branch} stored: ${stored.where}`);
  core.setOutput('verdict', 'baseline-stored');
  core.setOutput('regressions', '0');
  core.setOutput('report-json', '');
  core.setOutput('report-html', '');
  core.setOutput('comment-url', '');
  await core.summary
    .addRaw(
      `## perf-gate: baseline for ${branch} stored\n\n${run.scenarios.length} scenario(s) measured.\n` +
        (stored.history ? `\n${stored.history}` : ''),
    )
    .write();
  return EXIT.pass;
}
