// Exit codes shared by the CLI and the Action (docs/exit-codes.md).
import type { RunResult } from './run-result.ts';

export const EXIT = {
  pass: 0,
  gateFailed: 1,
  usage: 2,
  targetOrRun: 3,
} as const;

/** Bad flags, bad config or scenario files: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The target could not be reached or a run could not be completed: exit 3. `partial` is what was
 * measured before the failure (its `failure` field says why), for the shell to write out.
 */
export class RunFailure extends Error {
  override name = 'RunFailure';
  constructor(
    message: string,
    readonly partial?: RunResult,
  ) {
    super(message);
  }
}

/** A stored result or baseline that cannot be read (corrupt, unknown version): exit 3. */
export class DataError extends Error {
  override name = 'DataError';
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof Error && error.name === 'ConfigError') return EXIT.usage;
  return EXIT.targetOrRun;
}

export type FailOn = 'regression' | 'warning' | 'never';

/**
 * The exit code of a decided gate: 1 when the verdict fails under the chosen policy, else 0.
 *   regression (default): only `fail`; an inconclusive verdict passes the job (its headline says so and
 *     names the largest change);
 *   warning: `fail`, `warn` and `inconclusive`: anything short of a clear pass fails the job;
 *   never: report only.
 */
export function exitForOutcome(outcome: string, failOn: FailOn): number {
  if (failOn === 'never') return EXIT.pass;
  if (outcome === 'fail') return EXIT.gateFailed;
  if ((outcome === 'warn' || outcome === 'inconclusive') && failOn === 'warning') return EXIT.gateFailed;
  return EXIT.pass;
}
