// Pieces shared by the CLI commands: loading the config with its secrets, building the redactor and
// the logger, writing JSON output.
import path from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.ts';
import { Redactor } from '../util/redact.ts';
import { createStderrLogger } from './logger.ts';
import type { CliIo } from './context.ts';
import type { Logger } from '../engine/ports.ts';
import { gitInfo, hostInfo, toolVersions } from '../engine/meta.ts';
import type { RunMeta } from '../results/run-result.ts';
import { RunFailure } from '../engine/errors.ts';
import { atomicWrite } from '../store/file-store.ts';
import { encodeRunResult } from '../store/codec/run-result-codec.ts';

export interface Loaded {
  config: LoadedConfig;
  redactor: Redactor;
  logger: Logger;
}

export async function loadWithLogger(
  io: CliIo,
  opts: { config: string; target?: string; quiet?: boolean },
): Promise<Loaded> {
  const config = await loadConfig({
    configPath: path.resolve(io.cwd, opts.config),
    env: io.env,
    ...(opts.target ? { targetOverride: opts.target } : {}),
  });
  const redactor = new Redactor(config.secrets);
  const logger = createStderrLogger({ stream: io.stderr, redactor, quiet: opts.quiet ?? false });
  return { config, redactor, logger };
}

export function collectMeta(io: CliIo): Pick<RunMeta, 'git' | 'tool' | 'host'> {
  const git = gitInfo(io.cwd, io.env);
  return { ...(git ? { git } : {}), tool: toolVersions(), host: hostInfo() };
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Runs a measurement; when it stops part-way (the target failed), writes what was measured to `file`
 * (its `failure` field says why) and rethrows, so the command still ends in exit 3.
 */
export async function keepPartialRun<T>(
  io: CliIo,
  logger: Logger,
  file: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RunFailure && err.partial) {
      await atomicWrite(file, encodeRunResult(err.partial));
      const trials = err.partial.scenarios.reduce((n, s) => n + s.trials.length, 0);
      logger.warn(
        `the run stopped part-way; ${trials} trial(s) measured before it are in ${path.relative(io.cwd, file) || file}`,
      );
    }
    throw err;
  }
}
