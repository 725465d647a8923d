// The GitHub Action shell: builds the context from the environment, runs one mode (gate, baseline,
// mark-bad) through the use cases, and maps a thrown error to the documented exit code.
import * as core from '@actions/core';
import { exitCodeFor } from '../src/contracts/errors.ts';
import { Redactor } from '../src/util/redact.ts';
import { baselineMode, markBadMode } from './baseline.ts';
import { actionContext, type Env } from './context.ts';
import { gateMode } from './gate.ts';
import { actionsLogger } from './logger.ts';

export async function runAction(env: Env): Promise<number> {
  const redactor = new Redactor();
  const logger = actionsLogger(redactor);
  try {
    const ctx = await actionContext(env, redactor, logger);
    if (ctx.inputs.markBad) return await markBadMode(ctx, ctx.inputs.markBad);
    if (ctx.mode === 'baseline') return await baselineMode(ctx);
    return await gateMode(ctx);
  } catch (err) {
    const message = redactor.redact(err instanceof Error ? err.message : String(err));
    core.setFailed(`perf-gate: ${message}`);
    return exitCodeFor(err);
  }
}
