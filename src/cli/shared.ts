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
